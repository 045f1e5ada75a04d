package io.certapi.core;

import java.security.SecureRandom;
import java.util.Base64;

/** Random, unguessable identifiers for resources and tokens. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** 128 random bits, base64url without padding (22 characters). */
    public static String random() {
        return randomBase64Url(16);
    }

    /** {@code bytes} random bytes, base64url without padding. */
    public static String randomBase64Url(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
