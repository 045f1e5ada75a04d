package io.certapi.core;

import java.util.Locale;

/** The status values of RFC 8555 §7.1.6, shared by accounts, orders, authorizations and challenges. */
public enum Status {
    PENDING, READY, PROCESSING, VALID, INVALID, DEACTIVATED, EXPIRED, REVOKED;

    /** The lower-case name used on the wire and in the database. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} for an unknown one. */
    public static Status fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
