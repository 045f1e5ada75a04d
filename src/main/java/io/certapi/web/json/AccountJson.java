package io.certapi.web.json;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An account object (RFC 8555 §7.1.2).
 *
 * @param status               valid or deactivated
 * @param contact              contact URLs
 * @param termsOfServiceAgreed whether the terms were agreed to
 * @param orders               the orders list URL
 * @param createdAt            creation time (RFC 3339)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountJson(String status, List<String> contact, Boolean termsOfServiceAgreed,
        String orders, String createdAt) {
}
