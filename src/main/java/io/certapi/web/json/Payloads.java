package io.certapi.web.json;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The JSON payloads clients send, one record each (RFC 8555 §7). */
@RegisterForReflection
public final class Payloads {

    private Payloads() {
    }

    /**
     * newAccount.
     *
     * @param contact                contact URLs
     * @param termsOfServiceAgreed   agreement to the terms
     * @param onlyReturnExisting     only look the account up
     * @param externalAccountBinding an EAB JWS
     */
    @RegisterForReflection
    public record NewAccount(List<String> contact, Boolean termsOfServiceAgreed,
            Boolean onlyReturnExisting, JsonNode externalAccountBinding) {
    }

    /**
     * Account update.
     *
     * @param contact new contact URLs
     * @param status  "deactivated" to deactivate
     */
    @RegisterForReflection
    public record AccountUpdate(List<String> contact, String status) {
    }

    /**
     * newOrder.
     *
     * @param identifiers the identifiers
     * @param notBefore   requested notBefore (RFC 3339)
     * @param notAfter    requested notAfter (RFC 3339)
     * @param profile     the certificate profile wanted
     * @param replaces    the ARI identifier of the certificate this order replaces (RFC 9773)
     */
    @RegisterForReflection
    public record NewOrder(List<IdentifierJson> identifiers, String notBefore, String notAfter,
            String profile, String replaces) {
    }

    /**
     * newAuthz.
     *
     * @param identifier the identifier to pre-authorize
     */
    @RegisterForReflection
    public record NewAuthz(IdentifierJson identifier) {
    }

    /**
     * finalize.
     *
     * @param csr the CSR, DER base64url
     */
    @RegisterForReflection
    public record Finalize(String csr) {
    }

    /**
     * Authorization update.
     *
     * @param status "deactivated"
     */
    @RegisterForReflection
    public record AuthorizationUpdate(String status) {
    }

    /**
     * revokeCert.
     *
     * @param certificate the certificate, DER base64url
     * @param reason      RFC 5280 reason code
     */
    @RegisterForReflection
    public record Revoke(String certificate, Integer reason) {
    }

    /**
     * keyChange inner payload.
     *
     * @param account the account URL
     * @param oldKey  the current key, as a JWK
     */
    @RegisterForReflection
    public record KeyChange(String account, JsonNode oldKey) {
    }
}
