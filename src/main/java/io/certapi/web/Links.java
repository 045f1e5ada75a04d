package io.certapi.web;

/**
 * Every URL the server emits, computed from one base URL (never stored). The same URLs are the
 * ones a JWS {@code url} is checked against.
 */
public final class Links {

    /** Path of the directory. */
    public static final String DIRECTORY = "/acme/directory";

    private final String base;

    /** Links under {@code base} (no trailing slash). */
    public Links(String base) {
        this.base = base;
    }

    /** The base URL. */
    public String base() {
        return base;
    }

    /** The directory (RFC 8555 §7.1.1). */
    public String directory() {
        return base + DIRECTORY;
    }

    /** newNonce. */
    public String newNonce() {
        return base + "/acme/new-nonce";
    }

    /** newAccount. */
    public String newAccount() {
        return base + "/acme/new-account";
    }

    /** newOrder. */
    public String newOrder() {
        return base + "/acme/new-order";
    }

    /** newAuthz (pre-authorization). */
    public String newAuthz() {
        return base + "/acme/new-authz";
    }

    /** revokeCert. */
    public String revokeCert() {
        return base + "/acme/revoke-cert";
    }

    /** keyChange. */
    public String keyChange() {
        return base + "/acme/key-change";
    }

    /** The prefix of every account URL; a kid is this plus the account id. */
    public String accountPrefix() {
        return base + "/acme/account/";
    }

    /** An account. */
    public String account(String id) {
        return accountPrefix() + id;
    }

    /** An account's orders list, first page. */
    public String orders(String accountId) {
        return account(accountId) + "/orders";
    }

    /** An account's orders list, page {@code page} (0-based). */
    public String orders(String accountId, int page) {
        return page == 0 ? orders(accountId) : orders(accountId) + "?page=" + page;
    }

    /** An order. */
    public String order(String id) {
        return base + "/acme/order/" + id;
    }

    /** An order's finalize URL. */
    public String finalizeUrl(String orderId) {
        return order(orderId) + "/finalize";
    }

    /** An authorization. */
    public String authorization(String id) {
        return base + "/acme/authz/" + id;
    }

    /** A challenge. */
    public String challenge(String id) {
        return base + "/acme/chall/" + id;
    }

    /** A certificate. */
    public String certificate(String id) {
        return base + "/acme/cert/" + id;
    }

    /** Chain {@code index} of a certificate; 0 is the certificate URL itself. */
    public String certificate(String id, int index) {
        return index == 0 ? certificate(id) : certificate(id) + "/" + index;
    }

    /** ACME Renewal Information (RFC 9773), the base of every renewalInfo URL. */
    public String renewalInfo() {
        return base + "/acme/renewal-info";
    }
}
