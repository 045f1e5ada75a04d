package io.certapi.policy;

import io.certapi.core.AcmeProblem;
import io.certapi.core.Identifier;
import io.certapi.core.ProblemType;
import io.certapi.core.Texts;
import io.certapi.core.Subproblem;
import io.certapi.core.IpAddresses;
import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which identifiers certapi will put in a certificate, checked as Boulder checks them: "dns"
 * names of LDH labels of at most 63 octets, at most 253 octets in all, no trailing dot, valid
 * punycode, not an IP address in disguise, a wildcard only as the whole first label and not on
 * a top-level domain; "ip" identifiers (RFC 8738) as IPv4 or IPv6 literals in canonical form.
 * Operators narrow this with allow and deny lists of domains and IP ranges. Names are
 * lower-cased and duplicates dropped; every bad identifier is named in its own subproblem
 * (RFC 8555 §6.7.1).
 */
public final class IdentifierPolicy {

    /**
     * The operator's rules.
     *
     * @param maxIdentifiers the most identifiers an order may carry
     * @param allowedDomains when non-empty, names must be equal to or under one of these
     * @param deniedDomains  names equal to or under one of these are refused
     * @param allowedIps     when non-empty, addresses must be in one of these CIDR ranges
     * @param deniedIps      addresses in one of these CIDR ranges are refused
     * @param privateNames   whether names outside the public DNS (single labels, suffixes that
     *                       are not on the Public Suffix List) are allowed
     */
    public record Rules(int maxIdentifiers, List<String> allowedDomains,
            List<String> deniedDomains, List<String> allowedIps, List<String> deniedIps,
            boolean privateNames) {

        /** Rules with only a maximum, for callers that have no lists. */
        public static Rules of(int maxIdentifiers) {
            return new Rules(maxIdentifiers, List.of(), List.of(), List.of(), List.of(), true);
        }
    }

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    private IdentifierPolicy() {
    }

    /**
     * Normalises and checks an order's identifiers.
     *
     * @return the identifiers, normalised, in request order, without duplicates
     */
    public static List<Identifier> check(List<Identifier> requested, Rules rules) {
        int max = rules.maxIdentifiers();
        if (requested == null || requested.isEmpty()) {
            throw AcmeProblem.malformed("the order has no identifiers; give at least one");
        }
        Set<Identifier> normalised = new LinkedHashSet<>();
        List<Subproblem> problems = new ArrayList<>();
        for (Identifier id : requested) {
            try {
                normalised.add(checkOne(id, rules));
            } catch (AcmeProblem p) {
                problems.add(new Subproblem(p.type(), p.detail(), id));
            }
        }
        if (!problems.isEmpty()) {
            throw combine(problems);
        }
        if (normalised.size() > max) {
            throw AcmeProblem.of(ProblemType.REJECTED_IDENTIFIER, "the order has "
                    + normalised.size() + " identifiers; at most " + max + " are allowed");
        }
        return List.copyOf(normalised);
    }

    /** Checks one identifier and returns its normal form. */
    public static Identifier checkOne(Identifier id, Rules rules) {
        if (id == null || id.type() == null || id.value() == null) {
            throw AcmeProblem.malformed("an identifier needs a type and a value");
        }
        return switch (id.type()) {
            case Identifier.DNS -> checkDns(id.value(), rules);
            case Identifier.IP -> checkIp(id.value(), rules);
            default -> throw AcmeProblem.of(ProblemType.UNSUPPORTED_IDENTIFIER,
                    "identifier type \"" + Texts.clip(id.type()) + "\" is not supported; this server"
                    + " issues for \"dns\" and \"ip\"");
        };
    }

    /** Whether a "dns" identifier value is a wildcard name. */
    public static boolean isWildcard(String name) {
        return name.startsWith("*.");
    }

    private static Identifier checkDns(String value, Rules rules) {
        String name = value.toLowerCase(Locale.ROOT);
        String base = isWildcard(name) ? name.substring(2) : name;
        if (base.contains("*")) {
            throw rejected("\"" + Texts.clip(name) + "\" has a wildcard elsewhere than as the whole"
                    + " first label");
        }
        checkDnsName(base);
        if (isWildcard(name) && !base.contains(".")) {
            throw rejected("wildcard \"" + Texts.clip(name) + "\" is directly under a top-level"
                    + " domain");
        }
        checkPublicSuffix(name, base, rules.privateNames());
        for (String denied : rules.deniedDomains()) {
            if (underDomain(base, denied)) {
                throw rejected("\"" + Texts.clip(name) + "\" is under " + denied
                        + ", which this CA's policy forbids");
            }
        }
        if (!rules.allowedDomains().isEmpty()
                && rules.allowedDomains().stream().noneMatch(d -> underDomain(base, d))) {
            throw rejected("\"" + Texts.clip(name) + "\" is outside the domains this CA issues for: "
                    + rules.allowedDomains());
        }
        return Identifier.dns(name);
    }

