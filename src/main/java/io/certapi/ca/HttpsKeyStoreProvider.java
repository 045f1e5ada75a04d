package io.certapi.ca;

import io.certapi.config.CertapiConfig;
import io.certapi.config.DataDirectory;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.runtime.KeyStoreAndKeyCertOptions;
import io.quarkus.tls.runtime.KeyStoreProvider;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Supplies the HTTPS listener's key material (the default TLS configuration of the Quarkus TLS
 * registry): a certificate for {@code certapi.domain}, 127.0.0.1 and ::1 issued by certapi's
 * own CA, kept under {@code <data-dir>/tls}. The listener gets it through a
 * {@link SwappableKeyManager}, so {@link #renewIfDue} can re-issue the certificate once
 * certapi.ca.https.renew-before is left (or once its issuer is no longer the current one) and
 * every new connection gets the new one at once: no restart, no SSL context rebuilt, no failed
 * handshake.
 */
@ApplicationScoped
public class HttpsKeyStoreProvider implements KeyStoreProvider {

    private static final Logger LOG = Logger.getLogger(HttpsKeyStoreProvider.class);
    /** The in-memory store's password: it never leaves this process. */
    private static final char[] STORE_PASSWORD = "certapi".toCharArray();

    private final CertificateAuthority ca;
    private final Clock clock;
    private final Duration renewBefore;
    private final Path dataDir;
    private final SwappableKeyManager keyManager = new SwappableKeyManager();

    /** Creates the provider. */
    public HttpsKeyStoreProvider(CertificateAuthority ca, Clock clock, CertapiConfig config) {
        this.ca = ca;
        this.clock = clock;
        this.renewBefore = config.ca().https().renewBefore();
        this.dataDir = Path.of(config.dataDir());
    }

    @Override
    public synchronized KeyStoreAndKeyCertOptions getKeyStore(Vertx vertx) {
        // The TLS registry asks before the database is up, so before the CA can be read: serve
        // what is on disk, or a stand-in, until the start-up check below swaps in the real one.
        DataDirectory.secureAtStart(dataDir);
        Material m = onDisk().filter(d -> clock.instant().isBefore(
                d.chain()[0].getNotAfter().toInstant())).orElseGet(this::standIn);
        keyManager.set(m.key(), m.chain());
        try {
            // The registry reads this store only to check the certificate's dates; the listener
            // uses the key manager. An in-memory JKS store: Vert.x's PEM loader builds a PKCS12
            // one, whose PBKDF2 key protection cost most of a second at every start.
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setKeyEntry("https", m.key(), STORE_PASSWORD, m.chain());
            return new KeyStoreAndKeyCertOptions(store, KeyCertOptions.wrap(keyManager));
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the HTTPS key store", e);
        }
    }

    /**
     * At start, once the CA is loaded and before the listener opens: the certificate on disk
     * if it is still good and of the current issuer, otherwise a new one.
     */
    void atStart(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) StartupEvent ev) {
        current();
    }

    /**
     * Re-issues the HTTPS certificate when it is due and swaps it in for new connections.
     * Returns whether it did.
     */
    public synchronized boolean renewIfDue() {
        Optional<String> chain = KeyFiles.read(certFile());
        if (chain.isPresent() && !dueForRenewal(chain.get())) {
            return false;
        }
        Material m = current();
        LOG.infof("HTTPS certificate swapped in for new connections, valid until %s",
                m.chain()[0].getNotAfter().toInstant());
        return true;
    }

    private Optional<Material> onDisk() {
        Path certFile = certFile();
        Optional<String> cert = KeyFiles.read(certFile);
        Optional<String> key = KeyFiles.read(certFile.resolveSibling("server.key"));
        if (cert.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Material(Pem.privateKey(key.get()),
                Pem.certificates(cert.get()).toArray(new X509Certificate[0])));
    }

    /** A self-signed certificate that lives only until the start-up check replaces it. */
    private Material standIn() {
        KeyPair keys = Certificates.ecKeyPair("secp256r1");
        Instant now = clock.instant();
        X509Certificate self = Certificates.root(keys, "certapi starting",
                now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)));
        return new Material(keys.getPrivate(), new X509Certificate[] {self});
    }

    /** The material on disk, re-issued first if missing or due; loaded into the key manager. */
    private Material current() {
        Path certFile = certFile();
        Path keyFile = certFile.resolveSibling("server.key");
        Optional<String> cert = KeyFiles.read(certFile);
        Optional<String> key = KeyFiles.read(keyFile);
        String chainPem;
        String keyPem;
        if (cert.isEmpty() || key.isEmpty() || dueForRenewal(cert.get())) {
            CertificateAuthority.HttpsMaterial issued = ca.issueHttps();
            KeyFiles.writeSecret(keyFile, issued.keyPem());
            KeyFiles.writePublic(certFile, issued.chainPem());
            chainPem = issued.chainPem();
            keyPem = issued.keyPem();
            LOG.infof("HTTPS certificate issued, valid until %s", issued.notAfter());
        } else {
            chainPem = cert.get();
            keyPem = key.get();
        }
        Material m = new Material(Pem.privateKey(keyPem),
                Pem.certificates(chainPem).toArray(new X509Certificate[0]));
        keyManager.set(m.key(), m.chain());
        return m;
    }

    /** The key and chain in use, parsed once. */
    private record Material(PrivateKey key, X509Certificate[] chain) {
    }

    private Path certFile() {
        return dataDir.resolve("tls").resolve("server.pem");
    }

    private boolean dueForRenewal(String chainPem) {
        var leaf = Pem.certificates(chainPem).get(0);
        Instant to = leaf.getNotAfter().toInstant();
        return !clock.instant().isBefore(to.minus(renewBefore))
                || !leaf.getIssuerX500Principal().equals(
                        ca.currentIssuer().certificate().getSubjectX500Principal());
    }
}
