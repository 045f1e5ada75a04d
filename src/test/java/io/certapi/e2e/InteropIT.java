package io.certapi.e2e;

import static io.certapi.e2e.Interop.check;
import static io.certapi.e2e.Interop.ok;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.TestPaths;
import io.certapi.testing.ValidationPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The interop suite: every widely used ACME client that Debian packages, against the packaged
 * jar over HTTPS, trusting only the root certapi wrote, with every challenge validated for real
 * (names resolve to 127.0.0.1 through the test DNS server). Each client obtains a certificate,
 * renews it and revokes it where it can; every file it writes is checked with openssl. One line
 * per client, then "N passed, N failed".
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(InteropReport.class)
class InteropIT {

    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final ValidationPeers PEERS = new ValidationPeers();
    private static Map<String, String> peers;
    private static Path work;
    private static Path root;
    private static PackagedServer server;
    private static int httpPort;
    private static int tlsPort;
    private static String management;

    @BeforeAll
    static void start() throws Exception {
        peers = PEERS.start();
        work = Files.createTempDirectory(TestPaths.target(), "interop").toAbsolutePath();
        httpPort = PackagedServer.freePort();
        tlsPort = PackagedServer.freePort();
        management = "http://127.0.0.1:" + ValidationPeers.managementPort();
        int serverHttp = PackagedServer.freePort();
        server = new PackagedServer(work.resolve("data"), Map.of(
                "quarkus.http.port", String.valueOf(serverHttp),
                "certapi.validation.dns-resolver", peers.get("certapi.validation.dns-resolver"),
                "certapi.validation.http01-port", String.valueOf(httpPort),
                "certapi.validation.tls-alpn01-port", String.valueOf(tlsPort),
                "certapi.issuance.delay", "1s",
                // An address, not a name: nginx resolves an OCSP responder's name only with a
                // resolver directive.
                "certapi.revocation.base-url", "http://127.0.0.1:" + serverHttp))
                .start();
        root = work.resolve("data/ca/root.pem");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        PEERS.stop();
    }

    // ---- certbot ---------------------------------------------------------------------------

