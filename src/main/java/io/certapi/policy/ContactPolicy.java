package io.certapi.policy;

import io.certapi.core.AcmeProblem;
import io.certapi.core.ProblemType;
import io.certapi.core.Texts;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Account contacts (RFC 8555 §7.3): "mailto:" URLs with exactly one address and no header
 * fields, as Boulder accepts them.
 */
public final class ContactPolicy {

    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    private ContactPolicy() {
    }

    /** Checks every contact; throws unsupportedContact or invalidContact for the first bad one. */
    public static List<String> check(List<String> contacts, int max) {
        if (contacts.size() > max) {
            throw AcmeProblem.of(ProblemType.INVALID_CONTACT, "the account has "
                    + contacts.size() + " contacts; at most " + max + " are allowed");
        }
        for (String c : contacts) {
            if (c == null || !c.startsWith("mailto:")) {
                throw AcmeProblem.of(ProblemType.UNSUPPORTED_CONTACT, "contact \"" + Texts.clip(c)
                        + "\" is not supported; only mailto: URLs are");
            }
            String address = c.substring("mailto:".length());
            if (address.contains("?") || address.contains(",") || address.contains("%")) {
                throw AcmeProblem.of(ProblemType.INVALID_CONTACT, "contact \"" + Texts.clip(c)
                        + "\" must be a single address without header fields");
            }
            if (!ADDRESS.matcher(address).matches() || address.length() > 254) {
                throw AcmeProblem.of(ProblemType.INVALID_CONTACT, "contact \"" + Texts.clip(c)
                        + "\" is not a valid e-mail address");
            }
        }
        return List.copyOf(contacts);
    }
}
