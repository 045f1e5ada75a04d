package io.certapi.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.config.CertapiConfig;
import io.certapi.config.PublicUrls;
import io.certapi.core.Identifier;
import io.certapi.store.CaRecordStore;
import io.certapi.testing.TestConfig;
import io.certapi.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA on its own: created once, loaded after, keys owner-only, leaves as promised. */
class CertificateAuthorityTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private final DataSource db = TestDatabase.fresh();

    static CertapiConfig config(Path dataDir) {
        return config(dataDir, Map.of());
    }

    static CertapiConfig config(Path dataDir, Map<String, String> more) {
        Map<String, String> values = new java.util.HashMap<>(Map.of("certapi.data-dir",
                dataDir.toString(), "certapi.base-url", "https://ca.test:8443"));
        values.putAll(more);
        return TestConfig.of(values);
    }

    /** A CA on {@code db}, as an instance with {@code cfg} would start it at {@code now}. */
    static CertificateAuthority start(CertapiConfig cfg, DataSource db, Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new CertificateAuthority(cfg, clock, new PublicUrls(cfg, 8443, 8080),
                new CaRecordStore(db, clock), KeyVault.of(cfg));
    }

    private CertificateAuthority ca() {
        return start(config(dir), db, NOW);
    }

    @Test
    void createsOnceThenLoadsTheSameHierarchy() throws Exception {
        CertificateAuthority first = ca();
        CertificateAuthority second = ca();
        assertEquals(first.root(), second.root());
        assertEquals(first.currentIssuer().certificate(), second.currentIssuer().certificate());
        assertEquals(Pem.encode(first.root()), Files.readString(dir.resolve("ca/root.pem")));
        try (var s = Files.list(dir.resolve("ca"))) {
            assertEquals(List.of(dir.resolve("ca/root.pem")), s.toList(),
                    "no key and no hierarchy in files: the CA is in the database");
        }
        // Both keys are in the database, wrapped under the key-encryption key in ca-kek (0600).
        List<CaRecords.KeyRow> keys = new CaRecordStore(db, Clock.systemUTC()).keys();
        assertEquals(2, keys.size(), "a root key and an intermediate key");
        String kek = Files.readString(dir.resolve("ca-kek")).trim();
        for (CaRecords.KeyRow key : keys) {
            assertEquals(WrappedKeys.PROTECTION, key.protection());
            assertEquals(WrappedKeys.fingerprint(java.util.Base64.getDecoder().decode(kek)),
                    key.kekId().orElseThrow());
            assertFalse(new String(java.util.Base64.getDecoder().decode(key.content()),
                    java.nio.charset.StandardCharsets.ISO_8859_1).contains("PRIVATE KEY"));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("ca-kek"))));
        assertTrue(first.root().getBasicConstraints() >= 0, "the root is a CA");
    }

    @Test
    void leafHasEveryNameKeyUsageAiaAndTheRequestedValidity() throws Exception {
        CertificateAuthority ca = ca();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        var key = g.generateKeyPair().getPublic();
        Instant nb = NOW.minusSeconds(60);
        IssuedCertificate issued = ca.issue(new LeafRequest(key, List.of(
                Identifier.dns("a.test"), Identifier.dns("b.test")), nb,
                nb.plus(Duration.ofMinutes(10))));
        X509Certificate leaf = issued.certificate();
        assertEquals(key, leaf.getPublicKey());
        assertEquals(nb, leaf.getNotBefore().toInstant());
        assertEquals(Duration.ofMinutes(10), Duration.between(leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant()));
        assertEquals(2, leaf.getSubjectAlternativeNames().size());
        assertEquals("CN=a.test", leaf.getSubjectX500Principal().getName());
        assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
        assertTrue(leaf.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"));
        assertTrue(leaf.getKeyUsage()[0], "digitalSignature");
        assertFalse(leaf.getKeyUsage()[2], "no keyEncipherment for an EC key");
        assertNotNull(leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId()));
        assertNotNull(leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId()));
        String aia = new String(leaf.getExtensionValue(
                Extension.authorityInfoAccess.getId()), java.nio.charset.StandardCharsets.UTF_8);
        // Plain HTTP, whatever the ACME base URL: OCSP and CRL fetchers do not follow https.
        assertTrue(aia.contains("http://localhost:8080/issuers/" + ca.currentIssuer().id()), aia);
        assertTrue(aia.contains("http://localhost:8080/ocsp"), aia);
        assertFalse(aia.contains("https:"), aia);
        String crlDp = new String(leaf.getExtensionValue(
                Extension.cRLDistributionPoints.getId()), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(crlDp.contains("http://localhost:8080/crl/" + ca.currentIssuer().id()), crlDp);
        assertTrue(leaf.getSerialNumber().bitLength() >= 120, "random serial");
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.root(), null)));
        params.setRevocationEnabled(false);
        params.setDate(java.util.Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(
                Pem.certificates(issued.pemChain())), params);
    }

    @Test
    void aHierarchyLoadedThroughBouncyCastleStillSigns() throws Exception {
        // With BC registered (acme4j does it), keys read back from PEM are BC keys whose
        // getAlgorithm() is "ECDSA": signing must not depend on that name.
        java.security.Provider bc = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        boolean added = java.security.Security.addProvider(bc) != -1;
        try {
            ca();
            CertificateAuthority loaded = ca();
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            IssuedCertificate issued = loaded.issue(new LeafRequest(g.generateKeyPair()
                    .getPublic(), List.of(Identifier.dns("bc.test")), NOW, NOW.plusSeconds(600)));
            issued.certificate().verify(loaded.currentIssuer().certificate().getPublicKey());
            assertEquals("SHA256withECDSA", issued.certificate().getSigAlgName());
        } finally {
            if (added) {
                java.security.Security.removeProvider(bc.getName());
            }
        }
    }

    @Test
    void revocationUrlsMustBePlainHttp() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new PublicUrls(config(dir, Map.of(
                        "certapi.revocation.base-url", "https://ca.test/")), 8443, 8080));
        assertTrue(e.getMessage().contains("plain http://"), e.getMessage());
        assertEquals("http://ocsp.ca.test", new PublicUrls(config(dir, Map.of(
                "certapi.revocation.base-url", "http://ocsp.ca.test/")), 8443, 8080)
                .revocationBase());
        assertEquals("http://localhost", new PublicUrls(config(dir), 8443, 80).revocationBase());
    }

    @Test
    void leafWithoutAShortDnsNameHasAnEmptySubjectAndCriticalSan() throws Exception {
        CertificateAuthority ca = ca();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        String longName = "a".repeat(60) + ".long.test";
        X509Certificate leaf = ca.issue(new LeafRequest(g.generateKeyPair().getPublic(),
                List.of(Identifier.dns(longName)), NOW, NOW.plusSeconds(600))).certificate();
        assertEquals("", leaf.getSubjectX500Principal().getName());
        assertTrue(leaf.getCriticalExtensionOIDs().contains(
                Extension.subjectAlternativeName.getId()));
    }
}