    @Test
    @Order(1)
    void certbotStandaloneObtainsRenewsAndRevokes() throws Exception {
        Path dir = work.resolve("certbot-standalone");
        String name = "standalone.certbot.test";
        long started = System.nanoTime();
        certbot(dir, "certonly", "--standalone", "--http-01-port", String.valueOf(httpPort),
                "--http-01-address", "127.0.0.1", "-d", name, "-d", "www." + name);
        X509Certificate first = certbotCheck(dir, name, name, "www." + name);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 1000,
                "issued after the configured delay");
        certbot(dir, "renew", "--no-random-sleep-on-renew", "--cert-name", name);
        assertNotEquals(first.getSerialNumber(), certbotCheck(dir, name, name, "www." + name)
                .getSerialNumber(), "renewed");
        certbot(dir, "revoke", "--cert-name", name, "--reason", "superseded",
                "--no-delete-after-revoke");
        assertTrue(server.logText().contains("revoked, reason 4"), "revocation logged");
        // certbot asks the OCSP responder the certificate names (plain HTTP) and believes it.
        String listed = certbotOutput(dir, "certificates", "--cert-name", name);
        assertTrue(listed.contains("REVOKED"), listed);
    }

    @Test
    @Order(13)
    void nginxStaplesTheOcspAnswerForACertbotMustStapleCertificate() throws Exception {
        Path dir = work.resolve("certbot-nginx");
        String name = "staple.nginx.test";
        certbot(dir, "certonly", "--standalone", "--http-01-port", String.valueOf(httpPort),
                "--http-01-address", "127.0.0.1", "--must-staple", "-d", name);
        Path live = dir.resolve("config/live/" + name);
        X509Certificate cert = certbotCheck(dir, name, name);
        assertTrue(cert.getExtensionValue("1.3.6.1.5.5.7.1.24") != null,
                "certbot --must-staple: the certificate carries the TLS Feature extension");
        Path trusted = dir.resolve("trusted.pem");
        Files.writeString(trusted, Files.readString(live.resolve("chain.pem"))
                + Files.readString(root));
        int port = PackagedServer.freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, "daemon off;\nmaster_process off;\npid " + dir.resolve("nginx.pid")
                + ";\nerror_log " + dir.resolve("error.log") + " info;\nevents {}\nhttp {\n"
                + "  access_log off;\n"
                + "  client_body_temp_path " + dir + "/tmp-body;\n"
                + "  proxy_temp_path " + dir + "/tmp-proxy;\n"
                + "  fastcgi_temp_path " + dir + "/tmp-fastcgi;\n"
                + "  uwsgi_temp_path " + dir + "/tmp-uwsgi;\n"
                + "  scgi_temp_path " + dir + "/tmp-scgi;\n"
                + "  server {\n    listen 127.0.0.1:" + port + " ssl;\n"
                + "    server_name " + name + ";\n"
                + "    ssl_certificate " + live.resolve("fullchain.pem") + ";\n"
                + "    ssl_certificate_key " + live.resolve("privkey.pem") + ";\n"
                + "    ssl_stapling on;\n    ssl_stapling_verify on;\n"
                + "    ssl_trusted_certificate " + trusted + ";\n"
                + "    location / { return 200 \"stapled\\n\"; }\n  }\n}\n");
        Process nginx = new ProcessBuilder(ValidationPeers.findBinary("nginx"), "-p",
                dir.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        try {
            // nginx fetches the answer on the first handshake and staples it from then on.
            String status = "";
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < end) {
                Interop.Result r = Interop.run(List.of("openssl", "s_client", "-connect",
                        "127.0.0.1:" + port, "-servername", name, "-status", "-CAfile",
                        root.toString()), Map.of());
                status = r.output();
                if (status.contains("OCSP Response Status: successful")) {
                    break;
                }
                Thread.sleep(500);
            }
            assertTrue(status.contains("OCSP Response Status: successful"), status + "\n"
                    + Files.readString(dir.resolve("error.log")));
            assertTrue(status.contains("Cert Status: good"), status);
            assertTrue(status.contains("Verify return code: 0 (ok)"), status);
        } finally {
            nginx.destroy();
            nginx.waitFor();
        }
    }

    @Test
    @Order(2)
    void certbotWebrootObtainsAndRenewsAcrossARotation() throws Exception {
        Path dir = work.resolve("certbot-webroot");
        String name = "webroot.certbot.test";
        try (WebrootServer web = WebrootServer.start(dir.resolve("www"), httpPort)) {
            certbot(dir, "certonly", "--webroot", "-w", web.root.toString(), "-d", name);
            X509Certificate first = certbotCheck(dir, name, name);
            // Across a forced rotation of the intermediate (and so of the HTTPS certificate
            // certbot talks to): the renewal is signed by the new intermediate and verifies.
            server.admin("POST", "/admin/ca/rotate");
            certbot(dir, "renew", "--no-random-sleep-on-renew", "--cert-name", name);
            X509Certificate renewed = certbotCheck(dir, name, name);
            assertNotEquals(first.getSerialNumber(), renewed.getSerialNumber(), "renewed");
            assertNotEquals(first.getIssuerX500Principal(), renewed.getIssuerX500Principal(),
                    "signed by the new intermediate");
        }
    }

    @Test
    @Order(3)
    void certbotManualHttpWithHooks() throws Exception {
        Path dir = work.resolve("certbot-manual-http");
        String name = "manual-http.certbot.test";
        try (WebrootServer web = WebrootServer.start(dir.resolve("www"), httpPort)) {
            Path auth = Interop.script(dir.resolve("auth.sh"), "mkdir -p " + web.challenges
                    + "\nprintf '%s' \"$CERTBOT_VALIDATION\" > " + web.challenges
                    + "/$CERTBOT_TOKEN\n");
            Path clean = Interop.script(dir.resolve("cleanup.sh"), "rm -f " + web.challenges
                    + "/$CERTBOT_TOKEN\n");
            certbot(dir, "certonly", "--manual", "--preferred-challenges", "http",
                    "--manual-auth-hook", auth.toString(), "--manual-cleanup-hook",
                    clean.toString(), "-d", name);
            certbotCheck(dir, name, name);
        }
    }

    @Test
    @Order(4)
    void certbotManualDnsForAWildcardAndAPlainName() throws Exception {
        Path dir = work.resolve("certbot-manual-dns");
        Files.createDirectories(dir);
        Path auth = Interop.script(dir.resolve("auth.sh"), "curl -sf -X POST -d "
                + "\"{\\\"host\\\":\\\"_acme-challenge.$CERTBOT_DOMAIN.\\\","
                + "\\\"value\\\":\\\"$CERTBOT_VALIDATION\\\"}\" " + management + "/set-txt\n");
        Path clean = Interop.script(dir.resolve("cleanup.sh"), "curl -sf -X POST -d "
                + "\"{\\\"host\\\":\\\"_acme-challenge.$CERTBOT_DOMAIN.\\\"}\" " + management
                + "/clear-txt\n");
        certbot(dir, "certonly", "--manual", "--preferred-challenges", "dns",
                "--manual-auth-hook", auth.toString(), "--manual-cleanup-hook", clean.toString(),
                "--cert-name", "wild", "-d", "*.wild.certbot.test", "-d", "plain.certbot.test");
        X509Certificate first = certbotCheck(dir, "wild", "*.wild.certbot.test",
                "plain.certbot.test");
        certbot(dir, "renew", "--no-random-sleep-on-renew", "--cert-name", "wild");
        assertNotEquals(first.getSerialNumber(), certbotCheck(dir, "wild",
                "*.wild.certbot.test", "plain.certbot.test").getSerialNumber(), "renewed");
    }

    @Test
    @Order(12)
    void certbotRegistersWithAnExternalAccountBinding() throws Exception {
        Path dir = work.resolve("certbot-eab");
        var key = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                server.admin("POST", "/admin/eab-keys"));
        String kid = key.get("keyId").asText();
        certbot(dir, "register", "--eab-kid", kid, "--eab-hmac-key",
                key.get("hmacKey").asText());
        var listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                server.admin("GET", "/admin/eab-keys"));
        boolean bound = false;
        for (var k : listed) {
            bound |= k.get("keyId").asText().equals(kid) && k.hasNonNull("account");
        }
        assertTrue(bound, "the key is bound to certbot's account: " + listed);
    }

    private static void certbot(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ValidationPeers.findBinary("certbot")));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--non-interactive", "--agree-tos",
                "--register-unsafely-without-email", "--server", server.httpsDirectory(),
                "--config-dir", dir.resolve("config").toString(),
                "--work-dir", dir.resolve("work").toString(),
                "--logs-dir", dir.resolve("logs").toString()));
        ok(cmd, Map.of("REQUESTS_CA_BUNDLE", root.toString()));
    }

    private static String certbotOutput(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ValidationPeers.findBinary("certbot")));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--non-interactive", "--config-dir", dir.resolve("config").toString(),
                "--work-dir", dir.resolve("work").toString(),
                "--logs-dir", dir.resolve("logs").toString()));
        return ok(cmd, Map.of("REQUESTS_CA_BUNDLE", root.toString()));
    }

    private static X509Certificate certbotCheck(Path dir, String certName, String... names)
            throws Exception {
        Path live = dir.resolve("config/live/" + certName);
        return check(root, live.resolve("cert.pem"), live.resolve("chain.pem"),
                live.resolve("privkey.pem"), LIFETIME, names);
    }

    // ---- lego ------------------------------------------------------------------------------

    @Test
    @Order(5)
    void legoHttp01ObtainsAndRenews() throws Exception {
        Path dir = work.resolve("lego-http");
        String name = "http.lego.test";
        ok(lego(dir, name, "--http", "--http.port", "127.0.0.1:" + httpPort, "run"), legoEnv());
        X509Certificate first = legoCheck(dir, name);
        ok(lego(dir, name, "--http", "--http.port", "127.0.0.1:" + httpPort, "renew",
                "--days", "1", "--no-random-sleep"), legoEnv());
        assertNotEquals(first.getSerialNumber(), legoCheck(dir, name).getSerialNumber());
    }

    @Test
    @Order(6)
    void legoTlsAlpn01() throws Exception {
        Path dir = work.resolve("lego-tls");
        ok(lego(dir, "tls.lego.test", "--tls", "--tls.port", "127.0.0.1:" + tlsPort, "run"),
                legoEnv());
        legoCheck(dir, "tls.lego.test");
    }

    @Test
    @Order(7)
    void legoDns01ThroughExecThenRevokes() throws Exception {
        Path dir = work.resolve("lego-dns");
        Files.createDirectories(dir);
        Path script = Interop.script(dir.resolve("exec.sh"), "case \"$1\" in\n"
                + "  present) curl -sf -X POST -d \"{\\\"host\\\":\\\"$2\\\",\\\"value\\\":\\\"$3\\\"}\" "
                + management + "/set-txt ;;\n"
                + "  cleanup) curl -sf -X POST -d \"{\\\"host\\\":\\\"$2\\\"}\" " + management
                + "/clear-txt ;;\n"
                + "esac\n");
        Map<String, String> env = new HashMap<>(legoEnv());
        env.putAll(Map.of("EXEC_PATH", script.toString(), "EXEC_POLLING_INTERVAL", "1",
                "EXEC_PROPAGATION_TIMEOUT", "5"));
        ok(lego(dir, "dns.lego.test", "--dns", "exec", "--dns.resolvers",
                "127.0.0.1:" + ValidationPeers.dnsPort(), "--dns.disable-cp", "run"), env);
        legoCheck(dir, "dns.lego.test");
        ok(lego(dir, "dns.lego.test", "revoke"), legoEnv());
    }

    private static List<String> lego(Path dir, String domain, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ValidationPeers.findBinary("lego"),
                "--server", server.httpsDirectory(), "--email", "ops@interop.test",
                "--accept-tos", "--path", dir.toString(), "--domains", domain));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Map<String, String> legoEnv() {
        return Map.of("LEGO_CA_CERTIFICATES", root.toString());
    }

    private static X509Certificate legoCheck(Path dir, String name) throws Exception {
        Path certs = dir.resolve("certificates");
        return check(root, certs.resolve(name + ".crt"), certs.resolve(name + ".issuer.crt"),
                certs.resolve(name + ".key"), LIFETIME, name);
    }

    // ---- uacme, dehydrated, acme-tiny --------------------------------------------------------

    @Test
    @Order(8)
    void uacmeObtainsRenewsAndRevokesWithTheRootTrustedSystemWide() throws Exception {
        Path dir = work.resolve("uacme");
        String name = "uacme.interop.test";
        // uacme has no CA-bundle option: give it, in a mount namespace of its own, a system
        // bundle that holds certapi's root.
        Path bundle = dir.resolve("bundle.pem");
        Files.createDirectories(dir);
        Files.writeString(bundle, Files.readString(Path.of("/etc/ssl/certs/ca-certificates.crt"))
                + Files.readString(root));
        try (WebrootServer web = WebrootServer.start(dir.resolve("www"), httpPort)) {
            Path hook = Interop.script(dir.resolve("hook.sh"), "[ \"$2\" = http-01 ] || exit 1\n"
                    + "case \"$1\" in\n"
                    + "  begin) printf '%s' \"$5\" > " + web.challenges + "/$4 ;;\n"
                    + "  *) rm -f " + web.challenges + "/$4 ;;\n"
                    + "esac\n");
            String uacme = "uacme -v -o -y -a " + server.httpsDirectory() + " -c " + dir.resolve(
                    "conf") + " -h " + hook;
            Path wrapper = Interop.script(dir.resolve("run.sh"), "mount --bind " + bundle
                    + " /etc/ssl/certs/ca-certificates.crt\n" + uacme + " \"$@\"\n");
            ok(List.of("unshare", "-m", wrapper.toString(), "new", "ops@interop.test"), Map.of());
            ok(List.of("unshare", "-m", wrapper.toString(), "issue", name), Map.of());
            Path cert = dir.resolve("conf/" + name + "/cert.pem");
            Path key = dir.resolve("conf/private/" + name + "/key.pem");
            X509Certificate first = check(root, cert, null, key, LIFETIME, name);
            // A 10-minute certificate is within uacme's renewal window at once.
            ok(List.of("unshare", "-m", wrapper.toString(), "issue", name), Map.of());
            assertNotEquals(first.getSerialNumber(), check(root, cert, null, key, LIFETIME,
                    name).getSerialNumber(), "renewed");
            ok(List.of("unshare", "-m", wrapper.toString(), "revoke", cert.toString()), Map.of());
        }
    }

    @Test
    @Order(9)
    void dehydratedObtainsRenewsAndRevokes() throws Exception {
        Path dir = work.resolve("dehydrated");
        String name = "dehydrated.interop.test";
        try (WebrootServer web = WebrootServer.start(dir.resolve("www"), httpPort)) {
            Path config = dir.resolve("config");
            Files.writeString(config, "CA=\"" + server.httpsDirectory() + "\"\n"
                    + "BASEDIR=\"" + dir + "\"\n"
                    + "WELLKNOWN=\"" + web.challenges + "\"\n"
                    + "CHALLENGETYPE=\"http-01\"\n"
                    + "CONTACT_EMAIL=\"ops@interop.test\"\n"
                    + "OCSP_FETCH=\"no\"\nOCSP_MUST_STAPLE=\"no\"\n");
            Map<String, String> env = Map.of("CURL_CA_BUNDLE", root.toString());
            String bin = ValidationPeers.findBinary("dehydrated");
            ok(List.of(bin, "-f", config.toString(), "--register", "--accept-terms"), env);
            ok(List.of(bin, "-f", config.toString(), "-c", "-d", name), env);
            Path live = dir.resolve("certs/" + name);
            X509Certificate first = check(root, live.resolve("cert.pem"),
                    live.resolve("chain.pem"), live.resolve("privkey.pem"), LIFETIME, name);
            ok(List.of(bin, "-f", config.toString(), "-c", "-d", name, "--force"), env);
            assertNotEquals(first.getSerialNumber(), check(root, live.resolve("cert.pem"),
                    live.resolve("chain.pem"), live.resolve("privkey.pem"), LIFETIME, name)
                    .getSerialNumber(), "renewed");
            ok(List.of(bin, "-f", config.toString(), "-r", live.resolve("cert.pem").toString()),
                    env);
        }
    }

    @Test
    @Order(10)
    void acmeTinyObtains() throws Exception {
        Path dir = work.resolve("acme-tiny");
        String name = "tiny.interop.test";
        Files.createDirectories(dir);
        ok(List.of("openssl", "genrsa", "-out", dir.resolve("account.key").toString(), "2048"),
                Map.of());
        ok(List.of("openssl", "genrsa", "-out", dir.resolve("domain.key").toString(), "2048"),
                Map.of());
        ok(List.of("openssl", "req", "-new", "-sha256", "-key",
                dir.resolve("domain.key").toString(), "-subj", "/CN=" + name, "-out",
                dir.resolve("domain.csr").toString()), Map.of());
        try (WebrootServer web = WebrootServer.start(dir.resolve("www"), httpPort)) {
            String chain = ok(List.of(ValidationPeers.findBinary("acme-tiny"), "--account-key",
                    dir.resolve("account.key").toString(), "--csr",
                    dir.resolve("domain.csr").toString(), "--acme-dir", web.challenges.toString(),
                    "--directory-url", server.httpsDirectory(), "--disable-check", "--quiet"),
                    Map.of("SSL_CERT_FILE", root.toString()));
            Path cert = dir.resolve("chain.pem");
            Files.writeString(cert, chain);
            check(root, cert, null, dir.resolve("domain.key"), LIFETIME, name);
        }
    }

    // ---- Caddy -----------------------------------------------------------------------------

    @Test
    @Order(11)
    void caddyServesTheSiteAcrossTwoRenewalsOfTwoMinuteCertificates() throws Exception {
        CaddyRun.run(work.resolve("caddy"), peers);
    }
}
