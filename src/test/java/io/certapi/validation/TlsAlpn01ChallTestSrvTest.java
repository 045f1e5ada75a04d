package io.certapi.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.config.CertapiConfig;
import io.certapi.core.Identifier;
import io.certapi.core.ProblemType;
import io.certapi.testing.TestConfig;
import io.certapi.testing.ValidationPeers;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tls-alpn-01 against pebble-challtestsrv's responder, the one acme4j's and node-acme-client's
 * own integration tests use: its challenge certificate has an empty issuer and subject and a
 * critical SAN, which the JDK's TLS stack refuses to parse ("Empty issuer DN not allowed").
 * RFC 8737 asks for neither, so the validator must accept it.
 */
class TlsAlpn01ChallTestSrvTest {

    private static Process server;
    private static int tlsPort;
    private static int dnsPort;
    private static int managementPort;

    @BeforeAll
    static void start() throws Exception {
        tlsPort = freePort();
        dnsPort = freePort();
        managementPort = freePort();
        Path log = Files.createTempFile("challtestsrv-alpn", ".log");
        server = new ProcessBuilder(ValidationPeers.findBinary("pebble-challtestsrv"),
                "-tlsalpn01", "127.0.0.1:" + tlsPort, "-dns01", "127.0.0.1:" + dnsPort,
                "-management", "127.0.0.1:" + managementPort, "-http01", "", "-https01", "",
                "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int port : new int[] {managementPort, tlsPort}) {
            long end = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    break;
                } catch (java.io.IOException notYet) {
                    if (System.nanoTime() > end || !server.isAlive()) {
                        throw new IllegalStateException("pebble-challtestsrv did not start: "
                                + Files.readString(log));
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.destroy();
        }
    }

    private static TlsAlpn01Validator validator() {
        CertapiConfig config = TestConfig.of(Map.of(
                "certapi.validation.tls-alpn01-port", String.valueOf(tlsPort),
                "certapi.validation.dns-resolver", "127.0.0.1:" + dnsPort,
                "certapi.validation.timeout", "3s"));
        return new TlsAlpn01Validator(config, new DnsResolver(config));
    }

    private static void serve(String host, String keyAuthorization) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/add-tlsalpn01"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"" + host
                        + "\",\"content\":\"" + keyAuthorization + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void itsChallengeCertificateValidates() throws Exception {
        serve("alpn.challtestsrv.test", "token-one.thumbprint");
        ValidationOutcome outcome = validator().validate(Identifier.dns("alpn.challtestsrv.test"),
                "token-one.thumbprint");
        assertTrue(outcome.valid(), () -> outcome.detail() + " " + outcome.records());
        String seen = outcome.records().get(0).toString();
        assertTrue(seen.contains("present (critical)"), seen);
    }

    @Test
    void aWrongKeyAuthorizationIsStillAnIncorrectResponse() throws Exception {
        serve("wrong.challtestsrv.test", "token-two.thumbprint");
        ValidationOutcome outcome = validator().validate(Identifier.dns("wrong.challtestsrv.test"),
                "token-two.other");
        assertFalse(outcome.valid());
        assertEquals(ProblemType.INCORRECT_RESPONSE, outcome.errorType());
        assertTrue(outcome.detail().contains("expected SHA-256 of the key authorization"),
                outcome.detail());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
