package io.certapi.core;

/**
 * One identifier's share of a compound error (RFC 8555 §6.7.1).
 *
 * @param type       what went wrong for this identifier
 * @param detail     a sentence saying what and why
 * @param identifier the identifier concerned
 */
public record Subproblem(ProblemType type, String detail, Identifier identifier) {
}
