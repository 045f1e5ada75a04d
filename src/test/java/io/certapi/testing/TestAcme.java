package io.certapi.testing;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A small ACME client for HTTP-contract tests: it signs requests with jose4j exactly as a client
 * must, and lets a test break any part of a request on purpose.
 */
public final class TestAcme {

    /** An account key and, once registered, its kid. */
    public static final class Account {
        public final PublicJsonWebKey key;
        public final String alg;
        public String kid;

        public Account(PublicJsonWebKey key, String alg) {
            this.key = key;
            this.alg = alg;
        }
    }

    private TestAcme() {
    }

    /** The base URL of the server under test, as it builds its own links. */
    public static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    /** An absolute URL for {@code path}. */
    public static String url(String path) {
        return path.startsWith("http") ? path : base() + path;
    }

    /** A fresh P-256 key. */
    public static Account ecKey() {
        try {
            return new Account(EcJwkGenerator.generateJwk(EllipticCurves.P256), "ES256");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh RSA key of {@code bits}. */
    public static Account rsaKey(int bits) {
        try {
            return new Account(RsaJwkGenerator.generateJwk(bits), "RS256");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A registered account with a P-256 key. */
    public static Account newAccount() {
        Account a = ecKey();
        Response r = post("/acme/new-account", jws(a, "/acme/new-account",
                "{\"termsOfServiceAgreed\":true}", false, h -> { }));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("newAccount failed: " + r.asString());
        }
        a.kid = r.header("Location");
        return a;
    }

    /** A fresh nonce. */
    public static String nonce() {
        return given().head("/acme/new-nonce").then().statusCode(200).extract()
                .header("Replay-Nonce");
    }

    /** POSTs a JWS body. */
    public static Response post(String path, String body) {
        return given().contentType("application/jose+json").body(body).post(url(path));
    }

    /** POSTs {@code payload} signed by {@code a} with its kid. */
    public static Response postKid(Account a, String path, String payload) {
        return post(path, jws(a, path, payload, true, h -> { }));
    }

    /** POST-as-GET with {@code a}'s kid. */
    public static Response postAsGet(Account a, String path) {
        return postKid(a, path, "");
    }

    /**
     * A flattened JWS of {@code payload} (empty for POST-as-GET), signed by {@code a}, with
     * kid or jwk, a fresh nonce and the URL; {@code edit} may change the header before signing.
     */
    public static String jws(Account a, String path, String payload, boolean useKid,
            Consumer<Map<String, Object>> edit) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", a.alg);
        if (useKid) {
            header.put("kid", a.kid);
        } else {
            header.put("jwk", a.key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        }
        header.put("nonce", nonce());
        header.put("url", url(path));
        edit.accept(header);
        return sign(a, header, payload);
    }

    /**
     * A JWS whose protected header is {@code edit}ed after signing, for headers no signer
     * produces (alg "none", "b64": false ...): the gate must refuse them before it looks at the
     * signature.
     */
    public static String jwsHeaderSwapped(Account a, String path, String payload,
            Consumer<Map<String, Object>> edit) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", a.alg);
        header.put("jwk", a.key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        header.put("nonce", nonce());
        header.put("url", url(path));
        String[] parts = compact(a, header, payload).split("\\.", -1);
        edit.accept(header);
        return flattened(b64(org.jose4j.json.JsonUtil.toJson(header)), parts[1], parts[2]);
    }

    /** Signs {@code payload} under exactly {@code header}, in flattened JSON. */
    public static String sign(Account a, Map<String, Object> header, String payload) {
        String[] parts = compact(a, header, payload).split("\\.", -1);
        return flattened(parts[0], parts[1], parts[2]);
    }

    /** The three compact-serialization parts of a JWS signed by {@code a}. */
    public static String compact(Account a, Map<String, Object> header, String payload) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            String headerJson = org.jose4j.json.JsonUtil.toJson(header);
            jws.getHeaders().setFullHeaderAsJsonString(headerJson);
            jws.setPayload(payload);
            jws.setKey(a.key.getPrivateKey());
            jws.setDoKeyValidation(false);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A flattened JWS from its three parts, as given. */
    public static String flattened(String prot, String payload, String signature) {
        return "{\"protected\":\"" + prot + "\",\"payload\":\"" + payload
                + "\",\"signature\":\"" + signature + "\"}";
    }

    /** base64url without padding. */
    public static String b64(String s) {
        return b64(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** base64url without padding. */
    public static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
