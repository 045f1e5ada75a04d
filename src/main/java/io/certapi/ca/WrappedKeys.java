package io.certapi.ca;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * CA private keys wrapped with AES-256-GCM under a key-encryption key (KEK) that each instance
 * gets from certapi.ca.keys.kek (an environment variable, say) or from a file. The key's id is
 * the additional authenticated data, so a wrapped key cannot be passed off as another; each row
 * names its KEK by a fingerprint, so an instance given the wrong KEK says so instead of failing
 * to decrypt. The first CA creates the KEK file when no KEK is configured.
 */
final class WrappedKeys implements KeyVault {

    static final String PROTECTION = "aes-256-gcm";
    private static final Logger LOG = Logger.getLogger(WrappedKeys.class);
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<String> configured;
    private final Path file;
    private volatile SecretKey kek;
    private volatile String kekId;

    WrappedKeys(Optional<String> configured, Path file) {
        this.configured = configured.map(String::trim).filter(s -> !s.isEmpty());
        this.file = file;
    }

    @Override
    public String protection() {
        return PROTECTION;
    }

    @Override
    public synchronized void prepare(boolean newCa) {
        if (kek != null) {
            return;
        }
        Optional<String> text = configured.or(() -> KeyFiles.read(file).map(String::trim));
        if (text.isEmpty()) {
            if (!newCa) {
                throw new IllegalStateException("the CA's keys in the database are wrapped under"
                        + " a key-encryption key this instance does not have: give it the same"
                        + " one as the instance that created the CA, in certapi.ca.keys.kek"
                        + " (environment CERTAPI_CA_KEYS_KEK) or in the file " + file
                        + " (certapi.ca.keys.kek-file)");
            }
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            text = Optional.of(Base64.getEncoder().encodeToString(fresh));
            KeyFiles.writeSecret(file, text.get() + "\n");
            LOG.infof("CA key-encryption key created in %s: every instance that shares this"
                    + " database needs it (certapi.ca.keys.kek-file, or its content in"
                    + " CERTAPI_CA_KEYS_KEK); keep a copy apart from database backups", file);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the CA key-encryption key is not base64", e);
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("the CA key-encryption key must be 32 bytes"
                    + " (base64 of 32 random bytes, e.g. openssl rand -base64 32); it has "
                    + raw.length);
        }
        kekId = fingerprint(raw);
        kek = new SecretKeySpec(raw, "AES");
        Arrays.fill(raw, (byte) 0);
    }

    /** A short public name of a KEK: it says which one wrapped a key, and reveals nothing. */
    static String fingerprint(byte[] raw) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("certapi key-encryption key".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d.digest(raw), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public KeyPair generate(String curve) {
        return Certificates.ecKeyPair(curve);
    }

    @Override
    public CaRecords.KeyRow protect(String keyId, PrivateKey key, X509Certificate certificate) {
        prepare(false);
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(128, iv));
            c.updateAAD(keyId.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = c.doFinal(Pem.privateKey(key).getBytes(StandardCharsets.US_ASCII));
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return new CaRecords.KeyRow(keyId, PROTECTION, Optional.of(kekId),
                    Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap the CA key " + keyId, e);
        }
    }

    @Override
    public PrivateKey open(CaRecords.KeyRow row) {
        if (!PROTECTION.equals(row.protection())) {
            throw new IllegalStateException("the CA key " + row.id() + " is protected by "
                    + row.protection() + ", but certapi.ca.keys.protection is kek");
        }
        prepare(false);
        if (!row.kekId().orElse("").equals(kekId)) {
            throw new IllegalStateException("the CA key " + row.id() + " is wrapped under the"
                    + " key-encryption key " + row.kekId().orElse("?") + ", but this instance"
                    + " has " + kekId + ": give it the KEK of the instance that created the CA");
        }
        try {
            byte[] in = Base64.getDecoder().decode(row.content());
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(128, in, 0, IV_BYTES));
            c.updateAAD(row.id().getBytes(StandardCharsets.US_ASCII));
            byte[] pem = c.doFinal(in, IV_BYTES, in.length - IV_BYTES);
            return Pem.privateKey(new String(pem, StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the CA key " + row.id() + " cannot be unwrapped:"
                    + " it was altered, or wrapped under another key-encryption key", e);
        }
    }
}
