package io.certapi.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the servers under benchmark with identical settings: certapi from the packaged jar
 * with the JVM options the README gives, Pebble from Debian's package (no validation sleep, no
 * nonce rejection), both validating http-01 on {@link Benchmark#HTTP01_PORT} and resolving
 * names through pebble-challtestsrv.
 */
final class Servers {

    /** The JVM options of the README's run command. */
    static final List<String> CERTAPI_JVM = List.of("-XX:+UseSerialGC", "-Xmx128m",
            "-XX:TieredStopAtLevel=1", "-Xss512k");

    /** Extra environment of certapi's process: none in the README's run command. */
    static final Map<String, String> CERTAPI_ENV = Map.of();

    private static final int CERTAPI_HTTPS = 18443;
    private static final int CERTAPI_HTTP = 18080;
    private static final int PEBBLE_PORT = 14000;
    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    private final Path work;
    private final Benchmark.Options options;
    private final Map<String, Double> startSeconds = new LinkedHashMap<>();
    private final Path certapiData;
    private Path app = Path.of("target/quarkus-app");
    private int certapiStarts;
    private long certapiIssued;

    Servers(Path work, Benchmark.Options options) throws IOException, InterruptedException {
        this.work = work;
        this.options = options;
        this.certapiData = work.resolve("certapi-data");
        if (options.db.equals("postgresql")) {
            preparePostgres();
        }
    }

    /** pebble-challtestsrv as the DNS server of both: every name is 127.0.0.1, no AAAA. */
    BenchProcess dns() throws IOException, InterruptedException {
        return BenchProcess.start("dns", List.of("pebble-challtestsrv", "-dns01",
                "127.0.0.1:" + Benchmark.DNS_PORT, "-http01", "", "-https01", "", "-tlsalpn01",
                "", "-management", "127.0.0.1:18055", "-defaultIPv4", "127.0.0.1",
                "-defaultIPv6", ""), Map.of(), work.resolve("dns.log"), "Starting challenge",
                Duration.ofSeconds(20));
    }

    /** Starts {@code server} with these extra settings (certapi only). */
    BenchProcess start(String server, Map<String, String> extra) throws Exception {
        return server.equals("pebble") ? pebble() : certapi(extra);
    }

    private BenchProcess certapi(Map<String, String> extra) throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("certapi.data-dir", certapiData.toAbsolutePath().toString());
        props.put("quarkus.http.port", String.valueOf(CERTAPI_HTTP));
        props.put("quarkus.http.ssl-port", String.valueOf(CERTAPI_HTTPS));
        props.put("quarkus.http.host", "127.0.0.1");
        props.put("certapi.validation.dns-resolver", "127.0.0.1:" + Benchmark.DNS_PORT);
        props.put("certapi.validation.http01-port", String.valueOf(Benchmark.HTTP01_PORT));
        props.put("certapi.issuance.delay", "0s");
        if (options.db.equals("postgresql")) {
            props.put("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:5432/certapi_bench");
            props.put("quarkus.datasource.username", "postgres");
        }
        props.putAll(extra);
        List<String> cmd = new ArrayList<>(List.of(options.java));
        cmd.addAll(options.jvm);
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString()));
        int n = ++certapiStarts;
        BenchProcess p = BenchProcess.start("certapi", cmd, options.env,
                work.resolve("certapi-" + n + ".log"), "Listening on", Duration.ofSeconds(90));
        Matcher m = STARTED.matcher(p.logText());
        if (m.find()) {
            startSeconds.putIfAbsent(n == 1 ? "certapi first start" : "certapi second start",
                    Double.parseDouble(m.group(1)));
        }
        return p;
    }

    private BenchProcess pebble() throws Exception {
        Path dir = work.resolve("pebble");
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("cert.pem"))) {
            run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                    dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                    "-days", "2", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1"));
        }
        Files.writeString(dir.resolve("pebble-config.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d",
                  "managementListenAddress": "127.0.0.1:14001",
                  "certificate": "%s", "privateKey": "%s",
                  "httpPort": %d, "tlsPort": 15001, "ocspResponderURL": "",
                  "externalAccountBindingRequired": false}}
                """.formatted(PEBBLE_PORT, dir.resolve("cert.pem").toAbsolutePath(),
                dir.resolve("key.pem").toAbsolutePath(), Benchmark.HTTP01_PORT));
        return BenchProcess.start("pebble", List.of("pebble", "-config",
                dir.resolve("pebble-config.json").toString(), "-dnsserver",
                "127.0.0.1:" + Benchmark.DNS_PORT), Map.of("PEBBLE_VA_NOSLEEP", "1",
                "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "0"),
                work.resolve("pebble.log"), "Listening on", Duration.ofSeconds(30));
    }

    /** Counts certificates certapi issued into its data dir (it is kept between runs). */
    void issued(long n) {
        certapiIssued += n;
    }

    /** The H2 file's size against the certificates issued into it so far. */
    void printStoreSize() throws IOException {
        Path file = certapiData.resolve("certapi.mv.db");
        if (Files.exists(file) && certapiIssued > 0) {
            long size = Files.size(file);
            System.out.printf(java.util.Locale.ROOT, "bench: H2 file %.1f MB after %d"
                    + " certificates: %.1f KB per certificate%n", size / 1e6, certapiIssued,
                    size / 1024.0 / certapiIssued);
        }
    }

    String directory(String server) {
        return server.equals("pebble") ? "https://localhost:" + PEBBLE_PORT + "/dir"
                : "https://localhost:" + CERTAPI_HTTPS + "/acme/directory";
    }

    List<Path> trustedPems() {
        return List.of(certapiData.resolve("ca/root.pem"), work.resolve("pebble/cert.pem"));
    }

    /** Start-up times that Quarkus logged, by first and second start. */
    Map<String, Double> startSeconds() {
        return startSeconds;
    }

    String certapiJavaVersion() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(options.java, "-version").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Matcher m = Pattern.compile("version \"([^\"]+)\"").matcher(out);
        return m.find() ? "Java " + m.group(1) : out.lines().findFirst().orElse("?");
    }

    /**
     * PostgreSQL: a fresh database, and a copy of the packaged application re-augmented for
     * PostgreSQL (db-kind is fixed at build time), as docs/operating.md tells operators.
     */
    private void preparePostgres() throws IOException, InterruptedException {
        run(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-q", "-c",
                "DROP DATABASE IF EXISTS certapi_bench"));
        run(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-q", "-c",
                "CREATE DATABASE certapi_bench"));
        Path copy = work.resolve("pg/quarkus-app");
        Files.createDirectories(copy.getParent());
        run(List.of("cp", "-r", "target/quarkus-app", copy.getParent().toString()));
        run(List.of(options.java, "-Dquarkus.launch.rebuild=true",
                "-Dquarkus.datasource.db-kind=postgresql", "-jar",
                copy.resolve("quarkus-run.jar").toString()));
        app = copy;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
