package io.certapi.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * CA private keys held in an HSM through the JDK's SunPKCS11 provider: they are generated in
 * the token, stored there under the key id (with their first certificate, as a PKCS#11 key
 * store requires) and never leave it; the database holds only that name. Every instance on the
 * same database reaches the same token (a network HSM, or one token per instance holding the
 * same keys).
 */
final class Pkcs11Keys implements KeyVault {

    static final String PROTECTION = "pkcs11";
    private static final Logger LOG = Logger.getLogger(Pkcs11Keys.class);
    /** One provider per token configuration: a key signs only through the one it came from. */
    private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

    private final String configFile;
    private final char[] pin;
    private volatile Provider provider;
    private volatile KeyStore token;

    Pkcs11Keys(String configFile, String pin) {
        this.configFile = configFile;
        this.pin = pin.toCharArray();
    }

    @Override
    public String protection() {
        return PROTECTION;
    }

    @Override
    public synchronized void prepare(boolean newCa) {
        if (token != null) {
            return;
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new IllegalStateException("this Java runtime has no SunPKCS11 provider");
        }
        try {
            Provider p = PROVIDERS.computeIfAbsent(configFile, f -> {
                Provider configured = base.configure(f);
                // Registered, so that signing with one of its keys finds it (JCA picks the
                // provider by the key); last, so that it is never chosen for anything else.
                Security.addProvider(configured);
                return configured;
            });
            KeyStore ks = KeyStore.getInstance("PKCS11", p);
            ks.load(null, pin);
            provider = p;
            token = ks;
            LOG.infof("CA keys are held in the PKCS#11 token of %s (provider %s)", configFile,
                    p.getName());
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new IllegalStateException("cannot open the PKCS#11 token configured in "
                    + configFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public KeyPair generate(String curve) {
        prepare(false);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the HSM cannot make a " + curve + " key", e);
        }
    }

    @Override
    public CaRecords.KeyRow protect(String keyId, PrivateKey key, X509Certificate certificate) {
        prepare(false);
        try {
            synchronized (this) {
                if (!token.containsAlias(keyId)) {
                    token.setKeyEntry(keyId, key, null, new Certificate[] {certificate});
                }
            }
            return new CaRecords.KeyRow(keyId, PROTECTION, Optional.empty(), keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot store the CA key " + keyId + " in the HSM",
                    e);
        }
    }

    @Override
    public PrivateKey open(CaRecords.KeyRow row) {
        if (!PROTECTION.equals(row.protection())) {
            throw new IllegalStateException("the CA key " + row.id() + " is protected by "
                    + row.protection() + ", but certapi.ca.keys.protection is pkcs11");
        }
        prepare(false);
        try {
            if (token.getKey(row.content(), null) instanceof PrivateKey key) {
                return key;
            }
            throw new IllegalStateException("the HSM has no private key named " + row.content()
                    + " (the CA key " + row.id() + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the CA key " + row.id()
                    + " from the HSM", e);
        }
    }
}
