package io.certapi.web.json;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * ACME Renewal Information (RFC 9773 §4.2).
 *
 * @param suggestedWindow when the client should renew
 */
@RegisterForReflection
public record RenewalInfoJson(Window suggestedWindow) {

    /**
     * A window.
     *
     * @param start start (RFC 3339)
     * @param end   end (RFC 3339)
     */
    @RegisterForReflection
    public record Window(String start, String end) {
    }
}
