package io.certapi.jws;

import com.fasterxml.jackson.databind.JsonNode;
import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.Base64Url;
import io.certapi.core.Ecdsa;
import io.certapi.core.ProblemType;
import io.certapi.core.Status;
import io.certapi.core.Texts;
import io.certapi.policy.KeyPolicy;
import io.certapi.store.AccountKeyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * The one gate every ACME POST passes. Each check is a method named after the RFC 8555 §6 rule it
 * enforces, run in this order: content type, body size, flattened serialization, strict
 * base64url, protected header, algorithm, key reference, account, key policy, algorithm-key
 * match, signature, nonce, url, payload. The order follows Boulder's: the nonce is redeemed only
 * once the signature is known good, so garbage cannot burn nonces.
 */
@ApplicationScoped
public class JwsGate {

    /** The JWS algorithms accepted (RFC 8555 §6.2), in the order advertised. */
    public static final List<String> ALGORITHMS =
            List.of("RS256", "PS256", "ES256", "ES384", "ES512", "EdDSA");

    private static final String JOSE_JSON = "application/jose+json";
    private static final Set<String> JWS_MEMBERS = Set.of("protected", "payload", "signature");
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("b64", "crit", "x5c", "x5u", "jku",
            "x5t", "x5t#S256");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** Parsed stored account keys are kept up to this many, then all forgotten at once. */
    private static final int PARSED_KEYS = 10_000;

    private final NonceService nonces;
    private final CertapiConfig config;
    private final AccountKeyStore accountKeys;
    /** Stored account keys (JWK JSON) parsed before: parsing one costs more than its query. */
    private final Map<String, ParsedKey> parsed = new ConcurrentHashMap<>();

    /** Creates the gate. */
    public JwsGate(NonceService nonces, CertapiConfig config, AccountKeyStore accountKeys) {
        this.nonces = nonces;
        this.config = config;
        this.accountKeys = accountKeys;
    }

    /** Runs every check on an outer request; throws the first failing check's problem. */
    public VerifiedRequest verify(JwsInput in, KeyMode mode) {
        contentTypeIsJoseJson(in.contentType());
        bodyWithinLimit(in.body());
        Parts parts = flattenedSerializationOnly(StrictJson.parseObject(in.body(), "request body"));
        JsonNode header = protectedHeaderIsStrictJson(parts);
        noUnsupportedHeaderParameters(header);
        String alg = algorithmIsAccepted(header);
        KeyReference ref = exactlyOneKeyReference(header, mode);
        Optional<String> accountId = Optional.empty();
        ParsedKey key;
        if (ref == KeyReference.KID) {
            AccountKeyStore.StoredKey account = kidIsAValidAccountOfThisServer(header,
                    in.accountUrlPrefix());
            accountId = Optional.of(account.id());
            key = storedKey(account.jwk());
        } else {
            PublicJsonWebKey sent = parseJwk(header.get("jwk"), "jwk header");
            keyPassesPolicy(sent, "JWS key");
            key = ParsedKey.of(sent);
        }
        PublicJsonWebKey jwk = key.jwk();
        algorithmMatchesKey(alg, jwk);
        signatureVerifies(parts, alg, key);
        nonceIsFreshAndUnused(header);
        urlMatchesRequest(header, in.url());
        JsonNode payload = payloadIsStrictJson(parts);
        return new VerifiedRequest(accountId, jwk, payload, in.url());
    }

