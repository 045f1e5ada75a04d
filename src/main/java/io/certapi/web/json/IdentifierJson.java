package io.certapi.web.json;

/**
 * An identifier on the wire.
 *
 * @param type  "dns" or "ip"
 * @param value the name or address
 */
public record IdentifierJson(String type, String value) {
}
