package io.certapi.web.json;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An authorization object (RFC 8555 §7.1.4).
 *
 * @param identifier the identifier
 * @param status     the status
 * @param expires    expiry (RFC 3339)
 * @param challenges the challenges
 * @param wildcard   true for a wildcard authorization, absent otherwise
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthorizationJson(IdentifierJson identifier, String status, String expires,
        List<ChallengeJson> challenges, Boolean wildcard) {
}