    /**
     * Checks the inner JWS of a key change (RFC 8555 §7.3.5): flattened, signed by the
     * {@code jwk} it carries, same {@code url} as the outer JWS, and no {@code nonce}.
     */
    public VerifiedRequest verifyInner(JsonNode innerJws, String outerUrl) {
        if (innerJws == null || !innerJws.isObject()) {
            throw AcmeProblem.malformed("the keyChange payload must be a JWS in flattened JSON");
        }
        Parts parts = flattenedSerializationOnly(innerJws);
        JsonNode header = protectedHeaderIsStrictJson(parts);
        noUnsupportedHeaderParameters(header);
        String alg = algorithmIsAccepted(header);
        if (header.has("kid") || !header.has("jwk")) {
            throw AcmeProblem.malformed("the inner JWS of a key change must carry the new key as"
                    + " jwk, and no kid (RFC 8555 §7.3.5)");
        }
        if (header.has("nonce")) {
            throw AcmeProblem.malformed("the inner JWS of a key change must not carry a nonce"
                    + " (RFC 8555 §7.3.5)");
        }
        PublicJsonWebKey jwk = parseJwk(header.get("jwk"), "inner jwk header");
        keyPassesPolicy(jwk, "new account key");
        algorithmMatchesKey(alg, jwk);
        signatureVerifies(parts, alg, ParsedKey.of(jwk));
        JsonNode url = header.get("url");
        if (url == null || !url.isTextual() || !url.asText().equals(outerUrl)) {
            throw AcmeProblem.malformed("the inner JWS url must equal the outer JWS url "
                    + outerUrl + " (RFC 8555 §7.3.5)");
        }
        JsonNode payload = payloadIsStrictJson(parts);
        if (payload == null) {
            throw AcmeProblem.malformed("the inner JWS of a key change needs a payload");
        }
        return new VerifiedRequest(Optional.empty(), jwk, payload, outerUrl);
    }

