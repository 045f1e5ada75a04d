package io.certapi.web.json;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An order object (RFC 8555 §7.1.3).
 *
 * @param status         the order status
 * @param expires        expiry (RFC 3339)
 * @param identifiers    the identifiers
 * @param notBefore      requested notBefore
 * @param notAfter       requested notAfter
 * @param error          the problem that made it invalid
 * @param authorizations authorization URLs
 * @param finalizeUrl    the finalize URL (named "finalize" on the wire)
 * @param certificate    the certificate URL, once valid
 * @param profile        the certificate profile asked for
 * @param replaces       the ARI identifier of the certificate it replaces
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderJson(String status, String expires, List<IdentifierJson> identifiers,
        String notBefore, String notAfter, JsonNode error, List<String> authorizations,
        @com.fasterxml.jackson.annotation.JsonProperty("finalize") String finalizeUrl,
        String certificate, String profile, String replaces) {
}
