package io.certapi.web;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * What the generated OpenAPI document cannot know from the resource methods, which take raw
 * bytes: ACME requests are flattened JWS ({@code application/jose+json}), newAccount and
 * newOrder answer 201, every error is an RFC 7807 problem document, CRLs and certificates are
 * DER or PEM, and the admin API takes a bearer token, so that Swagger UI's Authorize button
 * works. Registered through mp.openapi.filter.
 */
public class ApiDocsFilter implements OASFilter {

    private static final String ADMIN_TOKEN = "adminToken";
    private static final Map<String, String> CREATED = Map.of(
            "/acme/new-account", "the account (201 when created, 200 when it existed)",
            "/acme/new-order", "the order");
    private static final Map<String, String> BINARY = Map.of(
            "/crl/{issuer}", "application/pkix-crl",
            "/issuers/{id}", "application/pkix-cert",
            "/roots/0", "application/pem-certificate-chain",
            "/intermediates/0", "application/pem-certificate-chain",
            "/acme/cert/{id}", "application/pem-certificate-chain",
            "/ocsp", "application/ocsp-response");

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        api.getComponents().addSecurityScheme(ADMIN_TOKEN, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("The admin token: certapi.admin.token, or <data-dir>/admin.token"));
        api.getComponents().addSchema("Problem", OASFactory.createSchema()
                .type(java.util.List.of(Schema.SchemaType.OBJECT))
                .description("An RFC 7807 problem document with an ACME error type")
                .addProperty("type", OASFactory.createSchema().type(
                        java.util.List.of(Schema.SchemaType.STRING))
                        .example("urn:ietf:params:acme:error:malformed"))
                .addProperty("detail", OASFactory.createSchema().type(
                        java.util.List.of(Schema.SchemaType.STRING)))
                .addProperty("status", OASFactory.createSchema().type(
                        java.util.List.of(Schema.SchemaType.INTEGER)))
                .addProperty("subproblems", OASFactory.createSchema().type(
                        java.util.List.of(Schema.SchemaType.ARRAY))));
        api.getComponents().addSchema("FlattenedJws", OASFactory.createSchema()
                .type(java.util.List.of(Schema.SchemaType.OBJECT))
                .description("A flattened JWS (RFC 7515 §7.2.2, RFC 8555 §6.2)")
                .addProperty("protected", OASFactory.createSchema().type(
                        java.util.List.of(Schema.SchemaType.STRING)))
                .addProperty("payload", OASFactory.createSchema().type(
                        java.util.List.of(Schema.SchemaType.STRING)))
                .addProperty("signature", OASFactory.createSchema().type(
                        java.util.List.of(Schema.SchemaType.STRING))));
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().getPathItems().forEach((path, item) -> describe(path, item));
    }

    private void describe(String path, PathItem item) {
        item.getOperations().forEach((method, op) -> {
            APIResponses responses = op.getResponses() == null ? OASFactory.createAPIResponses()
                    : op.getResponses();
            op.setResponses(responses);
            if (path.startsWith("/admin")) {
                op.addSecurityRequirement(OASFactory.createSecurityRequirement()
                        .addScheme(ADMIN_TOKEN));
                responses.addAPIResponse("401", problem("no admin token, or a wrong one"));
            }
            if (path.startsWith("/acme/") && method == PathItem.HttpMethod.POST) {
                op.setRequestBody(OASFactory.createRequestBody().required(true)
                        .description("A flattened JWS; an empty payload for POST-as-GET")
                        .content(OASFactory.createContent().addMediaType("application/jose+json",
                                OASFactory.createMediaType().schema(OASFactory.createSchema()
                                        .ref("FlattenedJws")))));
                responses.addAPIResponse("400", problem("a malformed request, a bad nonce"
                        + " (with a fresh Replay-Nonce), or another ACME error"));
                responses.addAPIResponse("403", problem("unauthorized, or not ready"));
            }
            if (CREATED.containsKey(path)) {
                APIResponse ok = responses.getAPIResponse("200");
                responses.addAPIResponse("201", OASFactory.createAPIResponse()
                        .description(CREATED.get(path) + ", created; Location names it")
                        .content(ok == null ? null : ok.getContent()));
            }
            if (BINARY.containsKey(path)) {
                responses.addAPIResponse("200", OASFactory.createAPIResponse()
                        .description("the document").content(OASFactory.createContent()
                                .addMediaType(BINARY.get(path), OASFactory.createMediaType()
                                        .schema(OASFactory.createSchema().type(
                                                java.util.List.of(Schema.SchemaType.STRING))
                                                .format("binary")))));
            }
            if (!"/acme/directory".equals(path)) {
                responses.addAPIResponse("default", problem("an error"));
            }
        });
    }

    private static APIResponse problem(String description) {
        Content content = OASFactory.createContent().addMediaType("application/problem+json",
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")));
        return OASFactory.createAPIResponse().description(description).content(content);
    }
}