    /**
     * Checks the form of an externalAccountBinding (RFC 8555 §7.3.4): a flattened JWS with a
     * MAC algorithm, a kid, the outer url and no nonce, whose payload is the outer jwk. The MAC
     * itself is checked by {@link ExternalBinding#verifies} once the key of its kid is found.
     */
    public ExternalBinding externalBinding(JsonNode eab, String outerUrl,
            PublicJsonWebKey outerJwk) {
        if (eab == null || !eab.isObject()) {
            throw AcmeProblem.malformed("externalAccountBinding must be a JWS in flattened JSON"
                    + " (RFC 8555 §7.3.4)");
        }
        Parts parts = flattenedSerializationOnly(eab);
        JsonNode header = protectedHeaderIsStrictJson(parts);
        noUnsupportedHeaderParameters(header);
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()
                || !ExternalBinding.ALGORITHMS.containsKey(alg.asText())) {
            throw AcmeProblem.of(ProblemType.MALFORMED, "externalAccountBinding alg must be one"
                    + " of " + ExternalBinding.ALGORITHMS.keySet() + " (RFC 8555 §7.3.4)");
        }
        JsonNode kid = header.get("kid");
        if (kid == null || !kid.isTextual() || kid.asText().isEmpty()) {
            throw AcmeProblem.malformed("externalAccountBinding needs the EAB key id as kid");
        }
        if (header.has("nonce") || header.has("jwk")) {
            throw AcmeProblem.malformed("externalAccountBinding must carry neither nonce nor jwk"
                    + " (RFC 8555 §7.3.4)");
        }
        JsonNode url = header.get("url");
        if (url == null || !url.isTextual() || !url.asText().equals(outerUrl)) {
            throw AcmeProblem.malformed("externalAccountBinding url must equal the newAccount"
                    + " url " + outerUrl + " (RFC 8555 §7.3.4)");
        }
        JsonNode payload = payloadIsStrictJson(parts);
        PublicJsonWebKey bound = parseJwk(payload, "externalAccountBinding payload");
        if (!Thumbprints.of(bound).equals(Thumbprints.of(outerJwk))) {
            throw AcmeProblem.malformed("externalAccountBinding payload must be the account key"
                    + " of the outer JWS (RFC 8555 §7.3.4)");
        }
        return new ExternalBinding(kid.asText(), alg.asText(),
                (parts.protectedText() + "." + parts.payloadText())
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                parts.signatureBytes());
    }

    /** RFC 8555 §6.2: requests carry Content-Type application/jose+json; anything else is 415. */
    void contentTypeIsJoseJson(String contentType) {
        String base = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!JOSE_JSON.equals(base.toLowerCase(Locale.ROOT))) {
            throw AcmeProblem.malformed("Content-Type must be " + JOSE_JSON + ", not \""
                    + (contentType == null ? "" : Texts.clip(contentType)) + "\"").withStatus(415);
        }
    }

    /** Bounds the work an unauthenticated request can cause. */
    void bodyWithinLimit(byte[] body) {
        int max = config.jws().maxBodyBytes();
        if (body == null || body.length == 0) {
            throw AcmeProblem.malformed("the request body is empty; expected a JWS");
        }
        if (body.length > max) {
            throw AcmeProblem.malformed("the request body has " + body.length
                    + " bytes; at most " + max + " are accepted").withStatus(413);
        }
    }

    /**
     * RFC 8555 §6.2: the flattened JSON serialization, with exactly protected, payload and
     * signature; no unprotected header, no general serialization.
     */
    Parts flattenedSerializationOnly(JsonNode jws) {
        if (jws.has("signatures")) {
            throw AcmeProblem.malformed("JWS must use the flattened JSON serialization, not the"
                    + " general one with \"signatures\" (RFC 8555 §6.2)");
        }
        if (jws.has("header")) {
            throw AcmeProblem.malformed("JWS must not have an unprotected \"header\""
                    + " (RFC 8555 §6.2)");
        }
        for (var it = jws.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!JWS_MEMBERS.contains(name)) {
                throw AcmeProblem.malformed("JWS has an unexpected member \"" + Texts.clip(name)
                        + "\"; expected only protected, payload and signature");
            }
        }
        String prot = textMember(jws, "protected");
        String payload = textMember(jws, "payload");
        String sig = textMember(jws, "signature");
        return new Parts(prot, strictBase64Url(prot, "protected"),
                payload, strictBase64Url(payload, "payload"), strictBase64Url(sig, "signature"),
                sig);
    }

    /** RFC 8555 §6.1: base64url without padding, '+', '/' or whitespace. */
    static byte[] strictBase64Url(String text, String member) {
        return Base64Url.decode(text).orElseThrow(() -> AcmeProblem.malformed("JWS " + member
                + " is not base64url without padding (RFC 8555 §6.1)"));
    }

    JsonNode protectedHeaderIsStrictJson(Parts parts) {
        if (parts.protectedBytes().length == 0) {
            throw AcmeProblem.malformed("JWS protected header is empty");
        }
        return StrictJson.parseObject(parts.protectedBytes(), "JWS protected header");
    }

    /** RFC 8555 §6.2 and RFC 7515 §4.1.11: no b64, no crit, no key by reference. */
    void noUnsupportedHeaderParameters(JsonNode header) {
        for (String name : FORBIDDEN_HEADERS) {
            if (header.has(name)) {
                throw AcmeProblem.malformed("JWS protected header parameter \"" + name
                        + "\" is not supported");
            }
        }
    }

    /** RFC 8555 §6.2: a supported asymmetric algorithm, never "none" or a MAC. */
    String algorithmIsAccepted(JsonNode header) {
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw AcmeProblem.of(ProblemType.BAD_SIGNATURE_ALGORITHM,
                    "JWS protected header has no \"alg\"; accepted are " + ALGORITHMS)
                    .withAlgorithms(ALGORITHMS);
        }
        if (!ALGORITHMS.contains(alg.asText())) {
            throw AcmeProblem.of(ProblemType.BAD_SIGNATURE_ALGORITHM, "JWS algorithm \""
                    + Texts.clip(alg.asText()) + "\" is not accepted; accepted are " + ALGORITHMS)
                    .withAlgorithms(ALGORITHMS);
        }
        return alg.asText();
    }

    /** RFC 8555 §6.2: exactly one of jwk and kid, and the one this endpoint takes. */
    KeyReference exactlyOneKeyReference(JsonNode header, KeyMode mode) {
        boolean hasJwk = header.has("jwk");
        boolean hasKid = header.has("kid");
        if (hasJwk == hasKid) {
            throw AcmeProblem.malformed("JWS protected header must contain exactly one of \"jwk\""
                    + " and \"kid\" (RFC 8555 §6.2)");
        }
        if (hasJwk && mode == KeyMode.KID) {
            throw AcmeProblem.malformed("this request must identify its account with \"kid\","
                    + " not \"jwk\" (RFC 8555 §6.2)");
        }
        if (hasKid && mode == KeyMode.JWK) {
            throw AcmeProblem.malformed("newAccount requests must carry the key as \"jwk\","
                    + " not \"kid\" (RFC 8555 §6.2)");
        }
        return hasJwk ? KeyReference.JWK : KeyReference.KID;
    }

    /** RFC 8555 §6.2: kid is an account URL this server issued, for a valid account. */
    AccountKeyStore.StoredKey kidIsAValidAccountOfThisServer(JsonNode header,
            String accountUrlPrefix) {
        JsonNode kid = header.get("kid");
        if (!kid.isTextual() || !kid.asText().startsWith(accountUrlPrefix)
                || !ACCOUNT_ID.matcher(kid.asText().substring(accountUrlPrefix.length()))
                        .matches()) {
            throw AcmeProblem.malformed("JWS kid must be an account URL of this server, starting"
                    + " with " + accountUrlPrefix);
        }
        String id = kid.asText().substring(accountUrlPrefix.length());
        AccountKeyStore.StoredKey account = accountKeys.find(id).orElseThrow(() ->
                AcmeProblem.of(ProblemType.ACCOUNT_DOES_NOT_EXIST, "no account exists at "
                        + kid.asText()));
        if (!Status.VALID.wire().equals(account.status())) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the account " + kid.asText()
                    + " is " + account.status() + " and can no longer make requests");
        }
        return account;
    }

    /** Key policy of {@link KeyPolicy}, answered as badPublicKey. */
    void keyPassesPolicy(PublicJsonWebKey jwk, String what) {
        KeyPolicy.check(jwk.getPublicKey(), what);
    }

    /** RFC 7518: RS256/PS256 need RSA, ESxxx the matching curve, EdDSA an Ed25519 key. */
    void algorithmMatchesKey(String alg, PublicJsonWebKey jwk) {
        // By key type, not getAlgorithm(), whose names differ between providers.
        java.security.PublicKey key = jwk.getPublicKey();
        String expected;
        if (key instanceof RSAPublicKey) {
            expected = alg.equals("RS256") || alg.equals("PS256") ? alg : "RS256 or PS256";
        } else if (key instanceof ECPublicKey ec) {
            expected = KeyPolicy.curveOf(ec).map(KeyPolicy.Curve::jwsAlgorithm).orElse("none");
        } else {
            expected = "EdDSA";
        }
        if (!expected.equals(alg)) {
            throw AcmeProblem.of(ProblemType.BAD_SIGNATURE_ALGORITHM, "JWS algorithm " + alg
                    + " does not match the " + jwk.getKeyType() + " key; it needs " + expected)
                    .withAlgorithms(ALGORITHMS);
        }
    }

    /**
     * The signature verifies under the key. ECDSA signatures are first checked to be r||s of the
     * curve's size with 0 &lt; r, s &lt; n (CVE-2022-21449).
     */
    void signatureVerifies(Parts parts, String alg, ParsedKey key) {
        PublicJsonWebKey jwk = key.jwk();
        byte[] sig = parts.signatureBytes();
        if (jwk.getPublicKey() instanceof ECPublicKey ec) {
            ecdsaSignatureInRange(sig, ec);
        } else if (jwk.getPublicKey() instanceof RSAPublicKey rsa
                && sig.length != (rsa.getModulus().bitLength() + 7) / 8) {
            throw AcmeProblem.malformed("JWS signature has " + sig.length
                    + " bytes; an RSA signature of this key has "
                    + (rsa.getModulus().bitLength() + 7) / 8);
        }
        if (key.ecdsa().isPresent()) {
            // ES256/384/512 (RFC 7518 §3.4): the signing input is the ASCII of the two parts.
            byte[] input = (parts.protectedText() + "." + parts.payloadText())
                    .getBytes(StandardCharsets.US_ASCII);
            if (!key.ecdsa().get().verifyConcatenated(input, sig)) {
                throw AcmeProblem.malformed("JWS signature does not verify with the "
                        + jwk.getKeyType() + " key");
            }
            return;
        }
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(new AlgorithmConstraints(
                    AlgorithmConstraints.ConstraintType.PERMIT, alg));
            jws.setCompactSerialization(parts.protectedText() + "." + parts.payloadText() + "."
                    + parts.signatureText());
            jws.setKey(jwk.getPublicKey());
            if (!jws.verifySignature()) {
                throw AcmeProblem.malformed("JWS signature does not verify with the "
                        + (jwk.getKeyType()) + " key");
            }
        } catch (JoseException e) {
            throw AcmeProblem.malformed("JWS signature could not be verified: " + e.getMessage());
        }
    }

    private static void ecdsaSignatureInRange(byte[] sig, ECPublicKey ec) {
        KeyPolicy.Curve curve = KeyPolicy.curveOf(ec).orElseThrow();
        int n = curve.coordinateBytes();
        if (sig.length != 2 * n) {
            throw AcmeProblem.malformed("JWS " + curve.jwsAlgorithm() + " signature has "
                    + sig.length + " bytes; it must be r||s of " + 2 * n + " bytes (RFC 7518 §3.4)");
        }
        BigInteger order = ec.getParams().getOrder();
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, n));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, n, 2 * n));
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(order) >= 0
                || s.compareTo(order) >= 0) {
            throw AcmeProblem.malformed("JWS ECDSA signature has r or s outside [1, n-1]");
        }
    }

    /** RFC 8555 §6.5: a nonce this server issued, unexpired, never used. */
    void nonceIsFreshAndUnused(JsonNode header) {
        JsonNode nonce = header.get("nonce");
        if (nonce == null || !nonce.isTextual() || nonce.asText().isEmpty()) {
            throw AcmeProblem.of(ProblemType.BAD_NONCE, "JWS protected header has no \"nonce\"");
        }
        nonces.redeem(nonce.asText());
    }

    /** RFC 8555 §6.4: the signed url equals the URL the request was sent to. */
    void urlMatchesRequest(JsonNode header, String requestUrl) {
        JsonNode url = header.get("url");
        if (url == null || !url.isTextual()) {
            throw AcmeProblem.malformed("JWS protected header has no \"url\" (RFC 8555 §6.4)");
        }
        if (!url.asText().equals(requestUrl)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "JWS url \"" + Texts.clip(url.asText())
                    + "\" does not match the request URL " + requestUrl + " (RFC 8555 §6.4)");
        }
    }

    /** RFC 8555 §6.3: an empty payload for POST-as-GET, else a strict JSON object. */
    JsonNode payloadIsStrictJson(Parts parts) {
        if (parts.payloadText().isEmpty()) {
            return null;
        }
        return StrictJson.parseObject(parts.payloadBytes(), "JWS payload");
    }

    /**
     * An account's stored key, parsed once. Keyed by the JWK text, so a key change or a
     * deactivation (read with every request) is never answered from a stale entry.
     */
    private ParsedKey storedKey(String jwkJson) {
        ParsedKey key = parsed.get(jwkJson);
        if (key == null) {
            key = ParsedKey.of(parseJwk(jwkJson, "stored account key"));
            if (parsed.size() >= PARSED_KEYS) {
                parsed.clear();
            }
            parsed.put(jwkJson, key);
        }
        return key;
    }

    private static PublicJsonWebKey parseJwk(Object jwk, String what) {
        try {
            String json = jwk instanceof JsonNode node
                    ? StrictJson.mapper().writeValueAsString(node) : (String) jwk;
            if (jwk instanceof JsonNode node && (!node.isObject() || node.has("d"))) {
                throw AcmeProblem.malformed(what + " must be a public JWK object without private"
                        + " key members");
            }
            JsonWebKey parsed = JsonWebKey.Factory.newJwk(json);
            if (!(parsed instanceof PublicJsonWebKey pub) || pub.getPublicKey() == null) {
                throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, what
                        + " is not an asymmetric public key");
            }
            return pub;
        } catch (JoseException | com.fasterxml.jackson.core.JsonProcessingException
                | IllegalArgumentException | ClassCastException e) {
            throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, what + " is not a usable JWK: "
                    + Texts.clip(String.valueOf(e.getMessage())));
        }
    }

    private static String textMember(JsonNode jws, String name) {
        JsonNode v = jws.get(name);
        if (v == null || !v.isTextual()) {
            throw AcmeProblem.malformed("JWS member \"" + name + "\" is missing or not a string");
        }
        return v.asText();
    }

    /** The three members of a flattened JWS, as sent and decoded. */
    record Parts(String protectedText, byte[] protectedBytes, String payloadText,
            byte[] payloadBytes, byte[] signatureBytes, String signatureText) {
    }

    /**
     * A parsed key, with its ECDSA verifier when it is an EC key: kept with a stored account
     * key, the verifier keeps the point's multiplication table from request to request.
     */
    record ParsedKey(PublicJsonWebKey jwk, Optional<Ecdsa.Verifier> ecdsa) {
        static ParsedKey of(PublicJsonWebKey jwk) {
            return new ParsedKey(jwk, jwk.getPublicKey() instanceof ECPublicKey ec
                    ? Ecdsa.verifier(ec) : Optional.empty());
        }
    }

    /** Which key reference the header used. */
    enum KeyReference { JWK, KID }

}
