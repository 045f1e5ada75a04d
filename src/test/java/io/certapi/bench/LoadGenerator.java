package io.certapi.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.shredzone.acme4j.AcmeJsonResource;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.util.CSRBuilder;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The load generator: acme4j clients doing full issuances (newOrder, the authorization,
 * http-01 answered by its own responder, finalize, download, leaf checked) against one ACME
 * server. Clients honour Retry-After; where a server sends none, they poll every 50 ms.
 */
final class LoadGenerator implements AutoCloseable {

    /** The steps whose latency is reported. */
    static final List<String> STEPS = List.of("newOrder", "authz", "challenge", "finalize",
            "download", "total");

    private static final Duration NO_RETRY_AFTER_POLL = Duration.ofMillis(50);
    private static final Duration GIVE_UP = Duration.ofSeconds(120);
    /** Sessions of scenario 2 at most (each holds an HTTP client and a connection). */
    private static final int MAX_SESSIONS = 1000;
    private final AtomicLong refused = new AtomicLong();

    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final HttpServer responder;
    private final AtomicLong requests = new AtomicLong();

    /** Starts the http-01 responder on 127.0.0.1:{@code port}. */
    LoadGenerator(int port) throws IOException {
        responder = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        responder.createContext("/.well-known/acme-challenge/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String answer = tokens.get(path.substring(path.lastIndexOf('/') + 1));
            byte[] body = answer == null ? new byte[0] : answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length == 0 ? -1
                    : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        responder.setExecutor(Executors.newFixedThreadPool(8));
        responder.start();
    }

    /** One client: a session and a registered account. */
    record Client(Session session, Login login) {
    }

    /** Registers {@code n} accounts (P-256 keys), one per client. */
    List<Client> clients(String directory, int n) throws Exception {
        List<Client> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Session s = new Session(directory);
            KeyPair key = KeyPairUtils.createECKeyPair("secp256r1");
            var account = new AccountBuilder().agreeToTermsOfService().useKeyPair(key)
                    .create(s);
            out.add(new Client(s, s.login(account.getLocation(), key)));
        }
        return out;
    }

    /** A login of {@code c}'s account on a session of its own (sessions are not shared). */
    static Client fork(Client c) throws Exception {
        Session s = new Session(c.session().getServerUri());
        try (var conn = s.connect()) {
            conn.resetNonce(s);
        }
        return new Client(s, s.login(c.login().getAccountLocation(), c.login().getKeyPair()));
    }

