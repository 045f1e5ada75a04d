package io.certapi.core;

import java.util.Objects;

/**
 * An ACME identifier (RFC 8555 §9.7.7): a type ("dns", later "ip") and a value.
 *
 * @param type  the identifier type
 * @param value the name or address, already normalised by the identifier policy
 */
public record Identifier(String type, String value) {

    /** The "dns" identifier type. */
    public static final String DNS = "dns";
    /** The "ip" identifier type (RFC 8738). */
    public static final String IP = "ip";

    /** Validates that neither part is null. */
    public Identifier {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** A "dns" identifier. */
    public static Identifier dns(String name) {
        return new Identifier(DNS, name);
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
