package io.certapi.core;

/**
 * The registered ACME error types (RFC 8555 §6.7, plus the types of RFC 9773 and of the profiles
 * extension), each with the HTTP status it is answered with unless a problem says otherwise.
 */
public enum ProblemType {
    ACCOUNT_DOES_NOT_EXIST("accountDoesNotExist", 400),
    ALREADY_REPLACED("alreadyReplaced", 409),
    ALREADY_REVOKED("alreadyRevoked", 400),
    BAD_CSR("badCSR", 400),
    BAD_NONCE("badNonce", 400),
    BAD_PUBLIC_KEY("badPublicKey", 400),
    BAD_REVOCATION_REASON("badRevocationReason", 400),
    BAD_SIGNATURE_ALGORITHM("badSignatureAlgorithm", 400),
    CAA("caa", 403),
    COMPOUND("compound", 403),
    CONNECTION("connection", 400),
    DNS("dns", 400),
    EXTERNAL_ACCOUNT_REQUIRED("externalAccountRequired", 400),
    INCORRECT_RESPONSE("incorrectResponse", 403),
    INVALID_CONTACT("invalidContact", 400),
    INVALID_PROFILE("invalidProfile", 400),
    MALFORMED("malformed", 400),
    ORDER_NOT_READY("orderNotReady", 403),
    RATE_LIMITED("rateLimited", 429),
    REJECTED_IDENTIFIER("rejectedIdentifier", 400),
    SERVER_INTERNAL("serverInternal", 500),
    TLS("tls", 400),
    UNAUTHORIZED("unauthorized", 403),
    UNSUPPORTED_CONTACT("unsupportedContact", 400),
    UNSUPPORTED_IDENTIFIER("unsupportedIdentifier", 400),
    USER_ACTION_REQUIRED("userActionRequired", 403);

    private static final String PREFIX = "urn:ietf:params:acme:error:";

    private final String code;
    private final int httpStatus;

    ProblemType(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The short name, e.g. {@code malformed}. */
    public String code() {
        return code;
    }

    /** The full URN, e.g. {@code urn:ietf:params:acme:error:malformed}. */
    public String urn() {
        return PREFIX + code;
    }

    /** The HTTP status this type is answered with by default. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Finds a type by its URN, as stored with a challenge error. */
    public static ProblemType fromUrn(String urn) {
        for (ProblemType t : values()) {
            if (t.urn().equals(urn)) {
                return t;
            }
        }
        return SERVER_INTERNAL;
    }
}
