package io.certapi.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * certapi side by side with Pebble on this machine, with the same acme4j load generator and
 * the same settings: full issuances over real http-01 (names resolved by pebble-challtestsrv),
 * then 1,000 orders finalized at once with the default 10 s issuance delay. Prints one table
 * per scenario; docs/performance.md says how to run it and holds the latest figures.
 *
 * <p>Run with {@code mvn -B -Pbench verify}; options as {@code -Dbench.args="..."}:
 * {@code --jobs 2000 --warmup 300 --concurrency 1,16 --delayed 1000 --db h2|postgresql
 * --servers certapi,pebble --java /path/to/java --jvm "-Xmx128m;-XX:+UseSerialGC"|none
 * --env "MALLOC_ARENA_MAX=2;..."|none}.
 */
public final class Benchmark {

    static final int DNS_PORT = 18053;
    static final int HTTP01_PORT = 15002;

    private Benchmark() {
    }

    /** Runs the benchmark; exits non-zero when a server failed a job. */
    public static void main(String[] argv) throws Exception {
        Options o = Options.parse(argv);
        if (java.security.Security.getProvider("BC") == null) {
            // acme4j's KeyPairUtils and CSRBuilder name the BouncyCastle provider.
            java.security.Security.addProvider(
                    new org.bouncycastle.jce.provider.BouncyCastleProvider());
        }
        Path work = Path.of("target/bench");
        deleteTree(work);
        Files.createDirectories(work);
        Servers servers = new Servers(work, o);
        System.out.printf(Locale.ROOT, "bench: %d cores, load generator on Java %s, certapi on %s,"
                + " database %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), servers.certapiJavaVersion(), o.db);
        List<Result> results = new ArrayList<>();
        boolean failed = false;
        try (BenchProcess dns = servers.dns(); LoadGenerator load = new LoadGenerator(HTTP01_PORT)) {
            for (String server : o.servers) {
                for (int c : o.concurrency) {
                    Result r = throughput(servers, load, server, c, o);
                    results.add(r);
                    failed |= r.failed > 0;
                    System.out.println(r.line());
                }
            }
            Report.throughput(results, o);
            servers.startSeconds().forEach((k, v) -> System.out.printf(Locale.ROOT,
                    "%s to \"started\" (as Quarkus logs it): %.2f s%n", k, v));
            if (o.delayed > 0) {
                failed |= delayed(servers, load, o);
            }
        }
        System.exit(failed ? 1 : 0);
    }

    private static Result throughput(Servers servers, LoadGenerator load, String server, int c,
            Options o) throws Exception {
        try (BenchProcess p = servers.start(server, Map.of())) {
            trust(servers);
            var clients = load.clients(servers.directory(server), c);
            if (o.warmup > 0) {
                load.run(clients, o.warmup, "w" + server.charAt(0) + c + "-");
            }
            double cpu0 = p.cpuSeconds();
            Map<String, Double> threads0 = p.threadCpuSeconds();
            double self0 = BenchProcess.selfCpuSeconds();
            long req0 = load.requests();
            long t0 = System.nanoTime();
            LoadGenerator.Stats s = load.run(clients, o.jobs, "m" + server.charAt(0) + c + "-");
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = p.cpuSeconds() - cpu0;
            double clientCpu = BenchProcess.selfCpuSeconds() - self0;
            long requests = load.requests() - req0;
            printThreadCpu(server, c, threads0, p.threadCpuSeconds(), requests);
            if (server.equals("certapi")) {
                servers.issued(o.warmup + s.done.get());
                servers.printStoreSize();
            }
            return new Result(server, c, s.done.get(), s.failed.get(), seconds, cpu, requests,
                    p.peakRssMb(), s, clientCpu);
        }
    }

    private static boolean delayed(Servers servers, LoadGenerator load, Options o)
            throws Exception {
        // The default issuance delay: nothing overrides it.
        try (BenchProcess p = servers.start("certapi", Map.of("certapi.issuance.delay", "10s"))) {
            trust(servers);
            var clients = load.clients(servers.directory("certapi"), 16);
            p.resetPeak();
            long t0 = System.nanoTime();
            LoadGenerator.Stats s = load.finalizeAtOnce(clients, o.delayed, "d");
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<Double> lat = s.steps.getOrDefault("finalize", List.of());
            System.out.printf(Locale.ROOT, "%nscenario 2: %d orders finalized at once, issuance"
                    + " delay 10 s (certapi, %s)%n", o.delayed, o.db);
            System.out.printf(Locale.ROOT, "  valid %d of %d, failed %d; finalize->valid p50 %.0f"
                    + " ms, p99 %.0f ms, max %.0f ms; peak RSS %.0f MB; whole run %.1f s;"
                    + " requests refused at capacity and sent again %d%n",
                    s.done.get(), o.delayed, s.failed.get(), Report.pct(lat, 50),
                    Report.pct(lat, 99), Report.pct(lat, 100), p.peakRssMb(), seconds,
                    load.refused());
            s.errors.forEach(e -> System.out.println("  error: " + e));
            return s.failed.get() > 0;
        }
    }

    /** Where the server's CPU went during the measurement, per thread group, per request. */
    private static void printThreadCpu(String server, int c, Map<String, Double> before,
            Map<String, Double> after, long requests) {
        StringBuilder b = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> b.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(),
                        1000 * e.getValue() / Math.max(1, requests))));
        System.out.printf(Locale.ROOT, "bench: %s c=%d CPU ms/request by thread:%s%n", server, c,
                b);
    }

    /** Trusts certapi's root and Pebble's listener certificate, for every session made next. */
    private static void trust(Servers servers) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        int i = 0;
        for (Path pem : servers.trustedPems()) {
            if (Files.exists(pem)) {
                try (InputStream in = Files.newInputStream(pem)) {
                    for (var cert : cf.generateCertificates(in)) {
                        ks.setCertificateEntry("c" + i++, cert);
                    }
                }
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLContext.setDefault(ctx);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    /** One throughput run's figures. */
    record Result(String server, int concurrency, int done, int failed, double seconds,
            double cpuSeconds, long requests, double peakRssMb, LoadGenerator.Stats stats,
            double clientCpuSeconds) {

        double certsPerSecond() {
            return done / seconds;
        }

        String line() {
            return String.format(Locale.ROOT, "bench: %-7s c=%-3d %5d certs in %6.1f s: %6.1f"
                    + " certs/s, %.2f ms CPU/cert, %.2f ms CPU/request, peak RSS %.0f MB,"
                    + " load generator %.2f ms CPU/cert, failed %d%s", server, concurrency, done, seconds, certsPerSecond(),
                    1000 * cpuSeconds / Math.max(1, done), 1000 * cpuSeconds
                            / Math.max(1, requests), peakRssMb,
                    1000 * clientCpuSeconds / Math.max(1, done), failed,
                    stats.errors.isEmpty() ? "" : " " + stats.errors);
        }
    }

    /** Command-line options. */
    static final class Options {
        int jobs = 2000;
        int warmup = 300;
        int[] concurrency = {1, 16};
        int delayed = 1000;
        String db = "h2";
        List<String> servers = List.of("certapi", "pebble");
        String java = "java";
        List<String> jvm = Servers.CERTAPI_JVM;
        Map<String, String> env = Servers.CERTAPI_ENV;

        static Options parse(String[] argv) {
            Options o = new Options();
            Map<String, String> m = new LinkedHashMap<>();
            List<String> args = new ArrayList<>();
            for (String a : argv) {
                args.addAll(Arrays.asList(a.trim().split("\\s+")));
            }
            args.removeIf(String::isEmpty);
            for (int i = 0; i + 1 < args.size(); i += 2) {
                m.put(args.get(i).replaceFirst("^--", ""), args.get(i + 1));
            }
            o.jobs = Integer.parseInt(m.getOrDefault("jobs", "" + o.jobs));
            o.warmup = Integer.parseInt(m.getOrDefault("warmup", "" + o.warmup));
            o.delayed = Integer.parseInt(m.getOrDefault("delayed", "" + o.delayed));
            o.db = m.getOrDefault("db", o.db);
            o.java = m.getOrDefault("java", o.java);
            if (m.containsKey("concurrency")) {
                o.concurrency = Arrays.stream(m.get("concurrency").split(","))
                        .mapToInt(Integer::parseInt).toArray();
            }
            if (m.containsKey("jvm")) {
                o.jvm = m.get("jvm").equals("none") ? List.of()
                        : List.of(m.get("jvm").split(";"));
            }
            if (m.containsKey("env")) {
                o.env = m.get("env").equals("none") ? Map.of() : Arrays.stream(
                        m.get("env").split(";")).map(kv -> kv.split("=", 2))
                        .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
            }
            if (m.containsKey("servers")) {
                o.servers = List.of(m.get("servers").split(","));
            }
            return o;
        }
    }
}
