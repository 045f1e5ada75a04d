package io.certapi.core;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict base64url (RFC 4648 §5) as RFC 8555 §6.1 demands: no padding, no '+' or '/', no
 * whitespace. {@link Base64#getUrlDecoder()} alone accepts '=' padding, so every input is matched
 * against the alphabet first.
 */
public final class Base64Url {

    private static final Pattern ALPHABET = Pattern.compile("[A-Za-z0-9_-]*");

    private Base64Url() {
    }

    /** Decodes {@code text}, or returns empty when it is not strict base64url. */
    public static Optional<byte[]> decode(String text) {
        if (text == null || !ALPHABET.matcher(text).matches() || text.length() % 4 == 1) {
            return Optional.empty();
        }
        try {
            byte[] data = Base64.getUrlDecoder().decode(text);
            // Non-canonical trailing bits would let two strings name the same bytes.
            return encode(data).equals(text) ? Optional.of(data) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Encodes without padding. */
    public static String encode(byte[] data) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }
}
