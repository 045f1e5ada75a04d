package io.certapi.testing;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Order helpers for HTTP-contract tests: orders, authorizations made valid, CSRs. */
public final class Orders {

    private Orders() {
    }

    /** An order of {@code a} for {@code names}; returns the response (201 expected). */
    public static Response create(TestAcme.Account a, String... names) {
        StringBuilder ids = new StringBuilder();
        for (String n : names) {
            ids.append(ids.length() == 0 ? "" : ",")
                    .append("{\"type\":\"dns\",\"value\":\"").append(n).append("\"}");
        }
        return postKid(a, "/acme/new-order", "{\"identifiers\":[" + ids + "]}");
    }

    /** Creates an order and validates all its authorizations over http-01; returns the order URL. */
    public static String ready(TestAcme.Account a, String... names) {
        Response r = create(a, names);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("newOrder failed: " + r.asString());
        }
        String orderUrl = r.header("Location");
        for (String authz : r.jsonPath().getList("authorizations", String.class)) {
            JsonPath ch = http01(a, authz);
            ValidationPeers.serve(ch.getString("token"), keyAuthorization(a, ch.getString("token")));
            postKid(a, ch.getString("url"), "{}");
            awaitStatus(a, authz, "valid");
        }
        return orderUrl;
    }

    /** The http-01 challenge of an authorization. */
    public static JsonPath http01(TestAcme.Account a, String authzUrl) {
        JsonPath authz = postAsGet(a, authzUrl).jsonPath();
        List<java.util.Map<String, Object>> challenges = authz.getList("challenges");
        for (int i = 0; i < challenges.size(); i++) {
            if ("http-01".equals(challenges.get(i).get("type"))) {
                return new JsonPath(postAsGet(a, authz.getString("challenges[" + i + "].url"))
                        .asString());
            }
        }
        throw new IllegalStateException("no http-01 challenge in " + authzUrl);
    }

    /** token.thumbprint (RFC 8555 §8.1). */
    public static String keyAuthorization(TestAcme.Account a, String token) {
        return token + "." + a.key.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    /** Polls {@code url} until its status is {@code status}; returns the last body. */
    public static JsonPath awaitStatus(TestAcme.Account a, String url, String status) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath last = null;
        while (System.nanoTime() < end) {
            last = postAsGet(a, url).jsonPath();
            if (status.equals(last.getString("status"))) {
                return last;
            }
            if (!"pending".equals(last.getString("status"))
                    && !"processing".equals(last.getString("status"))) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError(url + " did not become " + status + ": "
                + (last == null ? "nothing" : last.prettify()));
    }

    /** A fresh P-256 key pair. */
    public static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DER CSR for {@code names} (SANs; CN = the first), signed by {@code key}. */
    public static byte[] csr(KeyPair key, String... names) {
        return csrWith(key, "SHA256withECDSA", names.length == 0 ? null : names[0], names);
    }

    /** A DER CSR with an explicit signature algorithm and CN (null for none). */
    public static byte[] csrWith(KeyPair key, String sigAlg, String cn, String... names) {
        try {
            X500Name subject = new X500Name(cn == null ? "O=test" : "CN=" + cn);
            var b = new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic());
            if (names.length > 0) {
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                        withSans(names).generate());
            }
            return b.build(new JcaContentSignerBuilder(sigAlg).build(key.getPrivate()))
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A DER CSR for {@code names} asking for the TLS Feature extension (RFC 7633) with
     * {@code features} (5 is status_request: must-staple).
     */
    public static byte[] csrWithTlsFeatures(KeyPair key, int[] features, String... names) {
        try {
            var b = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + names[0]),
                    key.getPublic());
            ExtensionsGenerator ext = withSans(names);
            org.bouncycastle.asn1.ASN1EncodableVector v =
                    new org.bouncycastle.asn1.ASN1EncodableVector();
            for (int f : features) {
                v.add(new org.bouncycastle.asn1.ASN1Integer(f));
            }
            ext.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24"),
                    false, new org.bouncycastle.asn1.DERSequence(v));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            return b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(key.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Requested extensions holding a SAN of {@code names}. */
    private static ExtensionsGenerator withSans(String... names) throws java.io.IOException {
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            sans.add(new GeneralName(GeneralName.dNSName, n));
        }
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(sans.toArray(new GeneralName[0])));
        return ext;
    }

    /** A finalize payload for a DER CSR. */
    public static String finalizePayload(byte[] csr) {
        return "{\"csr\":\"" + TestAcme.b64(csr) + "\"}";
    }
}
