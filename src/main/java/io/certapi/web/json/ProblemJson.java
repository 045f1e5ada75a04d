package io.certapi.web.json;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A problem document (RFC 7807, RFC 8555 §6.7).
 *
 * @param type        the ACME error URN
 * @param detail      what went wrong
 * @param status      the HTTP status
 * @param subproblems per-identifier problems
 * @param algorithms  accepted JWS algorithms, for badSignatureAlgorithm
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemJson(String type, String detail, Integer status,
        List<SubproblemJson> subproblems, List<String> algorithms) {

    /**
     * One identifier's problem.
     *
     * @param type       the ACME error URN
     * @param detail     what went wrong
     * @param identifier the identifier
     */
    @RegisterForReflection
    public record SubproblemJson(String type, String detail, IdentifierJson identifier) {
    }
}
