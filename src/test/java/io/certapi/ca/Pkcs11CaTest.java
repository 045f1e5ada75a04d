package io.certapi.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.config.CertapiConfig;
import io.certapi.core.Identifier;
import io.certapi.store.CaRecordStore;
import io.certapi.testing.SoftHsm;
import io.certapi.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA with its keys in a real HSM: SoftHSM v2 through the JDK's SunPKCS11 provider. The
 * database holds the certificates and only the names of the keys.
 */
class Pkcs11CaTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private final DataSource db = TestDatabase.fresh();

    private CertapiConfig config(Path dataDir) {
        return CertificateAuthorityTest.config(dataDir, Map.of(
                "certapi.ca.keys.protection", "pkcs11",
                "certapi.ca.keys.pkcs11.config", SoftHsm.sunPkcs11Config().toString(),
                "certapi.ca.keys.pkcs11.pin", SoftHsm.PIN));
    }

    private static IssuedCertificate leaf(CertificateAuthority ca, String name) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return ca.issue(new LeafRequest(g.generateKeyPair().getPublic(),
                List.of(Identifier.dns(name)), NOW, NOW.plusSeconds(600)));
    }

    @Test
    void keysAreMadeAndUsedInsideTheTokenAndNamedOnlyInTheDatabase(@TempDir Path other)
            throws Exception {
        CertificateAuthority ca = CertificateAuthorityTest.start(config(dir), db, NOW);
        Issuer issuer = ca.currentIssuer();
        // A token key: its private part never leaves the HSM.
        assertNull(issuer.key().getEncoded(), "a sensitive PKCS#11 key has no encoding");
        assertTrue(issuer.key().getClass().getName().contains("P11"),
                issuer.key().getClass().getName());
        for (CaRecords.KeyRow row : new CaRecordStore(db, Clock.systemUTC()).keys()) {
            assertEquals(Pkcs11Keys.PROTECTION, row.protection());
            assertEquals(row.id(), row.content(), "the token's name for it, nothing more");
        }
        assertFalse(Files.exists(dir.resolve("ca-kek")), "no key-encryption key is needed");

        IssuedCertificate issued = leaf(ca, "hsm.test");
        issued.certificate().verify(issuer.certificate().getPublicKey());
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
                new java.io.ByteArrayInputStream(ca.crl(issuer, List.of(), NOW)));
        crl.verify(issuer.certificate().getPublicKey());

        // Another instance on the same database and token signs with the same keys, and
        // picks up a rotation made in the token by the first.
        CertificateAuthority second = CertificateAuthorityTest.start(config(other), db, NOW);
        assertEquals(issuer.id(), second.currentIssuer().id());
        Issuer rotated = ca.rotateIntermediate("test");
        assertNotEquals(issuer.id(), rotated.id());
        assertTrue(second.refresh());
        IssuedCertificate fromSecond = leaf(second, "second.hsm.test");
        assertEquals(rotated.id(), fromSecond.issuerId());
        fromSecond.certificate().verify(rotated.certificate().getPublicKey());
        ca.rotateRoot("test");
        assertTrue(second.refresh());
        leaf(second, "new-root.hsm.test").certificate()
                .verify(second.currentIssuer().certificate().getPublicKey());
    }

    @Test
    void aHierarchyInFilesMovesIntoTheToken() throws Exception {
        Issuer root = CaRotationTest.selfSigned();
        Issuer intermediate = CaRotationTest.under(root, "File Intermediate");
        Path ca = CaRotationTest.writeCertapi01Files(dir, root, intermediate);

        CertificateAuthority loaded = CertificateAuthorityTest.start(config(dir), db, NOW);
        assertEquals(intermediate.id(), loaded.currentIssuer().id());
        assertTrue(loaded.currentIssuer().key().getClass().getName().contains("P11"),
                "the imported key is read back from the token");
        leaf(loaded, "imported.test").certificate()
                .verify(intermediate.certificate().getPublicKey());
        assertFalse(Files.exists(ca.resolve("intermediate.key")));
    }
}
