package io.certapi.ca;

import io.certapi.config.CertapiConfig;
import io.certapi.config.PublicUrls;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * certapi's own CA: a root and an issuing intermediate, created at first start under
 * {@code <data-dir>/ca} (the root also as {@code root.pem}, for clients to trust), loaded on
 * every later start. Signing needs no lock: each call signs with the current issuer.
 */
@ApplicationScoped
@Startup
public class CertificateAuthority {

    private static final Logger LOG = Logger.getLogger(CertificateAuthority.class);

    private final CertapiConfig config;
    private final Clock clock;
    private final String issuerUrl;
    private final String baseUrl;
    private final Path dir;
    private final Issuer root;
    private volatile Issuer intermediate;

    /** Loads the hierarchy from the data directory, creating it on first start. */
    public CertificateAuthority(CertapiConfig config, Clock clock, PublicUrls urls) {
        this.config = config;
        this.clock = clock;
        this.issuerUrl = urls.base() + "/intermediates/0";
        this.baseUrl = urls.base();
        this.dir = Path.of(config.dataDir(), "ca");
        this.root = loadOrCreateRoot();
        this.intermediate = loadOrCreateIntermediate();
    }

    /** The root certificate. */
    public X509Certificate root() {
        return root.certificate();
    }

    /** The current issuing intermediate. */
    public Issuer currentIssuer() {
        return intermediate;
    }

    /** Signs a leaf with the current intermediate. */
    public IssuedCertificate issue(LeafRequest request) {
        Issuer issuer = intermediate;
        BigInteger serial = Certificates.randomSerial();
        X509Certificate leaf = Certificates.leaf(issuer, request, serial, issuerUrl,
                crlUrl(issuer.id()), config.ocsp().enabled() ? baseUrl + "/ocsp" : null);
        return new IssuedCertificate(leaf, Pem.encode(leaf, issuer.certificate()),
                HexFormat.of().formatHex(serial.toByteArray()), issuer.id());
    }

    /** The URL of an issuer's CRL, as written in the certificates it signs. */
    public String crlUrl(String issuerId) {
        return baseUrl + "/crl/" + issuerId;
    }

    /** A CRL of the current issuer, valid from {@code now} for certapi.crl.validity. */
    public byte[] crl(List<RevocationSigner.Revoked> revoked, Instant now) {
        return RevocationSigner.crl(intermediate, revoked, now, now.plus(config.crl().validity()));
    }

    /** An OCSP response of the current issuer to {@code request}. */
    public byte[] ocsp(byte[] request, Instant now, java.util.function.Function<
            java.math.BigInteger, java.util.Optional<java.util.Optional<RevocationSigner.Revoked>>>
            lookup) {
        return RevocationSigner.ocsp(intermediate, request, now,
                now.plus(config.ocsp().validity()), lookup);
    }

    /** The path of the root certificate clients are told to trust. */
    public Path rootPemPath() {
        return dir.resolve("root.pem");
    }

    private Issuer loadOrCreateRoot() {
        Path certFile = rootPemPath();
        Path keyFile = dir.resolve("root.key");
        var cert = KeyFiles.read(certFile);
        var key = KeyFiles.read(keyFile);
        if (cert.isPresent() && key.isPresent()) {
            Issuer loaded = new Issuer(Pem.certificates(cert.get()).get(0),
                    Pem.privateKey(key.get()));
            LOG.infof("CA root loaded: %s", loaded);
            return loaded;
        }
        Instant now = clock.instant();
        KeyPair keys = Certificates.ecKeyPair("secp384r1");
        String cn = config.ca().name() + " Root CA " + suffix();
        X509Certificate rootCert = Certificates.root(keys, cn, now.minus(Duration.ofMinutes(1)),
                now.plus(config.ca().rootLifetime()));
        // Key first: a crash between the two writes leaves no certificate without its key.
        KeyFiles.writeSecret(keyFile, Pem.privateKey(keys.getPrivate()));
        KeyFiles.writePublic(certFile, Pem.encode(rootCert));
        Issuer created = new Issuer(rootCert, keys.getPrivate());
        LOG.infof("CA root created: %s, written to %s", created, certFile.toAbsolutePath());
        return created;
    }

    private Issuer loadOrCreateIntermediate() {
        Path certFile = dir.resolve("intermediate.pem");
        Path keyFile = dir.resolve("intermediate.key");
        var cert = KeyFiles.read(certFile);
        var key = KeyFiles.read(keyFile);
        if (cert.isPresent() && key.isPresent()) {
            Issuer loaded = new Issuer(Pem.certificates(cert.get()).get(0),
                    Pem.privateKey(key.get()));
            LOG.infof("CA intermediate loaded: %s", loaded);
            return loaded;
        }
        Instant now = clock.instant();
        Instant until = now.plus(config.ca().intermediateLifetime());
        Instant rootEnd = root.certificate().getNotAfter().toInstant();
        KeyPair keys = Certificates.ecKeyPair("secp256r1");
        X509Certificate c = Certificates.intermediate(root, keys.getPublic(),
                config.ca().name() + " Intermediate " + suffix(), now.minus(Duration.ofMinutes(1)),
                until.isAfter(rootEnd) ? rootEnd : until);
        KeyFiles.writeSecret(keyFile, Pem.privateKey(keys.getPrivate()));
        KeyFiles.writePublic(certFile, Pem.encode(c));
        Issuer created = new Issuer(c, keys.getPrivate());
        LOG.infof("CA intermediate created: %s", created);
        return created;
    }

    /** Issues the server's own HTTPS certificate: DNS name plus both loopback addresses. */
    HttpsMaterial issueHttps() {
        KeyPair keys = Certificates.ecKeyPair("secp256r1");
        Instant now = clock.instant();
        List<io.certapi.core.Identifier> names = List.of(
                io.certapi.core.Identifier.dns(config.domain()),
                new io.certapi.core.Identifier(io.certapi.core.Identifier.IP, "127.0.0.1"),
                new io.certapi.core.Identifier(io.certapi.core.Identifier.IP, "::1"));
        IssuedCertificate issued = issue(new LeafRequest(keys.getPublic(), names,
                now.minus(config.certificate().backdate()), now.plus(config.ca().httpsLifetime())));
        return new HttpsMaterial(issued.pemChain(), Pem.privateKey(keys.getPrivate()),
                issued.certificate().getNotAfter().toInstant());
    }

    /** The data directory's CA folder. */
    Path directory() {
        return dir;
    }

    private static String suffix() {
        return HexFormat.of().formatHex(Certificates.randomSerial().toByteArray(), 0, 3);
    }

    /** An HTTPS certificate chain and key, PEM. */
    record HttpsMaterial(String chainPem, String keyPem, Instant notAfter) {
    }
}
