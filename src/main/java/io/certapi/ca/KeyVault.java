package io.certapi.ca;

import io.certapi.config.CertapiConfig;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * Where the CA's private keys are protected: wrapped under a key-encryption key that every
 * instance is given ({@link WrappedKeys}, the default), or held in an HSM over PKCS#11
 * ({@link Pkcs11Keys}). Either way {@link CaRecords} stores only what this gives it, and the CA
 * gets its keys back only through it.
 */
public interface KeyVault {

    /** The name stored with each key this vault protects. */
    String protection();

    /**
     * Made ready before the first key is read or stored; {@code newCa}: no CA exists yet, so a
     * missing key-encryption key may be created.
     */
    void prepare(boolean newCa);

    /** A new key pair on the named curve (inside the HSM, for PKCS#11). */
    KeyPair generate(String curve);

    /** Protects {@code key}, whose first certificate is {@code certificate}, for storage. */
    CaRecords.KeyRow protect(String keyId, PrivateKey key, X509Certificate certificate);

    /** The private key a stored row names. */
    PrivateKey open(CaRecords.KeyRow row);

    /** The vault that certapi.ca.keys configures. */
    static KeyVault of(CertapiConfig config) {
        CertapiConfig.Keys keys = config.ca().keys();
        return switch (keys.protection()) {
            case KEK -> new WrappedKeys(keys.kek(), keys.kekFile().map(Path::of)
                    .orElse(Path.of(config.dataDir(), "ca-kek")));
            case PKCS11 -> new Pkcs11Keys(keys.pkcs11().config().orElseThrow(() ->
                    new IllegalArgumentException("certapi.ca.keys.protection=pkcs11 needs"
                            + " certapi.ca.keys.pkcs11.config (a SunPKCS11 configuration file)")),
                    keys.pkcs11().pin().orElse(""));
        };
    }
}
