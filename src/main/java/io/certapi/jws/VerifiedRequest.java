package io.certapi.jws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * A request that passed every check of the gate.
 *
 * @param accountId the account of the {@code kid}, when the request used one
 * @param jwk       the verifying key: the {@code jwk} header, or the account's key
 * @param payload   the payload as strict JSON, or null for POST-as-GET (empty payload)
 * @param url       the signed {@code url}
 */
public record VerifiedRequest(Optional<String> accountId, PublicJsonWebKey jwk, JsonNode payload,
        String url) {

    /** Whether the payload was empty (POST-as-GET). */
    public boolean isPostAsGet() {
        return payload == null;
    }

    /** RFC 7638 SHA-256 thumbprint of the verifying key. */
    public String thumbprint() {
        return Thumbprints.of(jwk);
    }
}
