package io.certapi.jws;

/** Which key reference an endpoint requires in the protected header (RFC 8555 §6.2). */
public enum KeyMode {
    /** newAccount: the key itself, as {@code jwk}. */
    JWK,
    /** Every request of an existing account: {@code kid}, the account URL. */
    KID,
    /** revokeCert: either the certificate's key as {@code jwk}, or an account's {@code kid}. */
    JWK_OR_KID
}
