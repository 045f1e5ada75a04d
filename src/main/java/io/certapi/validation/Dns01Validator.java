package io.certapi.validation;

import io.certapi.core.Base64Url;
import io.certapi.core.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * dns-01 (RFC 8555 §8.4): a TXT record at {@code _acme-challenge.<name>} (CNAMEs followed)
 * must hold base64url(SHA-256(key authorization)); any one of several TXT records may.
 */
@ApplicationScoped
public class Dns01Validator {

    private final DnsResolver dns;

    /** Creates the validator. */
    public Dns01Validator(DnsResolver dns) {
        this.dns = dns;
    }

    /** The TXT value a key authorization calls for. */
    public static String txtValue(String keyAuthorization) {
        return Base64Url.encode(KeyAuthorizations.sha256(keyAuthorization));
    }

    /** Validates {@code domain} (for a wildcard, its base name); never throws. */
    public ValidationOutcome validate(String domain, String keyAuthorization) {
        String name = "_acme-challenge." + domain;
        String expected = txtValue(keyAuthorization);
        DnsResolver.Answer answer;
        try {
            answer = dns.txt(name);
        } catch (DnsResolver.DnsException e) {
            return ValidationOutcome.failure(ProblemType.DNS, e.getMessage(), List.of(
                    ValidationRecord.dns(name, dns.description(), List.of(), e.getMessage())));
        }
        List<String> values = new ArrayList<>();
        for (Record r : answer.records()) {
            values.add(String.join("", ((TXTRecord) r).getStrings()));
        }
        List<String> seen = new ArrayList<>(answer.aliases().stream()
                .map(a -> "CNAME " + a).toList());
        values.forEach(v -> seen.add("TXT \"" + v + "\""));
        List<ValidationRecord> records = List.of(ValidationRecord.dns(name, dns.description(),
                seen, answer.result()));
        if (answer.failed()) {
            return ValidationOutcome.failure(ProblemType.DNS, "the TXT lookup of " + name
                    + " at resolver " + dns.description() + " failed: " + answer.result(),
                    records);
        }
        if (values.contains(expected)) {
            return ValidationOutcome.success(records);
        }
        if (values.isEmpty()) {
            return ValidationOutcome.failure(ProblemType.INCORRECT_RESPONSE, "no TXT record at "
                    + name + " (" + answer.result() + " at resolver " + dns.description()
                    + "); expected one with \"" + expected + "\"", records);
        }
        return ValidationOutcome.failure(ProblemType.INCORRECT_RESPONSE, "the TXT records at "
                + name + " are " + values + "; none is the expected \"" + expected + "\"",
                records);
    }
}
