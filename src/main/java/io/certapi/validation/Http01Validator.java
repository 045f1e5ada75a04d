package io.certapi.validation;

import io.certapi.config.CertapiConfig;
import io.certapi.core.Identifier;
import io.certapi.core.IpAddresses;
import io.certapi.core.ProblemType;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * http-01 (RFC 8555 §8.3): fetches {@code http://<name>:<port>/.well-known/acme-challenge/<token>}
 * from the address the configured resolver gives, sending the name as Host, and compares the
 * body with the key authorization. Redirects are followed as Boulder follows them: at most
 * {@code max-redirects}, only to http on the validation port or https on 443, never in a loop.
 * Blocking: call it from a worker thread, never from an event loop.
 */
@ApplicationScoped
public class Http01Validator {

    /** The path prefix of RFC 8555 §8.3. */
    public static final String PATH = "/.well-known/acme-challenge/";
    private static final int BODY_LIMIT = 4096;
    private static final int EXCERPT = 200;
    private static final int HTTPS_PORT = 443;

    private final CertapiConfig config;
    private final DnsResolver dns;
    private final HttpClient client;

    /** Creates the validator with its own HTTP client (no keep-alive, no pooling across names). */
    public Http01Validator(CertapiConfig config, DnsResolver dns, Vertx vertx) {
        this.config = config;
        this.dns = dns;
        int timeout = (int) config.validation().timeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(timeout)
                .setIdleTimeout(timeout)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setKeepAlive(false)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setForceSni(true)
                .setMaxRedirects(0));
    }

    /** Closes the client. */
    @PreDestroy
    void close() {
        client.close();
    }

    /** Validates {@code identifier} for {@code token}; never throws. */
    public ValidationOutcome validate(Identifier identifier, String token,
            String keyAuthorization) {
        List<ValidationRecord> records = new ArrayList<>();
        int port = config.validation().http01Port();
        String first = "http://" + urlHost(identifier.value())
                + (port == 80 ? "" : ":" + port) + PATH + token;
        long deadline = System.nanoTime() + config.validation().timeout().toNanos();
        Set<String> seen = new HashSet<>();
        URI url = URI.create(first);
        for (int hop = 0;; hop++) {
            if (!seen.add(url.toString())) {
                return fail(ProblemType.CONNECTION, "redirect loop: " + url + " was already"
                        + " fetched during this validation", records);
            }
            Step step = fetchOnce(url, identifier, deadline, records);
            if (step.failure() != null) {
                return step.failure();
            }
            Fetch f = step.fetch();
            if (isRedirect(f.status())) {
                if (hop >= config.validation().maxRedirects()) {
                    return fail(ProblemType.CONNECTION, "too many redirects: more than "
                            + config.validation().maxRedirects() + ", the last from " + url,
                            records);
                }
                try {
                    url = redirectTarget(url, f.location(), port);
                } catch (IllegalArgumentException bad) {
                    return fail(ProblemType.CONNECTION, "invalid redirect from " + url + ": "
                            + bad.getMessage(), records);
                }
                continue;
            }
            String where = url + " (address " + step.address() + ")";
            if (f.status() != 200) {
                return fail(ProblemType.INCORRECT_RESPONSE, "fetching " + where
                        + " returned HTTP " + f.status() + " with body \""
                        + excerpt(f.body()) + "\"; expected 200 with the key authorization",
                        records);
            }
            String body = new String(f.body(), StandardCharsets.UTF_8).stripTrailing();
            if (!body.equals(keyAuthorization)) {
                return fail(ProblemType.INCORRECT_RESPONSE, "the key authorization at " + where
                        + " is wrong: expected \"" + keyAuthorization + "\", got \""
                        + excerpt(f.body()) + "\"", records);
            }
            return ValidationOutcome.success(records);
        }
    }

    private Step fetchOnce(URI url, Identifier identifier, long deadline,
            List<ValidationRecord> records) {
        String host = url.getHost().replace("[", "").replace("]", "");
        int port = url.getPort() > 0 ? url.getPort()
                : "https".equals(url.getScheme()) ? HTTPS_PORT : 80;
        List<InetAddress> addresses;
        var literalAddress = IpAddresses.parse(host);
        boolean literal = literalAddress.isPresent();
        try {
            addresses = literal ? List.of(literalAddress.get()) : dns.addresses(host);
        } catch (DnsResolver.DnsException e) {
            records.add(ValidationRecord.http(url.toString(), host, port, dns.description(),
                    List.of(), null, null, null, e.getMessage()));
            return Step.failed(fail(ProblemType.DNS, "DNS lookup for " + host + " failed: "
                    + e.getMessage(), records));
        }
        List<String> resolved = addresses.stream().map(InetAddress::getHostAddress).toList();
        String lastError = null;
        // Boulder tries the first IPv6 address, then falls back to the first IPv4 one.
        for (InetAddress address : firstOfEachFamily(addresses)) {
            String addr = address.getHostAddress();
            try {
                Fetch f = fetch(url, host, port, addr, deadline);
                records.add(ValidationRecord.http(url.toString(), host, port,
                        literal ? null : dns.description(), resolved, addr, f.status(),
                        excerpt(f.body()), null));
                return new Step(f, addr, null);
            } catch (FetchException e) {
                lastError = e.getMessage();
                records.add(ValidationRecord.http(url.toString(), host, port,
                        literal ? null : dns.description(), resolved, addr, null, null,
                        e.getMessage()));
            }
        }
        return Step.failed(fail(ProblemType.CONNECTION, "fetching " + url + " failed: "
                + lastError + " (addresses tried: " + records.get(records.size() - 1)
                        .addressesResolved() + ")", records));
    }

    private Fetch fetch(URI url, String host, int port, String address, long deadline)
            throws FetchException {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
            throw new FetchException("timed out: the validation took longer than "
                    + config.validation().timeout().toSeconds() + "s");
        }
        RequestOptions ro = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(port, address))
                .setHost(host)
                .setPort(port)
                .setSsl("https".equals(url.getScheme()))
                .setURI(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()))
                .setFollowRedirects(false)
                .putHeader("User-Agent", "certapi-validator (+RFC 8555 http-01)")
                .putHeader("Accept", "*/*");
        Promise<Fetch> promise = Promise.promise();
        client.request(ro).onFailure(promise::tryFail).onSuccess(req -> {
            req.response().onFailure(promise::tryFail).onSuccess(resp -> {
                Buffer body = Buffer.buffer();
                resp.exceptionHandler(promise::tryFail);
                resp.handler(chunk -> {
                    int room = BODY_LIMIT - body.length();
                    if (room > 0) {
                        body.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
                    }
                    if (body.length() >= BODY_LIMIT) {
                        promise.tryComplete(new Fetch(resp.statusCode(),
                                resp.getHeader("Location"), body.getBytes()));
                        req.reset();
                    }
                });
                resp.endHandler(v -> promise.tryComplete(new Fetch(resp.statusCode(),
                        resp.getHeader("Location"), body.getBytes())));
            });
            req.end().onFailure(promise::tryFail);
        });
        try {
            return promise.future().toCompletionStage().toCompletableFuture()
                    .get(remaining, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FetchException("timed out after " + remaining + " ms connecting to or"
                    + " reading from " + address + ":" + port);
        } catch (ExecutionException e) {
            throw new FetchException(describe(e.getCause(), address, port));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted");
        }
    }

    private static String describe(Throwable t, String address, int port) {
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof java.net.ConnectException || msg.contains("Connection refused")) {
            return "connection refused by " + address + ":" + port;
        }
        if (t instanceof javax.net.ssl.SSLException) {
            return "TLS error with " + address + ":" + port + ": " + msg;
        }
        return "error talking to " + address + ":" + port + ": " + msg;
    }

    private static URI redirectTarget(URI from, String location, int httpPort) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("a redirect without a Location header");
        }
        URI target;
        try {
            target = from.resolve(new URI(location.trim()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("unparseable Location \"" + excerpt(
                    location.getBytes(StandardCharsets.UTF_8)) + "\"");
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("only http and https redirects are followed, not "
                    + target);
        }
        if (target.getHost() == null) {
            throw new IllegalArgumentException("redirect target " + target + " has no host");
        }
        int port = target.getPort();
        int allowed = scheme.equals("http") ? httpPort : HTTPS_PORT;
        if (port != -1 && port != allowed || port == -1 && scheme.equals("http") && httpPort != 80) {
            throw new IllegalArgumentException("redirect to " + target + ": only port " + httpPort
                    + " for http and " + HTTPS_PORT + " for https are allowed");
        }
        return target;
    }

    static List<InetAddress> firstOfEachFamily(List<InetAddress> all) {
        List<InetAddress> out = new ArrayList<>();
        all.stream().filter(a -> a instanceof java.net.Inet6Address).findFirst().ifPresent(out::add);
        all.stream().filter(a -> a instanceof java.net.Inet4Address).findFirst().ifPresent(out::add);
        return out;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String urlHost(String value) {
        return value.contains(":") ? "[" + value + "]" : value;
    }

    /** The start of a body, printable characters only, for errors and transcripts. */
    static String excerpt(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, EXCERPT), StandardCharsets.UTF_8)
                .replaceAll("[^\\p{Print}]", "?");
        return body.length > EXCERPT ? s + "..." : s;
    }

    private static ValidationOutcome fail(ProblemType type, String detail,
            List<ValidationRecord> records) {
        return ValidationOutcome.failure(type, detail, records);
    }

    /** One response. */
    private record Fetch(int status, String location, byte[] body) {
    }

    /** A fetch, the address it used, or the failure that ended the validation. */
    private record Step(Fetch fetch, String address, ValidationOutcome failure) {
        static Step failed(ValidationOutcome f) {
            return new Step(null, null, f);
        }
    }

    /** A fetch that got no response. */
    private static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;

        FetchException(String message) {
            super(message, null, false, false);
        }
    }
}
