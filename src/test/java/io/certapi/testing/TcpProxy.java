package io.certapi.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between the server under test and a real peer (PostgreSQL), that a test can
 * cut, as a network failure or a stopped database would, and restore. While cut, every open
 * connection is closed and new ones are closed as soon as they are accepted. It can also be told
 * to over a control port ({@link #command}), for a test that runs in another class loader than
 * the code that started it.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final ServerSocket control;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    /** Listens on a free loopback port and forwards to {@code host:port}. */
    public TcpProxy(String host, int port) throws IOException {
        this.targetHost = host;
        this.targetPort = port;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.control = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "tcp-proxy-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
        Thread c = new Thread(this::control, "tcp-proxy-control");
        c.setDaemon(true);
        c.start();
    }

    /** The port that takes {@code cut} and {@code restore} commands. */
    public int controlPort() {
        return control.getLocalPort();
    }

    /** Sends {@code cut} or {@code restore} to the proxy with this control port. */
    public static void command(int controlPort, String command) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), controlPort)) {
            s.getOutputStream().write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            // The answer comes once the command took effect.
            if (s.getInputStream().read() < 0) {
                throw new IOException("the proxy did not confirm " + command);
            }
        }
    }

    private void control() {
        while (!control.isClosed()) {
            try (Socket s = control.accept()) {
                String line = new java.io.BufferedReader(new java.io.InputStreamReader(
                        s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                if ("cut".equals(line)) {
                    cut();
                } else if ("restore".equals(line)) {
                    restore();
                }
                s.getOutputStream().write('k');
            } catch (IOException e) {
                // A broken command connection; the next one is served.
            }
        }
    }

    /** The port to connect to instead of the peer's. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /** Forwards again. */
    public void restore() {
        cut = false;
    }

    @Override
    public void close() {
        cut();
        closeQuietly(listener);
        closeQuietly(control);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    client.close();
                    continue;
                }
                Socket server = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // The listener was closed, or the peer refused: the client sees a closed socket.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException closed) {
                // One side went away.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Already closed.
        }
    }
}
