package io.certapi.validation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One step of a validation, as a person debugging it needs it: RFC 8555 §8.3's fields (url,
 * hostname, port, addressesResolved, addressUsed) plus the resolver asked, the HTTP status and an
 * excerpt of what came back.
 *
 * @param url               the URL fetched
 * @param hostname          the name validated
 * @param port              the port connected to
 * @param resolver          the DNS server asked ("system" for the system's resolvers)
 * @param addressesResolved the addresses the name resolved to
 * @param addressUsed       the address connected to
 * @param status            the HTTP status received, if any
 * @param bodyExcerpt       the start of the body received, sanitised
 * @param dnsAnswers        the DNS answers seen (TXT values, CAA records, CNAMEs followed)
 * @param certificate       the TLS certificate presented, summarised
 * @param note              what went wrong at this step, if anything
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ValidationRecord(String url, String hostname, String port, String resolver,
        List<String> addressesResolved, String addressUsed, Integer status, String bodyExcerpt,
        List<String> dnsAnswers, String certificate, String note) {

    /** A record of an HTTP step. */
    static ValidationRecord http(String url, String hostname, int port, String resolver,
            List<String> resolved, String used, Integer status, String body, String note) {
        return new ValidationRecord(url, hostname, String.valueOf(port), resolver, resolved,
                used, status, body, null, null, note);
    }

    /** A record of a DNS step. */
    static ValidationRecord dns(String name, String resolver, List<String> answers,
            String note) {
        return new ValidationRecord(null, name, null, resolver, null, null, null, null,
                answers, null, note);
    }

    /** A note alone, e.g. for a validation that was skipped. */
    public static ValidationRecord note(String hostname, String note) {
        return new ValidationRecord(null, hostname, null, null, null, null, null, null, null,
                null, note);
    }
}
