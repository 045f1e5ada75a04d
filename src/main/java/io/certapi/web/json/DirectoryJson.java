package io.certapi.web.json;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The directory (RFC 8555 §7.1.1).
 *
 * @param newNonce   newNonce URL
 * @param newAccount newAccount URL
 * @param newOrder   newOrder URL
 * @param newAuthz   newAuthz URL (pre-authorization)
 * @param revokeCert revokeCert URL
 * @param keyChange  keyChange URL
 * @param renewalInfo ACME Renewal Information base URL (RFC 9773)
 * @param meta       metadata
 */
@RegisterForReflection
public record DirectoryJson(String newNonce, String newAccount, String newOrder,
        String newAuthz, String revokeCert, String keyChange, String renewalInfo, Meta meta) {

    /**
     * Directory metadata.
     *
     * @param termsOfService          terms of service URL
     * @param website                 website URL
     * @param caaIdentities           CAA identities
     * @param externalAccountRequired whether EAB is required
     * @param profiles                the certificate profiles, name to description
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Meta(String termsOfService, String website, List<String> caaIdentities,
            boolean externalAccountRequired, java.util.Map<String, String> profiles) {
    }
}
