package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certapi.testing.TestPaths;
import io.certapi.testing.ValidationPeers;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * An online backup restored as docs/operating.md says: the archive unpacked into a fresh data
 * directory with the key-encryption key beside it; the server started on it serves the old
 * certificate to its account and revokes it.
 */
class BackupIT {

    @Test
    void aBackupRestoredIntoAFreshDataDirectoryServesAndRevokesTheOldCertificates()
            throws Exception {
        ValidationPeers peers = new ValidationPeers();
        Map<String, String> config = peers.start();
        Path work = Files.createTempDirectory(TestPaths.target(), "backup-it");
        AcmeFlows.init();
        KeyPair accountKey = KeyPairUtils.createKeyPair();
        String accountId;
        String certId;
        Certificate original;
        JsonNode written;
        try {
            try (PackagedServer a = new PackagedServer(work.resolve("first"), config).start()) {
                Account account = AcmeFlows.newAccount(new Session(a.directory()), accountKey);
                original = AcmeFlows.issue(account, AcmeFlows.domainKey(), "backup.test");
                accountId = last(account.getLocation().toString());
                certId = last(original.getLocation().toString());
                written = new ObjectMapper().readTree(a.admin("POST", "/admin/backup"));
            }
            Path archive = Path.of(written.get("file").asText());
            assertTrue(archive.startsWith(work.resolve("first/backups")), archive.toString());
            assertTrue(written.get("note").asText().contains("key-encryption key"));

            // Restore: unpack into a fresh data directory, and give it the KEK.
            Path fresh = work.resolve("restored");
            Files.createDirectories(fresh);
            try (InputStream in = Files.newInputStream(archive);
                    ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    Path to = fresh.resolve(e.getName()).normalize();
                    assertTrue(to.startsWith(fresh), e.getName());
                    Files.createDirectories(to.getParent());
                    Files.copy(zip, to);
                }
            }
            Files.copy(work.resolve("first/ca-kek"), fresh.resolve("ca-kek"));

            try (PackagedServer b = new PackagedServer(fresh, config).start()) {
                assertEquals(Files.readString(work.resolve("first/ca/root.pem")),
                        Files.readString(fresh.resolve("ca/root.pem")), "the same CA");
                Session session = new Session(b.directory());
                Login login = session.login(URI.create("http://127.0.0.1:" + b.httpPort
                        + "/acme/account/" + accountId).toURL(), accountKey);
                Certificate restored = login.bindCertificate(URI.create("http://127.0.0.1:"
                        + b.httpPort + "/acme/cert/" + certId).toURL());
                restored.download();
                assertEquals(original.getCertificate(), restored.getCertificate());
                restored.revoke(RevocationReason.SUPERSEDED);
                assertTrue(b.logText().contains("revoked, reason 4"), "revoked after restore");
            }
        } finally {
            peers.stop();
        }
    }

    private static String last(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
