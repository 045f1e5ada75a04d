package io.certapi.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real peers every validation test talks to, started once for the whole test run: a DNS
 * server ({@code pebble-challtestsrv}, answering 127.0.0.1 for every name and TXT records set
 * through its management API) and an HTTP server answering http-01 requests from a token map.
 * The server under test is pointed at both through configuration.
 */
public class ValidationPeers implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, java.util.Deque<Response>> HTTP01 = new ConcurrentHashMap<>();
    private static final Map<String, java.util.concurrent.atomic.AtomicInteger> HITS =
            new ConcurrentHashMap<>();
    private static Process dns;
    private static HttpServer http;
    private static HttpServer http6;
    private static TlsAlpnResponder tls;
    private static int dnsPort;
    private static int managementPort;
    private static int httpPort;

    /** What the http-01 responder answers for one token. */
    public record Response(int status, String body, String location) {
    }

    @Override
    public synchronized Map<String, String> start() {
        try {
            if (dns == null) {
                startDns();
            }
            if (http == null) {
                startHttp();
            }
            if (tls == null) {
                tls = TlsAlpnResponder.start();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the validation peers", e);
        }
        return Map.of("certapi.validation.dns-resolver", "127.0.0.1:" + dnsPort,
                "certapi.validation.http01-port", String.valueOf(httpPort),
                "certapi.validation.tls-alpn01-port", String.valueOf(tls.port()),
                "certapi.validation.timeout", "3s");
    }

    @Override
    public synchronized void stop() {
        if (dns != null) {
            dns.destroy();
            dns = null;
        }
        if (http != null) {
            http.stop(0);
            http = null;
        }
        if (http6 != null) {
            http6.stop(0);
            http6 = null;
        }
        if (tls != null) {
            tls.close();
            tls = null;
        }
    }

    /** Serves {@code keyAuthorization} for {@code token}. */
    public static void serve(String token, String keyAuthorization) {
        serve(token, new Response(200, keyAuthorization, null));
    }

    /** Serves an arbitrary answer for {@code token}. */
    public static void serve(String token, Response response) {
        serveInTurn(token, response);
    }

    /** Serves these answers one request after another, the last one from then on. */
    public static void serveInTurn(String token, Response... responses) {
        HTTP01.put(token, new java.util.concurrent.ConcurrentLinkedDeque<>(List.of(responses)));
    }

    /** How many http-01 requests asked for {@code token}. */
    public static int hits(String token) {
        var n = HITS.get(token);
        return n == null ? 0 : n.get();
    }

    /** The TLS-ALPN responder. */
    public static TlsAlpnResponder tls() {
        return tls;
    }

    /** Sets a TXT record (adds to those already at the name). */
    public static void addTxt(String host, String value) {
        manage("set-txt", "{\"host\":\"" + fqdn(host) + "\",\"value\":\"" + value + "\"}");
    }

    /** Removes the TXT records at {@code host}. */
    public static void clearTxt(String host) {
        manage("clear-txt", "{\"host\":\"" + fqdn(host) + "\"}");
    }

    /** Makes {@code host} a CNAME for {@code target}. */
    public static void cname(String host, String target) {
        manage("set-cname", "{\"host\":\"" + fqdn(host) + "\",\"target\":\"" + fqdn(target)
                + "\"}");
    }

    /** Sets CAA records at {@code host}, each "tag value". */
    public static void caa(String host, String... tagValues) {
        StringBuilder policies = new StringBuilder();
        for (String tv : tagValues) {
            String[] p = tv.split(" ", 2);
            policies.append(policies.length() == 0 ? "" : ",").append("{\"tag\":\"").append(p[0])
                    .append("\",\"value\":\"").append(p[1]).append("\"}");
        }
        manage("add-caa", "{\"host\":\"" + fqdn(host) + "\",\"policies\":[" + policies + "]}");
    }

    /** The port of the http-01 responder. */
    public static int httpPort() {
        return httpPort;
    }

    /** The port of the DNS server's management API. */
    public static int managementPort() {
        return managementPort;
    }

    /** The port of the DNS server. */
    public static int dnsPort() {
        return dnsPort;
    }

    /** Makes {@code host} resolve to {@code address} (A record). */
    public static void addA(String host, String address) {
        manage("add-a", "{\"host\":\"" + fqdn(host) + "\",\"addresses\":[\"" + address + "\"]}");
    }

    /** Makes {@code host} resolve to nothing at all (no A or AAAA record). */
    public static void servfail(String host) {
        manage("set-servfail", "{\"host\":\"" + fqdn(host) + "\"}");
    }

    private static String fqdn(String host) {
        return host.endsWith(".") ? host : host + ".";
    }

    private static void manage(String path, String json) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/" + path))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + r.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void startDns() throws IOException {
        String binary = findBinary("pebble-challtestsrv");
        dnsPort = freePort();
        managementPort = freePort();
        Path log = Files.createTempFile("challtestsrv", ".log");
        dns = new ProcessBuilder(binary, "-dns01", "127.0.0.1:" + dnsPort,
                "-management", "127.0.0.1:" + managementPort, "-http01", "", "-https01", "",
                "-tlsalpn01", "", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        waitForPort(managementPort, Duration.ofSeconds(10));
    }

    private static void startHttp() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        httpPort = http.getAddress().getPort();
        http.createContext("/.well-known/acme-challenge/", ValidationPeers::answer);
        http.start();
        try {
            // The same responder on [::1], for IPv6 identifiers.
            http6 = HttpServer.create(new InetSocketAddress("::1", httpPort), 64);
            http6.createContext("/.well-known/acme-challenge/", ValidationPeers::answer);
            http6.start();
        } catch (IOException noIpv6) {
            http6 = null;
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String token = path.substring(path.lastIndexOf('/') + 1);
        HITS.computeIfAbsent(token, t -> new java.util.concurrent.atomic.AtomicInteger())
                .incrementAndGet();
        java.util.Deque<Response> queue = HTTP01.get(token);
        Response r = queue == null ? new Response(404, "no such token", null)
                : queue.size() > 1 ? queue.poll() : queue.peek();
        if (r.location() != null) {
            exchange.getResponseHeaders().add("Location", r.location());
        }
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Finds an executable on the PATH, or fails saying how to install it. */
    public static String findBinary(String name) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed; run .ci/run, or"
                + " apt-get install pebble certbot");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void waitForPort(int port, Duration max) throws IOException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        throw new IOException("nothing listens on port " + port + " after " + max);
    }
}
