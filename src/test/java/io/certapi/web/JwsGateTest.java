package io.certapi.web;

import static io.certapi.testing.TestAcme.b64;
import static io.certapi.testing.TestAcme.flattened;
import static io.certapi.testing.TestAcme.jws;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JWS gate, one row per RFC 8555 §6 rule: each hostile request must be refused with the
 * right problem type, status and a detail saying what was wrong, and a fresh Replay-Nonce.
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class JwsGateTest {

    private static final String NEW_ACCOUNT = "/acme/new-account";
    private static final String NEW_ORDER = "/acme/new-order";
    private static final String ORDER_PAYLOAD =
            "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"gate.test\"}]}";
    private static final String TOS = "{\"termsOfServiceAgreed\":true}";

    /** One row: a request, and the answer it must get. */
    record Case(Supplier<Req> request, int status, String type, String detail) {
    }

    /** A raw request. */
    record Req(String path, String contentType, String body) {
        static Req jose(String path, String body) {
            return new Req(path, "application/jose+json", body);
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                row("fail/content-type-json", () -> new Req(NEW_ACCOUNT, "application/json",
                        signedNewAccount()), 415, "malformed", "application/jose+json"),
                row("fail/empty-body", () -> Req.jose(NEW_ACCOUNT, ""), 400, "malformed",
                        "empty"),
                row("fail/body-too-large", () -> Req.jose(NEW_ACCOUNT,
                        "{\"protected\":\"" + "A".repeat(70_000) + "\"}"), 413, "malformed",
                        "at most 65536"),
                row("fail/not-json", () -> Req.jose(NEW_ACCOUNT, "not json"), 400, "malformed",
                        "strict JSON"),
                row("fail/duplicate-key", () -> Req.jose(NEW_ACCOUNT, duplicateProtected()),
                        400, "malformed", "Duplicate field"),
                row("fail/trailing-data", () -> Req.jose(NEW_ACCOUNT,
                        signedNewAccount() + " {}"), 400, "malformed", "strict JSON"),
                row("fail/deep-nesting", () -> Req.jose(NEW_ACCOUNT,
                        "{\"protected\":" + "[".repeat(40) + "]".repeat(40) + "}"),
                        400, "malformed", "nesting depth"),
                row("fail/general-serialization", () -> Req.jose(NEW_ACCOUNT,
                        "{\"payload\":\"e30\",\"signatures\":[]}"), 400, "malformed",
                        "flattened"),
                row("fail/unprotected-header", () -> Req.jose(NEW_ACCOUNT,
                        withMember(signedNewAccount(), "\"header\":{}")), 400, "malformed",
                        "unprotected"),
                row("fail/unknown-member", () -> Req.jose(NEW_ACCOUNT,
                        withMember(signedNewAccount(), "\"extra\":1")), 400, "malformed",
                        "unexpected member"),
                row("fail/padded-base64", () -> Req.jose(NEW_ACCOUNT,
                        editPart(signedNewAccount(), 2, s -> s + "==")), 400, "malformed",
                        "base64url"),
                row("fail/base64-plus-slash", () -> Req.jose(NEW_ACCOUNT,
                        editPart(signedNewAccount(), 2, s -> "+/" + s.substring(2))), 400,
                        "malformed", "base64url"),
                row("fail/base64-whitespace", () -> Req.jose(NEW_ACCOUNT,
                        editPart(signedNewAccount(), 0, s -> s.substring(0, 4) + " "
                                + s.substring(4))), 400, "malformed", "base64url"),
                row("fail/alg-none", () -> Req.jose(NEW_ACCOUNT, swapped(h -> h.put("alg", "none"))), 400, "badSignatureAlgorithm", "\"none\""),
                row("fail/alg-hs256", () -> Req.jose(NEW_ACCOUNT, swapped(h -> h.put("alg", "HS256"))), 400, "badSignatureAlgorithm", "HS256"),
                row("fail/alg-missing", () -> Req.jose(NEW_ACCOUNT, swapped(h -> h.remove("alg"))), 400, "badSignatureAlgorithm", "no \"alg\""),
                row("fail/alg-key-mismatch", () -> Req.jose(NEW_ACCOUNT, headerEdited(h ->
                        h.put("alg", "ES512"))), 400, "badSignatureAlgorithm",
                        "does not match"),
                row("fail/b64-header", () -> Req.jose(NEW_ACCOUNT, swapped(h -> h.put("b64", false))), 400, "malformed", "\"b64\""),
                row("fail/crit-header", () -> Req.jose(NEW_ACCOUNT, swapped(h ->
                        h.put("crit", new String[] {"exp"}))), 400, "malformed", "\"crit\""),
                row("fail/both-jwk-and-kid", () -> Req.jose(NEW_ACCOUNT, headerEdited(h ->
                        h.put("kid", TestAcme.url("/acme/account/x")))), 400, "malformed",
                        "exactly one"),
                row("fail/kid-on-new-account", () -> {
                    Account a = TestAcme.newAccount();
                    return Req.jose(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, TOS, true, h -> { }));
                }, 400, "malformed", "newAccount requests must carry the key as \"jwk\""),
                row("fail/jwk-on-new-order", () -> {
                    Account a = TestAcme.newAccount();
                    return Req.jose(NEW_ORDER, jws(a, NEW_ORDER, ORDER_PAYLOAD, false, h -> { }));
                }, 400, "malformed", "with \"kid\""),
                row("fail/kid-foreign-url", () -> {
                    Account a = TestAcme.newAccount();
                    return Req.jose(NEW_ORDER, jws(a, NEW_ORDER, ORDER_PAYLOAD, true, h ->
                            h.put("kid", "https://evil.test/acme/account/abc")));
                }, 400, "malformed", "account URL of this server"),
                row("fail/kid-unknown-account", () -> {
                    Account a = TestAcme.newAccount();
                    return Req.jose(NEW_ORDER, jws(a, NEW_ORDER, ORDER_PAYLOAD, true, h ->
                            h.put("kid", TestAcme.url("/acme/account/doesnotexist"))));
                }, 400, "accountDoesNotExist", "no account exists"),
                row("fail/jwk-private-members", () -> {
                    Account a = TestAcme.ecKey();
                    return Req.jose(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, TOS, false, h -> h.put("jwk",
                            a.key.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE))));
                }, 400, "malformed", "without private key members"),
                row("fail/rsa-1024", () -> {
                    Account a = TestAcme.rsaKey(1024);
                    return Req.jose(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, TOS, false, h -> { }));
                }, 400, "badPublicKey", "1024 bits"),
                row("fail/rsa-exponent-3", () -> {
                    Account a = rsaWithExponent(3);
                    return Req.jose(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, TOS, false, h -> { }));
                }, 400, "badPublicKey", "exponent 3"),
                row("fail/ec-point-off-curve", () -> {
                    Account a = TestAcme.ecKey();
                    Map<String, Object> jwk = a.key.toParams(
                            JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
                    byte[] y = Base64.getUrlDecoder().decode((String) jwk.get("y"));
                    y[y.length - 1] ^= 1;
                    jwk.put("y", b64(y));
                    return Req.jose(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, TOS, false, h ->
                            h.put("jwk", jwk)));
                }, 400, "badPublicKey", "P-256"),
                row("fail/ecdsa-r-and-s-zero", () -> Req.jose(NEW_ACCOUNT,
                        editPart(signedNewAccount(), 2, s -> b64(new byte[64]))), 400,
                        "malformed", "r or s outside"),
                row("fail/ecdsa-wrong-length", () -> Req.jose(NEW_ACCOUNT,
                        editPart(signedNewAccount(), 2, s -> b64(new byte[63]))), 400,
                        "malformed", "r||s of 64 bytes"),
                row("fail/bad-signature", () -> Req.jose(NEW_ACCOUNT,
                        editPart(signedNewAccount(), 1, s -> b64("{\"contact\":[]}"))), 400,
                        "malformed", "does not verify"),
                row("fail/no-nonce", () -> Req.jose(NEW_ACCOUNT, headerEdited(h ->
                        h.remove("nonce"))), 400, "badNonce", "no \"nonce\""),
                row("fail/forged-nonce", () -> Req.jose(NEW_ACCOUNT, headerEdited(h ->
                        h.put("nonce", b64(new byte[40])))), 400, "badNonce",
                        "not issued by this server"),
                row("fail/nonce-not-base64url", () -> Req.jose(NEW_ACCOUNT, headerEdited(h ->
                        h.put("nonce", "abc="))), 400, "badNonce", "base64url"),
                row("fail/reused-nonce", () -> {
                    String body = signedNewAccount();
                    TestAcme.post(NEW_ACCOUNT, body).then().statusCode(201);
                    return Req.jose(NEW_ACCOUNT, body);
                }, 400, "badNonce", "already used"),
                row("fail/url-missing", () -> Req.jose(NEW_ACCOUNT, headerEdited(h ->
                        h.remove("url"))), 400, "malformed", "no \"url\""),
                row("fail/url-mismatch", () -> Req.jose(NEW_ACCOUNT, headerEdited(h ->
                        h.put("url", TestAcme.url("/acme/new-order")))), 403, "unauthorized",
                        "does not match the request URL"),
                row("fail/payload-not-json", () -> Req.jose(NEW_ACCOUNT,
                        jws(TestAcme.ecKey(), NEW_ACCOUNT, "nope", false, h -> { })), 400,
                        "malformed", "JWS payload is not strict JSON"),
                row("fail/payload-array", () -> Req.jose(NEW_ACCOUNT,
                        jws(TestAcme.ecKey(), NEW_ACCOUNT, "[]", false, h -> { })), 400,
                        "malformed", "must be a JSON object"),
                row("fail/payload-duplicate-key", () -> Req.jose(NEW_ACCOUNT,
                        jws(TestAcme.ecKey(), NEW_ACCOUNT,
                                "{\"contact\":[],\"contact\":[]}", false, h -> { })), 400,
                        "malformed", "Duplicate field"),
                row("fail/payload-wrong-type", () -> Req.jose(NEW_ACCOUNT,
                        jws(TestAcme.ecKey(), NEW_ACCOUNT,
                                "{\"termsOfServiceAgreed\":\"true\"}", false, h -> { })), 400,
                        "malformed", "wrong type"),
                row("fail/post-as-get-on-new-account", () -> Req.jose(NEW_ACCOUNT,
                        jws(TestAcme.ecKey(), NEW_ACCOUNT, "", false, h -> { })), 400,
                        "malformed", "needs a JSON payload"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refused(Case c) {
        Req r = c.request().get();
        given().contentType(r.contentType()).body(r.body()).post(TestAcme.url(r.path()))
                .then().statusCode(c.status())
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ietf:params:acme:error:" + c.type()))
                .body("status", equalTo(c.status()))
                .body("detail", containsString(c.detail()))
                .header("Replay-Nonce", not(emptyOrNullString()))
                .header("Link", containsString("rel=\"index\""));
    }

    @Test
    void badSignatureAlgorithmListsTheAcceptedOnes() {
        TestAcme.post(NEW_ACCOUNT, swapped(h -> h.put("alg", "RS1"))).then()
                .statusCode(400)
                .body("algorithms", hasItem("ES256"))
                .body("algorithms", hasItem("EdDSA"));
    }

    @Test
    void aNonceIsRedeemedOnceUnderConcurrentRequests() throws Exception {
        String body = signedNewAccount();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> TestAcme.post(NEW_ACCOUNT, body).statusCode()));
        }
        int created = 0;
        int badNonce = 0;
        for (var f : results) {
            int status = f.get();
            created += status == 201 || status == 200 ? 1 : 0;
            badNonce += status == 400 ? 1 : 0;
        }
        pool.shutdown();
        org.junit.jupiter.api.Assertions.assertEquals(1, created, "one request wins the nonce");
        org.junit.jupiter.api.Assertions.assertEquals(7, badNonce, "the others get badNonce");
    }

    static Stream<Arguments> accepted() throws Exception {
        PublicJsonWebKey rsa = TestAcme.rsaKey(2048).key;
        return Stream.of(
                Arguments.of(Named.of("ok/ES256", new Account(
                        EcJwkGenerator.generateJwk(EllipticCurves.P256), "ES256"))),
                Arguments.of(Named.of("ok/ES384", new Account(
                        EcJwkGenerator.generateJwk(EllipticCurves.P384), "ES384"))),
                Arguments.of(Named.of("ok/ES512", new Account(
                        EcJwkGenerator.generateJwk(EllipticCurves.P521), "ES512"))),
                Arguments.of(Named.of("ok/RS256", new Account(rsa, "RS256"))),
                Arguments.of(Named.of("ok/PS256", new Account(TestAcme.rsaKey(3072).key,
                        "PS256"))),
                Arguments.of(Named.of("ok/EdDSA", new Account(
                        OkpJwkGenerator.generateJwk("Ed25519"), "EdDSA"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void everyAcceptedAlgorithmRegisters(Account a) {
        Response r = TestAcme.post(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, TOS, false, h -> { }));
        r.then().statusCode(201).body("status", equalTo("valid"));
        a.kid = r.header("Location");
        // ...and then signs with kid, POST-as-GET on its own account.
        TestAcme.postAsGet(a, a.kid).then().statusCode(200).body("status", equalTo("valid"));
    }

    private static Arguments row(String name, Supplier<Req> req, int status, String type,
            String detail) {
        return Arguments.of(Named.of(name, new Case(req, status, type, detail)));
    }

    private static String signedNewAccount() {
        return jws(TestAcme.ecKey(), NEW_ACCOUNT, TOS, false, h -> { });
    }

    private static String headerEdited(java.util.function.Consumer<Map<String, Object>> edit) {
        return jws(TestAcme.ecKey(), NEW_ACCOUNT, TOS, false, edit);
    }

    private static String swapped(java.util.function.Consumer<Map<String, Object>> edit) {
        return TestAcme.jwsHeaderSwapped(TestAcme.ecKey(), NEW_ACCOUNT, TOS, edit);
    }

    private static String duplicateProtected() {
        String[] p = parts(signedNewAccount());
        return "{\"protected\":\"" + p[0] + "\",\"protected\":\"" + p[0] + "\",\"payload\":\""
                + p[1] + "\",\"signature\":\"" + p[2] + "\"}";
    }

    private static String withMember(String jws, String member) {
        return jws.substring(0, jws.length() - 1) + "," + member + "}";
    }

    private static String editPart(String jws, int index,
            java.util.function.UnaryOperator<String> edit) {
        String[] p = parts(jws);
        p[index] = edit.apply(p[index]);
        return flattened(p[0], p[1], p[2]);
    }

    private static String[] parts(String jws) {
        var m = java.util.regex.Pattern.compile("\"(protected|payload|signature)\":\"([^\"]*)\"")
                .matcher(jws);
        String[] p = new String[3];
        while (m.find()) {
            p[switch (m.group(1)) {
                case "protected" -> 0;
                case "payload" -> 1;
                default -> 2;
            }] = m.group(2);
        }
        return p;
    }

    private static Account rsaWithExponent(int e) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(2048, BigInteger.valueOf(e)));
            var kp = g.generateKeyPair();
            RsaJsonWebKey jwk = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey)
                    kp.getPublic());
            jwk.setPrivateKey(kp.getPrivate());
            return new Account(jwk, "RS256");
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
