package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.TestPaths;
import io.certapi.testing.ValidationPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The packaged server's start and stop as an operator sees them: a first start that cannot
 * reach its database says so and leaves no CA behind; a graceful stop while the background work
 * runs logs no error.
 */
class LifecycleIT {

    @Test
    void aStartThatFailsOnTheDatabaseCreatesNoCa() throws Exception {
        Path data = Files.createTempDirectory(TestPaths.target(), "lifecycle-it").resolve("data");
        // /proc cannot hold a database file: H2 fails as an unreachable database would.
        PackagedServer server = new PackagedServer(data,
                Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:file:/proc/certapi-none/db"));
        assertThrows(IllegalStateException.class, server::start);
        String log = server.logText();
        // The schema migration, which runs before the CA is read or made, fails first.
        assertTrue(log.contains("Unable to obtain connection from database"), log);
        assertFalse(Files.exists(data.resolve("ca")), "no CA may be left behind");
    }

    @Test
    void aGracefulStopLogsNoErrorAndTheDataDirectoryIsPrivate() throws Exception {
        ValidationPeers peers = new ValidationPeers();
        Map<String, String> config = new HashMap<>(peers.start());
        // Every scheduled job runs each second, so that some run while the server stops.
        config.put("certapi.ca.check-interval", "1s");
        // An operator who switched the API documents off.
        config.put("quarkus.smallrye-openapi.enable", "false");
        config.put("quarkus.swagger-ui.enabled", "false");
        Path data = Files.createTempDirectory(TestPaths.target(), "lifecycle-it").resolve("data");
        // A data directory that an operator created readable by everyone.
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        PackagedServer server = new PackagedServer(data, config);
        try (PackagedServer s = server.start()) {
            AcmeFlows.init();
            Session session = new Session(s.directory());
            Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
            AcmeFlows.issue(account, AcmeFlows.domainKey(), "stop.lifecycle.test");
            // The admin API: HTTPS only by default.
            assertEquals(403, s.adminRequest("GET", "http://127.0.0.1:" + s.httpPort
                    + "/admin/ca").statusCode(), "no admin API on plain HTTP");
            assertEquals(403, s.adminRequest("GET", "http://127.0.0.1:" + s.httpPort
                    + "/admin/ui").statusCode(), "no dashboard on plain HTTP");
            assertTrue(s.admin("GET", "/admin/ca").contains("intermediate"));
            assertTrue(s.admin("GET", "/admin/ui").contains("certapi dashboard"));
            // The API documents are off.
            for (String doc : new String[] {"/openapi", "/swagger-ui/"}) {
                assertEquals(404, s.adminRequest("GET", "http://127.0.0.1:" + s.httpPort
                        + doc).statusCode(), doc);
            }
            Thread.sleep(2500);
        } finally {
            peers.stop();
        }
        String log = server.logText();
        assertTrue(log.contains("stopped in"), "the stop completed: " + log);
        assertFalse(log.contains(" ERROR "), "a graceful stop logs no error: " + log);
        assertTrue(log.contains("was readable by other users; made private"), log);
        // Every start says where clients point, what they trust and where the admin token is.
        assertTrue(log.contains("certapi is ready"), log);
        assertTrue(log.contains("clients must trust:  " + data.resolve("ca/root.pem")
                .toAbsolutePath()), log);
        assertTrue(log.contains("token in " + data.resolve("admin.token").toAbsolutePath()),
                log);
        assertFalse(log.contains("WARN  [org.fl"), "no Flyway warning on the default setup");
        assertTrue(Files.exists(data.resolve("certapi.mv.db")));
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.toList()) {
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
                        "everything under the data directory is private: " + p);
            }
        }
    }

    @Test
    void jsonLogsAndAnAuditFileAreASettingAway() throws Exception {
        Path data = Files.createTempDirectory(TestPaths.target(), "lifecycle-it").resolve("data");
        Path audit = data.resolveSibling("audit.log");
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.log.console.json.enabled", "true");
        // The audit category to a file of its own, one JSON object per line (operating.md).
        config.put("quarkus.log.handler.file.audit.enabled", "true");
        config.put("quarkus.log.handler.file.audit.path", audit.toString());
        config.put("quarkus.log.handler.file.audit.format", "%s%n");
        config.put("quarkus.log.category.\"certapi.audit\".handlers", "audit");
        PackagedServer server = new PackagedServer(data, config);
        try (PackagedServer s = server.start()) {
            AcmeFlows.init();
            AcmeFlows.newAccount(new Session(s.directory()), KeyPairUtils.createKeyPair());
            s.admin("GET", "/admin/ca");
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        int lines = 0;
        for (String line : server.logText().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            var n = json.readTree(line);
            assertTrue(n.has("level") && n.has("message"), line);
            lines++;
        }
        assertTrue(lines > 5, "the console log is JSON, line by line");
        List<String> events = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            events.add(json.readTree(line).get("event").asText());
        }
        assertTrue(events.contains("account.created"), events.toString());
        assertTrue(events.contains("admin.call"), events.toString());
    }
}
