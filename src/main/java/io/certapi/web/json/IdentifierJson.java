package io.certapi.web.json;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An identifier on the wire.
 *
 * @param type  "dns" or "ip"
 * @param value the name or address
 */
@RegisterForReflection
public record IdentifierJson(String type, String value) {
}
