package io.certapi.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.certapi.core.AcmeProblem;
import io.certapi.core.Base64Url;
import io.certapi.jws.JwsGate;
import io.certapi.jws.JwsInput;
import io.certapi.jws.KeyMode;
import io.certapi.jws.StrictJson;
import io.certapi.jws.VerifiedRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

/** What every POST resource does first: hand the request to the JWS gate. */
@ApplicationScoped
public class AcmeRequests {

    private final JwsGate gate;
    private final LinksFactory links;

    /** Creates the helper. */
    public AcmeRequests(JwsGate gate, LinksFactory links) {
        this.gate = gate;
        this.links = links;
    }

    /** Verifies the request; throws the first failed check's problem. */
    public VerifiedRequest verify(byte[] body, HttpHeaders headers, UriInfo uri, KeyMode mode) {
        return gate.verify(new JwsInput(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body,
                links.requestUrl(uri), links.of(uri).accountPrefix()), mode);
    }

    /** The gate, for the inner JWS of a key change. */
    public JwsGate gate() {
        return gate;
    }

    /** The payload mapped onto {@code type}; an empty payload is an error here. */
    public static <T> T payload(VerifiedRequest r, Class<T> type, String what) {
        JsonNode p = r.payload();
        if (p == null) {
            throw AcmeProblem.malformed(what + " needs a JSON payload; an empty payload is only"
                    + " for POST-as-GET");
        }
        return StrictJson.convert(p, type, what + " payload");
    }

    /** RFC 8555 §6.3: resources that are only fetched take an empty payload. */
    public static void requirePostAsGet(VerifiedRequest r, String what) {
        if (!r.isPostAsGet()) {
            throw AcmeProblem.malformed(what + " is fetched with POST-as-GET: the payload must"
                    + " be empty (RFC 8555 §6.3)");
        }
    }

    /** The signing account's id (only for {@link KeyMode#KID} requests). */
    public static String account(VerifiedRequest r) {
        return r.accountId().orElseThrow();
    }

    /** A required base64url field, decoded strictly. */
    public static byte[] base64Field(String value, String field) {
        if (value == null) {
            throw AcmeProblem.malformed("\"" + field + "\" is missing");
        }
        return Base64Url.decode(value).orElseThrow(() -> AcmeProblem.malformed("\"" + field
                + "\" is not base64url without padding (RFC 8555 §6.1)"));
    }
}
