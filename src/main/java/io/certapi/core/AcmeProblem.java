package io.certapi.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one error every layer throws: an ACME problem type with a precise detail. Only the web
 * front end turns it into a problem document (RFC 7807); anything else that escapes becomes
 * {@code serverInternal} there, logged and never echoed.
 */
public final class AcmeProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ProblemType type;
    private final int status;
    private final transient List<Subproblem> subproblems;
    private final transient List<String> algorithms;
    private final transient Duration retryAfter;
    private final String location;

    private AcmeProblem(ProblemType type, String detail, int status, List<Subproblem> subproblems,
            List<String> algorithms, Duration retryAfter, String location) {
        super(detail, null, false, false);
        this.type = type;
        this.status = status;
        this.subproblems = List.copyOf(subproblems);
        this.algorithms = List.copyOf(algorithms);
        this.retryAfter = retryAfter;
        this.location = location;
    }

    /** A problem of the given type with its default HTTP status. */
    public static AcmeProblem of(ProblemType type, String detail) {
        return new AcmeProblem(type, detail, type.httpStatus(), List.of(), List.of(), null, null);
    }

    /** Shorthand for a {@code malformed} problem. */
    public static AcmeProblem malformed(String detail) {
        return of(ProblemType.MALFORMED, detail);
    }

    /** The same problem answered with another HTTP status (404, 405, 409, 413, 415 ...). */
    public AcmeProblem withStatus(int newStatus) {
        return new AcmeProblem(type, getMessage(), newStatus, subproblems, algorithms, retryAfter,
                location);
    }

    /** The same problem with one subproblem per failing identifier. */
    public AcmeProblem withSubproblems(List<Subproblem> subs) {
        return new AcmeProblem(type, getMessage(), status, subs, algorithms, retryAfter, location);
    }

    /** The same problem listing the JWS algorithms the server accepts (RFC 8555 §6.2). */
    public AcmeProblem withAlgorithms(List<String> algs) {
        return new AcmeProblem(type, getMessage(), status, subproblems, algs, retryAfter, location);
    }

    /** The same problem with a Retry-After hint. */
    public AcmeProblem withRetryAfter(Duration wait) {
        return new AcmeProblem(type, getMessage(), status, subproblems, algorithms, wait, location);
    }

    /** The same problem with a Location header (e.g. the conflicting account of a key change). */
    public AcmeProblem withLocation(String url) {
        return new AcmeProblem(type, getMessage(), status, subproblems, algorithms, retryAfter, url);
    }

    /** The problem type. */
    public ProblemType type() {
        return type;
    }

    /** The human-readable detail. */
    public String detail() {
        return getMessage();
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }

    /** Per-identifier subproblems; empty when there are none. */
    public List<Subproblem> subproblems() {
        return subproblems;
    }

    /** Accepted algorithms, for {@code badSignatureAlgorithm}; empty otherwise. */
    public List<String> algorithms() {
        return algorithms;
    }

    /** How long a client should wait before retrying, when that is known. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** A URL to send as the Location header, when there is one. */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }
}
