package io.certapi.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.config.CertapiConfig;
import io.certapi.config.PublicUrls;
import io.certapi.core.Identifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotations of the intermediate and of the root, on the CA alone, checked with PKIX. */
class CaRotationTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private CertificateAuthority ca() {
        CertapiConfig cfg = CertificateAuthorityTest.config(dir);
        return new CertificateAuthority(cfg, Clock.fixed(NOW, ZoneOffset.UTC),
                new PublicUrls(cfg, 8443), CertificateAuthorityTest.REACHABLE);
    }

    private static IssuedCertificate leaf(CertificateAuthority ca, String name) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return ca.issue(new LeafRequest(g.generateKeyPair().getPublic(),
                List.of(Identifier.dns(name)), NOW, NOW.plusSeconds(600)));
    }

    private static void validate(List<X509Certificate> chain, X509Certificate root)
            throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        params.setDate(java.util.Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
    }

    @Test
    void anIntermediateRotationSignsWithTheNewOneAndKeepsTheOld() throws Exception {
        CertificateAuthority ca = ca();
        Issuer first = ca.currentIssuer();
        IssuedCertificate before = leaf(ca, "before.test");
        Issuer second = ca.rotateIntermediate("test");
        assertNotEquals(first.id(), second.id());
        assertEquals(second.id(), ca.currentIssuer().id());
        IssuedCertificate after = leaf(ca, "after.test");
        assertEquals(second.id(), after.issuerId());
        assertEquals(first.id(), before.issuerId());
        // Both verify against the one root; the old issuer still has its key, for CRL and OCSP.
        validate(Pem.certificates(before.pemChain()), ca.root());
        validate(Pem.certificates(after.pemChain()), ca.root());
        assertTrue(ca.issuer(first.id()).isPresent());
        assertEquals(3, ca.hierarchy().size());
        assertEquals(1, ca.hierarchy().stream().filter(c -> c.current()
                && c.role().equals("intermediate")).count());
        // A restart (or another instance sharing ca/) loads the rotated state.
        assertEquals(second.id(), ca().currentIssuer().id());
    }

    @Test
    void anotherInstanceSharingTheFolderPicksUpARotation() {
        CertificateAuthority a = ca();
        CertificateAuthority b = ca();
        Issuer rotated = a.rotateIntermediate("test");
        assertNotEquals(rotated.id(), b.currentIssuer().id());
        assertTrue(b.refresh());
        assertEquals(rotated.id(), b.currentIssuer().id());
        assertFalse(b.refresh(), "nothing changed since");
    }

    @Test
    void aRootRotationCrossSignsSoThatBothRootsVerifyNewCertificates() throws Exception {
        CertificateAuthority ca = ca();
        X509Certificate oldRoot = ca.root();
        IssuedCertificate before = leaf(ca, "before.test");
        ca.rotateRoot("test");
        X509Certificate newRoot = ca.root();
        assertNotEquals(oldRoot, newRoot);
        IssuedCertificate after = leaf(ca, "after.test");

        List<List<X509Certificate>> chains = ca.chains(after.issuerId());
        assertEquals(2, chains.size(), "through the cross-signed root, and straight");
        assertEquals(2, chains.get(0).size(), "default: intermediate and cross-signed root");
        assertEquals(1, chains.get(1).size());
        X509Certificate leafCert = after.certificate();
        List<X509Certificate> viaCross = new ArrayList<>(List.of(leafCert));
        viaCross.addAll(chains.get(0));
        List<X509Certificate> direct = new ArrayList<>(List.of(leafCert));
        direct.addAll(chains.get(1));
        validate(viaCross, oldRoot);
        validate(direct, newRoot);
        assertThrows(CertPathValidatorException.class, () -> validate(direct, oldRoot));
        assertEquals(Pem.encode(viaCross.toArray()), after.pemChain(), "stored: the default");
        // Certificates of the old hierarchy still verify against the old root.
        validate(Pem.certificates(before.pemChain()), oldRoot);
        assertEquals(1, ca.chains(before.issuerId()).size());
        assertEquals(Pem.encode(newRoot), Files.readString(dir.resolve("ca/root.pem")));
        // The intermediate names its issuer by key only: by name and serial too, it would name
        // the self-signed new root alone, and OpenSSL would not build through the cross-sign.
        for (X509Certificate c : List.of(chains.get(0).get(0), leafCert)) {
            var aki = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
                    org.bouncycastle.asn1.ASN1OctetString.getInstance(c.getExtensionValue(
                            org.bouncycastle.asn1.x509.Extension.authorityKeyIdentifier.getId()))
                            .getOctets());
            assertEquals(null, aki.getAuthorityCertIssuer());
            assertEquals(null, aki.getAuthorityCertSerialNumber());
        }
    }

    @Test
    void deadlinesFollowRenewBeforeAndAnExpiredIntermediateIsReplacedAtStart() {
        CertificateAuthority ca = ca();
        assertEquals(ca.currentIssuer().certificate().getNotAfter().toInstant()
                .minus(java.time.Duration.ofDays(60)), ca.intermediateRenewalAt());
        assertEquals(ca.root().getNotAfter().toInstant().minus(java.time.Duration.ofDays(365)),
                ca.rootRenewalAt());
        // Started again 400 days later, past the 365-day intermediate's end.
        Instant later = NOW.plus(java.time.Duration.ofDays(400));
        CertapiConfig cfg = CertificateAuthorityTest.config(dir);
        CertificateAuthority restarted = new CertificateAuthority(cfg,
                Clock.fixed(later, ZoneOffset.UTC), new PublicUrls(cfg, 8443),
                CertificateAuthorityTest.REACHABLE);
        assertNotEquals(ca.currentIssuer().id(), restarted.currentIssuer().id());
        assertTrue(restarted.currentIssuer().certificate().getNotAfter().toInstant()
                .isAfter(later));
        assertEquals(ca.root(), restarted.root(), "the root was still good");
    }

    @Test
    void renewalLeadsMustShrinkDownTheHierarchy() {
        CertapiConfig bad = new io.smallrye.config.SmallRyeConfigBuilder()
                .withMapping(CertapiConfig.class)
                .withConverter(java.time.Duration.class, 200,
                        new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(java.util.Map.of("certapi.data-dir", dir.toString(),
                        "certapi.ca.https.renew-before", "90d"))
                .build().getConfigMapping(CertapiConfig.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CertificateAuthority(bad, Clock.fixed(NOW, ZoneOffset.UTC),
                        new PublicUrls(bad, 8443), CertificateAuthorityTest.REACHABLE));
        assertTrue(e.getMessage().contains("renew-before"), e.getMessage());
    }

    @Test
    void aHierarchyOfTheEarlierLayoutIsTakenOver() throws Exception {
        // certapi 0.1 kept root.pem, root.key, intermediate.pem and intermediate.key.
        CertificateAuthority original = ca();
        Path ca = dir.resolve("ca");
        X509Certificate root = original.root();
        Issuer intermediate = original.currentIssuer();
        Files.writeString(ca.resolve("root.key"), Files.readString(keyOf(ca, root)));
        Files.writeString(ca.resolve("intermediate.pem"), intermediate.pem());
        Files.writeString(ca.resolve("intermediate.key"),
                Files.readString(keyOf(ca, intermediate.certificate())));
        for (String gone : List.of("current", "issuers", "keys")) {
            org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> deleteTree(ca.resolve(gone)));
        }
        CertificateAuthority loaded = ca();
        assertEquals(root, loaded.root());
        assertEquals(intermediate.id(), loaded.currentIssuer().id());
        validate(Pem.certificates(leaf(loaded, "legacy.test").pemChain()), root);
    }

    private static Path keyOf(Path ca, X509Certificate c) throws Exception {
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest
                .getInstance("SHA-256").digest(c.getPublicKey().getEncoded()));
        return ca.resolve("keys").resolve(hash + ".key");
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (Files.isDirectory(p)) {
            try (var s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }
}
