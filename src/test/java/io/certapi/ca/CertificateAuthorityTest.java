package io.certapi.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.config.CertapiConfig;
import io.certapi.config.PublicUrls;
import io.certapi.core.Identifier;
import io.certapi.store.DatabaseCheck;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
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
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA on its own: created once, loaded after, keys owner-only, leaves as promised. */
class CertificateAuthorityTest {

    /** These tests have no database: the check before creating a CA passes. */
    static final DatabaseCheck REACHABLE = new DatabaseCheck(Optional.empty(), Optional.empty(),
            Optional.empty()) {
        @Override
        public void requireReachable() {
        }
    };


    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    static CertapiConfig config(Path dataDir) {
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(CertapiConfig.class)
                .withConverter(Duration.class, 200,
                        new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(Map.of("certapi.data-dir", dataDir.toString(),
                        "certapi.base-url", "https://ca.test:8443"))
                .build();
        return c.getConfigMapping(CertapiConfig.class);
    }

    private CertificateAuthority ca() {
        CertapiConfig cfg = config(dir);
        return new CertificateAuthority(cfg, Clock.fixed(NOW, ZoneOffset.UTC),
                new PublicUrls(cfg, 8443), CertificateAuthorityTest.REACHABLE);
    }

    @Test
    void createsOnceThenLoadsTheSameHierarchy() throws Exception {
        CertificateAuthority first = ca();
        CertificateAuthority second = ca();
        assertEquals(first.root(), second.root());
        assertEquals(first.currentIssuer().certificate(), second.currentIssuer().certificate());
        assertTrue(Files.exists(dir.resolve("ca/root.pem")));
        assertTrue(Files.exists(dir.resolve("ca/current")));
        List<Path> keys;
        try (var s = Files.list(dir.resolve("ca/keys"))) {
            keys = s.toList();
        }
        assertEquals(2, keys.size(), "a root key and an intermediate key");
        for (Path key : keys) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(key)), key.toString());
        }
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
        assertTrue(aia.contains("https://ca.test:8443/issuers/" + ca.currentIssuer().id()), aia);
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
