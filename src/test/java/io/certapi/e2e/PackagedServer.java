package io.certapi.e2e;

import io.certapi.testing.TestPaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged server ({@code target/quarkus-app/quarkus-run.jar}) run as its own process, as
 * an operator runs it: for tests that need the real artifact, a real client, or a kill -9.
 */
final class PackagedServer implements AutoCloseable {

    private static final Path JAR = TestPaths.target()
            .resolve("quarkus-app/quarkus-run.jar");

    private final Path jar;
    private final Map<String, String> properties;
    private final Path log;
    private final Path dataDir;
    final int httpPort;
    final int httpsPort;
    private Process process;

    PackagedServer(Path dataDir, Map<String, String> extra) throws IOException {
        this(JAR, dataDir, extra);
    }

    /** A server from another copy of the application ({@code jar}), re-augmented say. */
    PackagedServer(Path jar, Path dataDir, Map<String, String> extra) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn verify, not mvn test");
        }
        this.jar = jar;
        this.dataDir = dataDir;
        this.httpPort = extra.containsKey("quarkus.http.port")
                ? Integer.parseInt(extra.get("quarkus.http.port")) : freePort();
        this.httpsPort = freePort();
        this.properties = new java.util.LinkedHashMap<>(Map.of(
                "certapi.data-dir", dataDir.toString(),
                "quarkus.http.port", String.valueOf(httpPort),
                "quarkus.http.ssl-port", String.valueOf(httpsPort),
                "quarkus.http.host", "127.0.0.1"));
        this.properties.putAll(extra);
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    /** Starts the process and waits until it serves the directory. */
    PackagedServer start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        // A restart appends to the same log: only what this process writes counts.
        long offset = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see " + log);
            }
            if (Files.exists(log) && Files.readString(log).substring((int) offset)
                    .contains("Listening on")) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not start within 60 s; see " + log);
    }

    /** kill -9: no shutdown hook runs, nothing is flushed on the way out. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String directory() {
        return "http://127.0.0.1:" + httpPort + "/acme/directory";
    }

    String httpsDirectory() {
        return "https://localhost:" + httpsPort + "/acme/directory";
    }

    /**
     * Calls the admin API as an operator would, over HTTPS (the only listener it answers on)
     * trusting the server's root, with the token the server wrote to
     * {@code <data-dir>/admin.token}; fails unless the answer is 2xx. Returns the body.
     */
    String admin(String method, String path) throws Exception {
        var response = adminRequest(method, "https://localhost:" + httpsPort + path);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode()
                    + " " + response.body());
        }
        return response.body();
    }

    /** An admin request with the token to {@code url}, whatever its answer. */
    java.net.http.HttpResponse<String> adminRequest(String method, String url)
            throws Exception {
        String token = Files.readString(dataDir.resolve("admin.token")).trim();
        return java.net.http.HttpClient.newBuilder().sslContext(trustingRoot()).build().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private javax.net.ssl.SSLContext trustingRoot() throws Exception {
        var ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        ks.load(null, null);
        try (var in = Files.newInputStream(dataDir.resolve("ca/root.pem"))) {
            int i = 0;
            for (var c : java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(in)) {
                ks.setCertificateEntry("root" + i++, c);
            }
        }
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        var ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
