package io.certapi.jws;

/**
 * What the web layer hands the gate.
 *
 * @param contentType      the request's Content-Type header, possibly null
 * @param body             the raw request body
 * @param url              the URL the request was sent to, as the client must have signed it
 * @param accountUrlPrefix the prefix of every account URL, e.g. {@code https://ca/acme/account/}
 */
public record JwsInput(String contentType, byte[] body, String url, String accountUrlPrefix) {
}
