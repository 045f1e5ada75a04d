package io.certapi.jws;

import org.jose4j.jwk.JsonWebKey;

/** RFC 7638 JWK thumbprints, as used in key authorizations and to find an account by key. */
public final class Thumbprints {

    private Thumbprints() {
    }

    /** The base64url SHA-256 thumbprint of {@code jwk}. */
    public static String of(JsonWebKey jwk) {
        return jwk.calculateBase64urlEncodedThumbprint("SHA-256");
    }
}
