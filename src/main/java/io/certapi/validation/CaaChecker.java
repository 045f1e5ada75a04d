package io.certapi.validation;

import io.certapi.config.CertapiConfig;
import io.certapi.core.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.Record;

/**
 * CAA (RFC 8659) with the accounturi and validationmethods parameters of RFC 8657. The
 * relevant record set is the first non-empty one found climbing from the name towards the root;
 * "issuewild" governs wildcard names where present; issuance is allowed when no record is
 * relevant or one names this CA and its parameters match. A lookup that fails refuses
 * issuance, as the RFC requires.
 */
@ApplicationScoped
public class CaaChecker {

    private static final Set<String> KNOWN_TAGS = Set.of("issue", "issuewild", "iodef",
            "contactemail", "contactphone", "issuemail", "issuevmc");

    private final CertapiConfig config;
    private final DnsResolver dns;

    /** Creates the checker. */
    public CaaChecker(CertapiConfig config, DnsResolver dns) {
        this.config = config;
        this.dns = dns;
    }

    /** One CAA record. */
    public record Entry(int flags, String tag, String value) {
        @Override
        public String toString() {
            return flags + " " + tag + " \"" + value + "\"";
        }
    }

    /** A refusal: its problem type, detail and transcript. */
    public record Refusal(ProblemType type, String detail, ValidationRecord record) {
    }

    /** The issuer names that mean this CA. */
    public List<String> identities() {
        return config.caa().identities()
                .or(() -> config.directory().caaIdentities())
                .orElse(List.of(config.domain()));
    }

    /**
     * Checks the CAA records relevant to {@code domain} (the base name of a wildcard).
     *
     * @param accountUri the URL of the account asking, for accounturi
     * @param method     the validation method used, for validationmethods
     * @return a refusal, or empty when issuance is allowed
     */
    public Optional<Refusal> check(String domain, boolean wildcard, String accountUri,
            String method) {
        if (!config.caa().enabled()) {
            return Optional.empty();
        }
        String name = domain;
        while (true) {
            DnsResolver.Answer answer;
            try {
                answer = dns.caa(name);
            } catch (DnsResolver.DnsException e) {
                return Optional.of(new Refusal(ProblemType.DNS, e.getMessage(),
                        ValidationRecord.dns(name, dns.description(), List.of(), "CAA")));
            }
            if (answer.failed()) {
                return Optional.of(new Refusal(ProblemType.DNS, "the CAA lookup of " + name
                        + " at resolver " + dns.description() + " failed (" + answer.result()
                        + "), so issuance is not allowed (RFC 8659 §5.4)",
                        ValidationRecord.dns(name, dns.description(), List.of(), "CAA "
                                + answer.result())));
            }
            List<Entry> entries = new ArrayList<>();
            for (Record r : answer.records()) {
                CAARecord caa = (CAARecord) r;
                entries.add(new Entry(caa.getFlags(), caa.getTag().toLowerCase(Locale.ROOT),
                        caa.getValue()));
            }
            if (!entries.isEmpty()) {
                Optional<String> why = evaluate(entries, wildcard, identities(), accountUri,
                        method);
                List<String> seen = entries.stream().map(e -> "CAA " + e).toList();
                String at = name;
                return why.map(w -> new Refusal(ProblemType.CAA, "CAA records at " + at
                        + " forbid issuance for " + (wildcard ? "*." : "") + domain + ": " + w,
                        ValidationRecord.dns(at, dns.description(), seen, "CAA forbids")));
            }
            int dot = name.indexOf('.');
            if (dot < 0) {
                return Optional.empty();
            }
            name = name.substring(dot + 1);
        }
    }

    /**
     * Decides on one relevant, non-empty CAA record set; returns why issuance is refused, or
     * empty when it is allowed. Pure, for tests.
     */
    public static Optional<String> evaluate(List<Entry> entries, boolean wildcard,
            List<String> identities, String accountUri, String method) {
        for (Entry e : entries) {
            if ((e.flags() & 128) != 0 && !KNOWN_TAGS.contains(e.tag())) {
                return Optional.of("record " + e + " is critical and its tag is unknown");
            }
        }
        List<Entry> relevant = entries.stream().filter(e -> e.tag().equals(
                wildcard && entries.stream().anyMatch(x -> x.tag().equals("issuewild"))
                        ? "issuewild" : "issue")).toList();
        if (relevant.isEmpty()) {
            return Optional.empty();
        }
        List<String> reasons = new ArrayList<>();
        for (Entry e : relevant) {
            Optional<String> mismatch = matches(e, identities, accountUri, method);
            if (mismatch.isEmpty()) {
                return Optional.empty();
            }
            reasons.add(e + " (" + mismatch.get() + ")");
        }
        return Optional.of(String.join("; ", reasons) + "; this CA is " + identities);
    }

    private static Optional<String> matches(Entry e, List<String> identities, String accountUri,
            String method) {
        String[] parts = e.value().split(";", -1);
        String issuer = parts[0].trim().toLowerCase(Locale.ROOT);
        if (issuer.isEmpty()) {
            return Optional.of("no CA may issue");
        }
        if (identities.stream().noneMatch(i -> i.equalsIgnoreCase(issuer))) {
            return Optional.of("names another CA");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                return Optional.of("malformed parameter \"" + p + "\"");
            }
            params.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                    p.substring(eq + 1).trim());
        }
        String uri = params.get("accounturi");
        if (uri != null && !uri.equals(accountUri)) {
            return Optional.of("accounturi is not " + accountUri);
        }
        String methods = params.get("validationmethods");
        if (methods != null && List.of(methods.split(",")).stream().map(String::trim)
                .noneMatch(method::equals)) {
            return Optional.of("validationmethods does not include " + method);
        }
        return Optional.empty();
    }
}
