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
import io.certapi.testing.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotations of the intermediate and of the root, on the CA alone, checked with PKIX. */
class CaRotationTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private final DataSource db = TestDatabase.fresh();

    private CertificateAuthority ca() {
        return CertificateAuthorityTest.start(CertificateAuthorityTest.config(dir), db, NOW);
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
        // A restart loads the rotated state.
        assertEquals(second.id(), ca().currentIssuer().id());
    }

    @Test
    void anotherInstanceOnTheDatabaseSharesNoFileAndPicksUpARotation(@TempDir Path other)
            throws Exception {
        // Two instances, each with its own data directory, given the same KEK.
        String kek = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        java.util.Map<String, String> shared = java.util.Map.of("certapi.ca.keys.kek", kek);
        CertificateAuthority a = CertificateAuthorityTest.start(
                CertificateAuthorityTest.config(dir, shared), db, NOW);
        CertificateAuthority b = CertificateAuthorityTest.start(
                CertificateAuthorityTest.config(other, shared), db, NOW);
        assertEquals(a.currentIssuer().id(), b.currentIssuer().id(), "one CA, not two");
        Issuer first = a.currentIssuer();
        Issuer rotated = a.rotateIntermediate("test");
        // Before its next check, b already answers for the new issuer (its CRL, its OCSP).
        assertEquals(rotated.certificate(), b.issuer(rotated.id()).orElseThrow().certificate());
        assertNotEquals(rotated.id(), b.currentIssuer().id());
        assertTrue(b.refresh());
        assertEquals(rotated.id(), b.currentIssuer().id());
        assertFalse(b.refresh(), "nothing changed since");
        IssuedCertificate fromB = leaf(b, "b.test");
        assertEquals(rotated.id(), fromB.issuerId());
        validate(Pem.certificates(fromB.pemChain()), a.root());
        assertTrue(b.issuer(first.id()).isPresent(), "the old issuer still signs its CRL");
        assertEquals(Pem.encode(a.root()), Files.readString(other.resolve("ca/root.pem")));
        // b rotating the root while a still has the old state: a sees it at its refresh.
        b.rotateRoot("test");
        assertTrue(a.refresh());
        assertEquals(b.root(), a.root());
        assertEquals(b.currentIssuer().id(), a.currentIssuer().id());
    }

    @Test
    void anInstanceWithoutTheKeyEncryptionKeyRefusesToStartAndSaysWhy(@TempDir Path other) {
        ca();
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                CertificateAuthorityTest.start(CertificateAuthorityTest.config(other), db, NOW));
        assertTrue(e.getMessage().contains("certapi.ca.keys.kek"), e.getMessage());
        String wrong = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        e = assertThrows(IllegalStateException.class, () -> CertificateAuthorityTest.start(
                CertificateAuthorityTest.config(other, java.util.Map.of("certapi.ca.keys.kek",
                        wrong)), db, NOW));
        assertTrue(e.getMessage().contains("wrapped under the key-encryption key"),
                e.getMessage());
    }

    @Test
    void aRotationThatLosesTheRaceTakesTheWinnersCa(@TempDir Path other) {
        CertificateAuthority a = ca();
        CertificateAuthority b = CertificateAuthorityTest.start(
                CertificateAuthorityTest.config(other, java.util.Map.of("certapi.ca.keys.kek-file",
                        dir.resolve("ca-kek").toString())), db, NOW);
        Issuer winner = a.rotateIntermediate("first");
        // b has not seen a's rotation: its compare-and-set fails, and it uses a's.
        Issuer got = b.rotateIntermediate("second");
        assertEquals(winner.id(), got.id());
        assertEquals(winner.id(), b.currentIssuer().id());
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
        CertificateAuthority restarted = CertificateAuthorityTest.start(
                CertificateAuthorityTest.config(dir), db, later);
        assertNotEquals(ca.currentIssuer().id(), restarted.currentIssuer().id());
        assertTrue(restarted.currentIssuer().certificate().getNotAfter().toInstant()
                .isAfter(later));
        assertEquals(ca.root(), restarted.root(), "the root was still good");
    }

    @Test
    void renewalLeadsMustShrinkDownTheHierarchy() {
        CertapiConfig bad = io.certapi.testing.TestConfig.of(java.util.Map.of(
                "certapi.data-dir", dir.toString(), "certapi.ca.https.renew-before", "90d"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CertificateAuthorityTest.start(bad, db, NOW));
        assertTrue(e.getMessage().contains("renew-before"), e.getMessage());
    }

    @Test
    void aHierarchyOfCertapi01FilesMovesIntoTheDatabase() throws Exception {
        // certapi 0.1 kept root.pem, root.key, intermediate.pem and intermediate.key.
        Issuer root = selfSigned();
        Issuer intermediate = under(root, "Old Intermediate");
        Path ca = writeCertapi01Files(dir, root, intermediate);
        CertificateAuthority loaded = ca();
        assertEquals(root.certificate(), loaded.root());
        assertEquals(intermediate.id(), loaded.currentIssuer().id());
        validate(Pem.certificates(leaf(loaded, "legacy.test").pemChain()), root.certificate());
        assertFalse(Files.exists(ca.resolve("root.key")), "no private key left in ca/");
        assertTrue(Files.exists(dir.resolve("ca-migrated/root.key")));
        // Started again: the database's CA, and nothing more to move.
        assertEquals(intermediate.id(), ca().currentIssuer().id());
    }

    @Test
    void aHierarchyOfIssuerFilesMovesIntoTheDatabaseWithItsOldIssuers() throws Exception {
        // The layout before the database: issuers/<id>.pem, keys/<SPKI SHA-256>.key, current.
        Issuer root = selfSigned();
        Issuer old = under(root, "Older Intermediate");
        Issuer current = under(root, "Current Intermediate");
        Path ca = dir.resolve("ca");
        for (Issuer i : List.of(root, old, current)) {
            Files.createDirectories(ca.resolve("issuers"));
            Files.createDirectories(ca.resolve("keys"));
            Files.writeString(ca.resolve("issuers/" + i.id() + ".pem"), i.pem());
            Files.writeString(ca.resolve("keys/" + Issuer.keyIdOf(i.certificate()
                    .getPublicKey()) + ".key"), Pem.privateKey(i.key()));
        }
        Files.writeString(ca.resolve("current"), "root=" + root.id() + "\nintermediate="
                + current.id() + "\n");
        Files.writeString(ca.resolve("root.pem"), root.pem());
        CertificateAuthority loaded = ca();
        assertEquals(current.id(), loaded.currentIssuer().id());
        assertEquals(3, loaded.hierarchy().size());
        assertTrue(loaded.issuer(old.id()).isPresent(), "the older issuer signs its CRL still");
        assertEquals(2, loaded.intermediatesInUse().size());
        validate(Pem.certificates(leaf(loaded, "moved.test").pemChain()), root.certificate());
        for (String gone : List.of("issuers", "keys", "current")) {
            assertFalse(Files.exists(ca.resolve(gone)), gone);
            assertTrue(Files.exists(dir.resolve("ca-migrated").resolve(gone)), gone);
        }
        // A copy of the same folder on a second instance: moved aside there too, not imported.
        Path copy = dir.resolve("second");
        Files.createDirectories(copy.resolve("ca"));
        Files.move(dir.resolve("ca-migrated/issuers"), copy.resolve("ca/issuers"));
        Files.move(dir.resolve("ca-migrated/keys"), copy.resolve("ca/keys"));
        Files.move(dir.resolve("ca-migrated/current"), copy.resolve("ca/current"));
        CertificateAuthority second = CertificateAuthorityTest.start(
                CertificateAuthorityTest.config(copy, java.util.Map.of("certapi.ca.keys.kek-file",
                        dir.resolve("ca-kek").toString())), db, NOW);
        assertEquals(current.id(), second.currentIssuer().id());
        assertFalse(Files.exists(copy.resolve("ca/keys")));
    }

    /** certapi 0.1's CA folder under {@code dataDir}: the root and intermediate with keys. */
    static Path writeCertapi01Files(Path dataDir, Issuer root, Issuer intermediate)
            throws java.io.IOException {
        Path ca = dataDir.resolve("ca");
        Files.createDirectories(ca);
        Files.writeString(ca.resolve("root.pem"), root.pem());
        Files.writeString(ca.resolve("root.key"), Pem.privateKey(root.key()));
        Files.writeString(ca.resolve("intermediate.pem"), intermediate.pem());
        Files.writeString(ca.resolve("intermediate.key"), Pem.privateKey(intermediate.key()));
        return ca;
    }

    /** A self-signed P-384 root valid around NOW. */
    static Issuer selfSigned() {
        java.security.KeyPair keys = Certificates.ecKeyPair("secp384r1");
        return new Issuer(Certificates.root(keys, "Old Root", NOW.minusSeconds(3600),
                NOW.plus(java.time.Duration.ofDays(3000))), keys.getPrivate());
    }

    /** A P-256 intermediate under {@code root}, valid around NOW. */
    static Issuer under(Issuer root, String name) {
        java.security.KeyPair keys = Certificates.ecKeyPair("secp256r1");
        return new Issuer(Certificates.intermediate(root, keys.getPublic(), name,
                NOW.minusSeconds(3600), NOW.plus(java.time.Duration.ofDays(300))),
                keys.getPrivate());
    }
}
