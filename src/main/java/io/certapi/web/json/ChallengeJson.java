package io.certapi.web.json;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A challenge object (RFC 8555 §7.1.5, §8).
 *
 * @param type             http-01, dns-01 or tls-alpn-01
 * @param url              the challenge URL
 * @param status           the status
 * @param token            the token
 * @param validated        when it became valid (RFC 3339)
 * @param error            the problem that made it invalid
 * @param validationRecord the transcript of the validation
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChallengeJson(String type, String url, String status, String token,
        String validated, JsonNode error, JsonNode validationRecord) {
}