    private static Identifier checkIp(String value, Rules rules) {
        InetAddress address = IpAddresses.parse(value).orElseThrow(() -> AcmeProblem.malformed(
                "\"" + Texts.clip(value) + "\" is not an IPv4 or IPv6 address literal (RFC 8738)"));
        String canonical = IpAddresses.canonical(address);
        for (String denied : rules.deniedIps()) {
            if (IpAddresses.inRange(address, denied)) {
                throw rejected("IP address " + canonical + " is in " + denied
                        + ", which this CA's policy forbids");
            }
        }
        if (!rules.allowedIps().isEmpty()
                && rules.allowedIps().stream().noneMatch(r -> IpAddresses.inRange(address, r))) {
            throw rejected("IP address " + canonical + " is outside the ranges this CA issues"
                    + " for: " + rules.allowedIps());
        }
        return new Identifier(Identifier.IP, canonical);
    }

    private static boolean underDomain(String name, String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return name.equals(d) || name.endsWith("." + d);
    }

    private static void checkDnsName(String name) {
        if (name.isEmpty()) {
            throw rejected("the DNS name is empty");
        }
        if (name.endsWith(".")) {
            throw rejected("DNS name \"" + Texts.clip(name) + "\" ends with a dot; give it without");
        }
        if (name.length() > 253) {
            throw rejected("DNS name is " + name.length() + " characters; at most 253 are allowed");
        }
        if (looksLikeIp(name)) {
            throw AcmeProblem.malformed("\"" + Texts.clip(name) + "\" is an IP address; use an"
                    + " identifier of type \"ip\" for addresses");
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw rejected("DNS name \"" + Texts.clip(name) + "\" has an empty label");
            }
            if (label.length() > 63) {
                throw rejected("DNS name \"" + Texts.clip(name) + "\" has a label longer than 63");
            }
            if (!LABEL.matcher(label).matches()) {
                throw rejected("DNS name \"" + Texts.clip(name) + "\" has label \"" + Texts.clip(label)
                        + "\"; labels are letters, digits and inner hyphens");
            }
            if (label.length() >= 4 && label.charAt(2) == '-' && label.charAt(3) == '-') {
                checkPunycode(name, label);
            }
        }
        if (NUMERIC.matcher(labels[labels.length - 1]).matches()) {
            throw rejected("DNS name \"" + Texts.clip(name) + "\" has an all-numeric top-level label");
        }
    }

    private static void checkPunycode(String name, String label) {
        if (!label.startsWith("xn--")) {
            throw rejected("DNS name \"" + Texts.clip(name) + "\" has label \"" + label
                    + "\" with hyphens in positions 3 and 4 but no xn-- prefix");
        }
        try {
            String unicode = IDN.toUnicode(label, IDN.USE_STD3_ASCII_RULES);
            if (unicode.equals(label)
                    || !IDN.toASCII(unicode, IDN.USE_STD3_ASCII_RULES).equals(label)) {
                throw rejected("DNS name \"" + Texts.clip(name) + "\" has invalid punycode label \""
                        + label + "\"");
            }
        } catch (IllegalArgumentException e) {
            throw rejected("DNS name \"" + Texts.clip(name) + "\" has invalid punycode label \""
                    + label + "\"");
        }
    }

    /**
     * The Public Suffix List's ICANN section, as Boulder uses it: no certificate for a public
     * suffix ({@code co.uk}), nor for a wildcard directly under one ({@code *.co.uk}), which
     * would cover names of unrelated registrants. The list is Guava's, current as of its
     * release.
     */
    private static void checkPublicSuffix(String name, String base, boolean privateNames) {
        InternetDomainName domain;
        try {
            domain = InternetDomainName.from(base);
        } catch (IllegalArgumentException e) {
            // Checked by checkDnsName already; Guava's own syntax rules are not ours to add.
            return;
        }
        if (domain.isRegistrySuffix()) {
            throw rejected(isWildcard(name)
                    ? "wildcard \"" + Texts.clip(name) + "\" is directly under " + base
                            + ", a public suffix (Public Suffix List)"
                    : "\"" + Texts.clip(name) + "\" is a public suffix (Public Suffix List);"
                            + " certificates are for names under one");
        }
        if (!privateNames && !domain.isUnderRegistrySuffix()) {
            throw rejected("\"" + Texts.clip(name) + "\" does not end in a public suffix, and this"
                    + " CA issues for public names only (certapi.policy.private-names=false)");
        }
    }

    private static boolean looksLikeIp(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static AcmeProblem combine(List<Subproblem> problems) {
        if (problems.size() == 1) {
            Subproblem only = problems.get(0);
            return AcmeProblem.of(only.type(), only.detail()).withSubproblems(problems);
        }
        ProblemType first = problems.get(0).type();
        boolean same = problems.stream().allMatch(p -> p.type() == first);
        return AcmeProblem.of(same ? first : ProblemType.MALFORMED, problems.size()
                + " identifiers were refused; see the subproblems").withSubproblems(problems);
    }

    private static AcmeProblem rejected(String detail) {
        return AcmeProblem.of(ProblemType.REJECTED_IDENTIFIER, detail);
    }
}
