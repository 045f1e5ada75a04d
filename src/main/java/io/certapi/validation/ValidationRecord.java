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
 * @param note              what went wrong at this step, if anything
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationRecord(String url, String hostname, String port, String resolver,
        List<String> addressesResolved, String addressUsed, Integer status, String bodyExcerpt,
        String note) {
}