    private static Client forkUnchecked(Client c) {
        try {
            return fork(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Latencies (ms) of each step, and the ACME requests made. */
    static final class Stats {
        final Map<String, List<Double>> steps = new ConcurrentHashMap<>();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

        void add(String step, long startNanos) {
            steps.computeIfAbsent(step, k -> java.util.Collections.synchronizedList(
                    new ArrayList<>())).add((System.nanoTime() - startNanos) / 1e6);
        }

        void fail(Exception e) {
            failed.incrementAndGet();
            if (errors.size() < 5) {
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                errors.add(e + (root == e ? "" : " (" + root + ")"));
            }
        }
    }

    /** Runs {@code jobs} full issuances on these clients, one job at a time each. */
    Stats run(List<Client> clients, int jobs, String prefix) throws InterruptedException {
        Stats stats = new Stats();
        shareJobs(clients, jobs, stats, (c, j) -> {
            issue(c, prefix + j + ".bench.test", stats);
            stats.done.incrementAndGet();
        });
        return stats;
    }

    /** One job of {@link #shareJobs}: job number {@code j} on client {@code c}. */
    interface Job {
        void run(Client c, int j) throws Exception;
    }

    /**
     * Runs jobs 0 to {@code jobs - 1}, each client on a thread of its own taking the next job
     * when it is done with one; a failed job is counted in {@code stats}.
     */
    private static void shareJobs(List<Client> clients, int jobs, Stats stats, Job job)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (Client c : clients) {
            Thread t = new Thread(() -> {
                int j;
                while ((j = next.getAndIncrement()) < jobs) {
                    try {
                        job.run(c, j);
                    } catch (Exception e) {
                        stats.fail(e);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** One full issuance. */
    void issue(Client c, String name, Stats stats) throws Exception {
        long start = System.nanoTime();
        Order order = ready(c, name, stats);
        long t = System.nanoTime();
        finalizeAndWait(order, name);
        stats.add("finalize", t);
        t = System.nanoTime();
        download(order, name);
        stats.add("download", t);
        stats.add("total", start);
    }

    /** newOrder, the authorization and its http-01 challenge: the order is ready. */
    Order ready(Client c, String name, Stats stats) throws Exception {
        long t = System.nanoTime();
        Order order = c.login().newOrder().domain(name).create();
        requests.incrementAndGet();
        stats.add("newOrder", t);
        t = System.nanoTime();
        Authorization auth = order.getAuthorizations().get(0);
        Http01Challenge ch = auth.findChallenge(Http01Challenge.class).orElseThrow();
        requests.incrementAndGet();
        stats.add("authz", t);
        t = System.nanoTime();
        tokens.put(ch.getToken(), ch.getAuthorization());
        try {
            ch.trigger();
            requests.incrementAndGet();
            Status s = awaitFinal(ch, ch.getStatus(), Status.VALID);
            if (s != Status.VALID) {
                throw new IllegalStateException("challenge for " + name + " is " + s + ": "
                        + ch.getError().map(Object::toString).orElse(""));
            }
        } finally {
            tokens.remove(ch.getToken());
        }
        stats.add("challenge", t);
        return order;
    }

    /** Finalizes with a fresh P-256 key and waits until the order is valid. */
    void finalizeAndWait(Order order, String name) throws Exception {
        finalizeAndWait(order, name, csrFor(name));
    }

    /** A CSR for {@code name} with a fresh P-256 key. */
    static byte[] csrFor(String name) throws IOException {
        KeyPair domainKey = KeyPairUtils.createECKeyPair("secp256r1");
        CSRBuilder csr = new CSRBuilder();
        csr.addDomain(name);
        csr.sign(domainKey);
        return csr.getEncoded();
    }

    /** Finalizes with {@code der} and waits until the order is valid. */
    void finalizeAndWait(Order order, String name, byte[] der) throws Exception {
        whenAdmitted(() -> {
            order.execute(der);
            return null;
        });
        // acme4j drops the finalize answer: the first fetch tells the status and Retry-After.
        Status s = awaitFinal(order, null, Status.VALID);
        if (s != Status.VALID) {
            throw new IllegalStateException("order for " + name + " is " + s + ": "
                    + order.getError().map(Object::toString).orElse(""));
        }
    }

    /** Downloads the certificate and checks its leaf names {@code name}. */
    void download(Order order, String name) throws Exception {
        Certificate cert = order.getCertificate();
        whenAdmitted(() -> {
            cert.download();
            return null;
        });
        X509Certificate leaf = cert.getCertificate();
        boolean named = leaf.getSubjectAlternativeNames().stream()
                .anyMatch(san -> name.equals(san.get(1)));
        if (!named || cert.getCertificateChain().size() < 2) {
            throw new IllegalStateException("the certificate for " + name + " does not name it"
                    + " or comes without its chain");
        }
    }

    /**
     * Polls {@code resource} until its status is final, honouring Retry-After. {@code known}
     * is the status the last answer already gave (null: unknown, fetch at once).
     */
    private Status awaitFinal(AcmeJsonResource resource, Status known, Status wanted)
            throws Exception {
        Instant end = Instant.now().plus(GIVE_UP);
        Status s = known;
        Optional<Instant> retryAfter = Optional.empty();
        while (s == null || !isFinal(s, wanted)) {
            if (Instant.now().isAfter(end)) {
                throw new IllegalStateException("still " + s + " after " + GIVE_UP);
            }
            if (s != null) {
                long wait = retryAfter.map(at -> Duration.between(Instant.now(), at).toMillis())
                        .orElse(NO_RETRY_AFTER_POLL.toMillis());
                Thread.sleep(Math.max(0, wait));
            }
            retryAfter = whenAdmitted(resource::fetch);
            s = resource instanceof Order o ? o.getStatus()
                    : ((Http01Challenge) resource).getStatus();
        }
        return s;
    }

    /**
     * Sends one ACME request (counted); a server at capacity (503, rateLimited, as certapi's
     * admission control answers) is asked again when its Retry-After says, until GIVE_UP.
     */
    private <T> T whenAdmitted(java.util.concurrent.Callable<T> request) throws Exception {
        Instant end = Instant.now().plus(GIVE_UP);
        while (true) {
            requests.incrementAndGet();
            try {
                return request.call();
            } catch (org.shredzone.acme4j.exception.AcmeRateLimitedException
                    | org.shredzone.acme4j.exception.AcmeLazyLoadingException e) {
                // acme4j wraps a refusal met while loading a resource it was asked about.
                if (!(e instanceof org.shredzone.acme4j.exception.AcmeRateLimitedException)
                        && !(e.getCause()
                                instanceof org.shredzone.acme4j.exception.AcmeRateLimitedException)) {
                    throw e;
                }
                var busy = (org.shredzone.acme4j.exception.AcmeRateLimitedException)
                        (e instanceof org.shredzone.acme4j.exception.AcmeRateLimitedException
                                ? e : e.getCause());
                Instant at = busy.getRetryAfter().orElse(Instant.now().plusSeconds(1));
                if (at.isAfter(end)) {
                    throw busy;
                }
                refused.incrementAndGet();
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()));
            }
        }
    }

    /** Requests the server refused for capacity, and were sent again. */
    long refused() {
        return refused.get();
    }

    private static boolean isFinal(Status s, Status wanted) {
        return s == wanted || s == Status.INVALID || s == Status.DEACTIVATED
                || s == Status.REVOKED || s == Status.EXPIRED;
    }

    /** ACME requests made so far (each acme4j call that sends one). */
    long requests() {
        return requests.get();
    }

    /**
     * The second scenario: {@code n} orders made ready, then all finalized at the same moment,
     * each by a thread of its own with a session of its own. Returns the finalize-to-valid
     * latencies in ms.
     */
    Stats finalizeAtOnce(List<Client> clients, int n, String prefix) throws Exception {
        Stats prep = new Stats();
        record Prepared(Order order, Client owner, String name) {
        }
        List<Prepared> orders = java.util.Collections.synchronizedList(new ArrayList<>());
        shareJobs(clients, n, prep, (c, j) ->
                orders.add(new Prepared(ready(c, prefix + j + ".bench.test", prep), c,
                        prefix + j + ".bench.test")));
        if (prep.failed.get() > 0) {
            throw new IllegalStateException(prep.failed.get() + " orders could not be made"
                    + " ready: " + prep.errors);
        }
        Stats stats = new Stats();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch ready = new CountDownLatch(orders.size());
        List<Thread> threads = new ArrayList<>();
        // A session (an HTTP client, its connection and its nonce) per order, up to
        // MAX_SESSIONS; past that, orders of the same account share one: 5,000 clients of their
        // own would need more file descriptors than the machine gives one process.
        Map<String, Client> shared = new ConcurrentHashMap<>();
        for (int i = 0; i < orders.size(); i++) {
            Order prepared = orders.get(i).order();
            Client owner = orders.get(i).owner();
            String name = orders.get(i).name();
            // At most MAX_SESSIONS in all: each account's orders spread over its share.
            int slot = i % Math.max(1, MAX_SESSIONS / clients.size());
            Thread t = new Thread(null, () -> {
                try {
                    Client mine = orders.size() <= MAX_SESSIONS ? fork(owner)
                            : shared.computeIfAbsent(slot + "/" + owner.login()
                                    .getAccountLocation(), k -> forkUnchecked(owner));
                    Order order = mine.login().bindOrder(prepared.getLocation());
                    // The client's own work (a key and a CSR) is done before the moment all
                    // finalize: what is timed is the server's. So is its connection: a real
                    // client finalizes over the connection (and with the nonce) it made the
                    // order ready with, so each session fetches its order once first.
                    byte[] csr = csrFor(name);
                    whenAdmitted(order::fetch);
                    ready.countDown();
                    gate.await();
                    long t0 = System.nanoTime();
                    finalizeAndWait(order, name, csr);
                    stats.add("finalize", t0);
                    download(order, name);
                    stats.done.incrementAndGet();
                } catch (Exception e) {
                    ready.countDown();
                    stats.fail(e);
                }
            }, "finalize-" + i, 256 * 1024);
            threads.add(t);
            t.start();
        }
        ready.await();
        gate.countDown();
        for (Thread t : threads) {
            t.join();
        }
        return stats;
    }

    @Override
    public void close() {
        responder.stop(0);
    }
}
