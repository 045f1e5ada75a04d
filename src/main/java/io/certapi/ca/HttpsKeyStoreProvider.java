package io.certapi.ca;

import io.quarkus.tls.runtime.KeyStoreAndKeyCertOptions;
import io.quarkus.tls.runtime.KeyStoreProvider;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Supplies the HTTPS listener's key store (the default TLS configuration of the Quarkus TLS
 * registry): a certificate for {@code certapi.domain}, 127.0.0.1 and ::1 issued by certapi's
 * own CA, kept under {@code <data-dir>/tls} and re-issued when a third of its life is left.
 */
@ApplicationScoped
public class HttpsKeyStoreProvider implements KeyStoreProvider {

    private static final Logger LOG = Logger.getLogger(HttpsKeyStoreProvider.class);

    private final CertificateAuthority ca;
    private final Clock clock;

    /** Creates the provider. */
    public HttpsKeyStoreProvider(CertificateAuthority ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    @Override
    public KeyStoreAndKeyCertOptions getKeyStore(Vertx vertx) {
        Path dir = ca.directory().resolveSibling("tls");
        Path certFile = dir.resolve("server.pem");
        Path keyFile = dir.resolve("server.key");
        Optional<String> cert = KeyFiles.read(certFile);
        Optional<String> key = KeyFiles.read(keyFile);
        if (cert.isEmpty() || key.isEmpty() || dueForRenewal(cert.get())) {
            CertificateAuthority.HttpsMaterial m = ca.issueHttps();
            KeyFiles.writeSecret(keyFile, m.keyPem());
            KeyFiles.writePublic(certFile, m.chainPem());
            cert = Optional.of(m.chainPem());
            key = Optional.of(m.keyPem());
            LOG.infof("HTTPS certificate issued, valid until %s", m.notAfter());
        }
        try {
            PemKeyCertOptions options = new PemKeyCertOptions()
                    .addCertValue(Buffer.buffer(cert.get()))
                    .addKeyValue(Buffer.buffer(key.get()));
            return new KeyStoreAndKeyCertOptions(options.loadKeyStore(vertx), options);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the HTTPS key store", e);
        }
    }

    private boolean dueForRenewal(String chainPem) {
        var leaf = Pem.certificates(chainPem).get(0);
        Instant from = leaf.getNotBefore().toInstant();
        Instant to = leaf.getNotAfter().toInstant();
        Duration third = Duration.between(from, to).dividedBy(3);
        return !clock.instant().isBefore(to.minus(third))
                || !leaf.getIssuerX500Principal().equals(
                        ca.currentIssuer().certificate().getSubjectX500Principal());
    }
}
