package io.certapi.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plain web server for clients that write challenge files into a webroot (certbot --webroot,
 * acme-tiny, dehydrated, uacme): serves {@code <root>/.well-known/acme-challenge/*} on
 * 127.0.0.1, as nginx would.
 */
final class WebrootServer implements AutoCloseable {

    private final HttpServer server;
    final Path root;
    final Path challenges;

    private WebrootServer(HttpServer server, Path root) {
        this.server = server;
        this.root = root;
        this.challenges = root.resolve(".well-known/acme-challenge");
    }

    static WebrootServer start(Path root, int port) throws IOException {
        Files.createDirectories(root.resolve(".well-known/acme-challenge"));
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        WebrootServer w = new WebrootServer(s, root);
        s.createContext("/.well-known/acme-challenge/", ex -> {
            String name = Path.of(ex.getRequestURI().getPath()).getFileName().toString();
            Path f = w.challenges.resolve(name);
            byte[] body = Files.isRegularFile(f) ? Files.readAllBytes(f) : "not found".getBytes();
            ex.sendResponseHeaders(Files.isRegularFile(f) ? 200 : 404, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        s.start();
        return w;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
