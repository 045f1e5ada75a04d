package io.certapi.web;

import io.certapi.ca.CertificateAuthority;
import io.certapi.core.AcmeProblem;
import io.certapi.flow.AccountFlow;
import io.certapi.flow.AdminAccess;
import io.certapi.flow.AdminQueries;
import io.certapi.flow.Backup;
import io.certapi.flow.CaLifecycle;
import io.certapi.flow.EabFlow;
import io.certapi.flow.RateLimits;
import io.certapi.flow.RenewalFlow;
import io.certapi.flow.RevocationFlow;
import io.certapi.jws.StrictJson;
import io.certapi.web.json.AdminJson;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's API: EAB keys, the CA's certificates and rotations, "renew now", and an
 * account's own rate limits. Every
 * call needs {@code Authorization: Bearer <admin token>} ({@link AdminAccess}); ACME clients
 * have no way in. Errors are problem documents like everywhere else.
 */
@Tag(name = "Admin", description = "Operator API; needs Authorization: Bearer <admin token>")
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class AdminResource {

    private final AdminAccess access;
    private final EabFlow eab;
    private final CaLifecycle lifecycle;
    private final CertificateAuthority ca;
    private final RenewalFlow renewals;
    private final LinksFactory links;
    private final RateLimits limits;
    private final AccountFlow accounts;
    private final AdminQueries queries;
    private final RevocationFlow revocations;
    private final Backup backup;

    /** Creates the resource. */
    public AdminResource(AdminAccess access, EabFlow eab, CaLifecycle lifecycle,
            CertificateAuthority ca, RenewalFlow renewals, LinksFactory links,
            RateLimits limits, AccountFlow accounts, AdminQueries queries,
            RevocationFlow revocations, Backup backup) {
        this.backup = backup;
        this.queries = queries;
        this.revocations = revocations;
        this.limits = limits;
        this.accounts = accounts;
        this.access = access;
        this.eab = eab;
        this.lifecycle = lifecycle;
        this.ca = ca;
        this.renewals = renewals;
        this.links = links;
    }

    /** Creates an EAB key; the answer is the only one that shows its HMAC key. */
    @Operation(summary = "Create an EAB key (RFC 8555 §7.3.4); body {\"label\": ...} optional")
    @POST
    @Path("/eab-keys")
    public Response createEabKey(byte[] body, @Context HttpHeaders headers,
            @Context UriInfo uri) {
        authorize(headers);
        Optional<String> label = Optional.empty();
        if (body != null && body.length > 0) {
            label = Optional.ofNullable(StrictJson.convert(StrictJson.parseObject(body,
                    "request body"), AdminJson.NewEabKey.class, "EAB key").label());
        }
        return Response.status(201).entity(eabKey(eab.create(label), links.of(uri))).build();
    }

    /** Every EAB key, newest first. */
    @Operation(summary = "List the EAB keys, newest first (without their HMAC keys)")
    @GET
    @Path("/eab-keys")
    public List<AdminJson.EabKey> eabKeys(@Context HttpHeaders headers, @Context UriInfo uri) {
        authorize(headers);
        Links l = links.of(uri);
        return eab.list().stream().map(k -> eabKey(k, l)).toList();
    }

    /** Disables an EAB key. */
    @Operation(summary = "Disable an EAB key: no new account can bind with it")
    @POST
    @Path("/eab-keys/{keyId}/disable")
    public AdminJson.EabKey disableEabKey(@PathParam("keyId") String keyId,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        authorize(headers);
        return eabKey(eab.disable(keyId), links.of(uri));
    }

    /** The CA certificates and the next rotations. */
    @Operation(summary = "The CA certificates, newest first, and when the next rotations are due")
    @GET
    @Path("/ca")
    public AdminJson.Ca caState(@Context HttpHeaders headers) {
        authorize(headers);
        return caJson(ca.hierarchy());
    }

    /** Rotates the intermediate, or the root with ?which=root, now. */
    @Operation(summary = "Rotate the intermediate now (which=intermediate, the default) or the"
            + " root, cross-signed by the old one (which=root)")
    @POST
    @Path("/ca/rotate")
    public AdminJson.Ca rotate(@QueryParam("which") String which,
            @Context HttpHeaders headers) {
        authorize(headers);
        String w = which == null ? "intermediate" : which;
        return switch (w) {
            case "intermediate" -> caJson(lifecycle.rotateIntermediate("asked through the admin API"));
            case "root" -> caJson(lifecycle.rotateRoot("asked through the admin API"));
            default -> throw AcmeProblem.malformed("which must be intermediate or root, not \""
                    + io.certapi.core.Texts.clip(w) + "\"");
        };
    }

    /** Asks the holders of one certificate, or of every certificate of an issuer, to renew. */
    @Operation(summary = "Renew now: ARI then shows a window in the past (RFC 9773); body"
            + " {\"certificate\": <ARI id or certificate id>} or {\"issuer\": <issuer id>}")
    @POST
    @Path("/renew-now")
    public AdminJson.Marked renewNow(byte[] body, @Context HttpHeaders headers) {
        authorize(headers);
        if (body == null || body.length == 0) {
            throw AcmeProblem.malformed("renew-now needs {\"certificate\": ...} or"
                    + " {\"issuer\": ...}");
        }
        AdminJson.RenewNow r = StrictJson.convert(StrictJson.parseObject(body, "request body"),
                AdminJson.RenewNow.class, "renew-now");
        if ((r.certificate() == null) == (r.issuer() == null)) {
            throw AcmeProblem.malformed("renew-now needs exactly one of certificate and issuer");
        }
        return new AdminJson.Marked(r.certificate() != null
                ? renewals.renewNowCertificate(r.certificate())
                : renewals.renewNowIssuer(r.issuer()));
    }

    /** Accounts, newest first, filtered and paged. */
    @Operation(summary = "Search accounts: by contact (substring), status, key thumbprint;"
            + " newest first, paged")
    @GET
    @Path("/accounts")
    public AdminQueries.Page<AdminQueries.AccountRow> accounts(
            @QueryParam("contact") String contact, @QueryParam("status") String status,
            @QueryParam("thumbprint") String thumbprint, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size, @Context HttpHeaders headers) {
        authorize(headers);
        return queries.accounts(opt(contact), opt(status), opt(thumbprint), page(page),
                size(size));
    }

    /** One account with its latest orders. */
    @Operation(summary = "One account with its latest orders")
    @GET
    @Path("/accounts/{id}")
    public AdminQueries.AccountDetail account(@PathParam("id") String id,
            @Context HttpHeaders headers) {
        authorize(headers);
        return queries.account(id);
    }

    /** Deactivates an account (RFC 8555 §7.3.6), as the operator. */
    @Operation(summary = "Deactivate an account: it can no longer be used")
    @POST
    @Path("/accounts/{id}/deactivate")
    public AdminQueries.AccountDetail deactivate(@PathParam("id") String id,
            @Context HttpHeaders headers) {
        authorize(headers);
        queries.account(id);
        accounts.update(id, Optional.empty(), Optional.of("deactivated"));
        return queries.account(id);
    }

    /** Orders, newest first, filtered and paged. */
    @Operation(summary = "Search orders: by status, identifier (substring), account, creation"
            + " time (since, until: RFC 3339); newest first, paged")
    @GET
    @Path("/orders")
    public AdminQueries.Page<AdminQueries.OrderRow> orders(@QueryParam("status") String status,
            @QueryParam("identifier") String identifier, @QueryParam("account") String account,
            @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size,
            @Context HttpHeaders headers) {
        authorize(headers);
        return queries.orders(opt(status), opt(identifier), opt(account), time(since, "since"),
                time(until, "until"), page(page), size(size));
    }

    /** One order with its authorizations, challenges and validation transcripts. */
    @Operation(summary = "One order with its authorizations, challenges and validation"
            + " transcripts")
    @GET
    @Path("/orders/{id}")
    public AdminQueries.OrderDetail order(@PathParam("id") String id,
            @Context HttpHeaders headers) {
        authorize(headers);
        return queries.order(id);
    }

    /** Certificates, newest first, filtered and paged. */
    @Operation(summary = "Search certificates: by name (substring), serial (hex), account,"
            + " expiry window (expiresAfter, expiresBefore: RFC 3339), revoked; newest first,"
            + " paged")
    @GET
    @Path("/certificates")
    public AdminQueries.Page<AdminQueries.CertificateRow> certificates(
            @QueryParam("name") String name, @QueryParam("serial") String serial,
            @QueryParam("account") String account,
            @QueryParam("expiresAfter") String expiresAfter,
            @QueryParam("expiresBefore") String expiresBefore,
            @QueryParam("revoked") Boolean revoked, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size, @Context HttpHeaders headers) {
        authorize(headers);
        return queries.certificates(opt(name), opt(serial), opt(account),
                time(expiresAfter, "expiresAfter"), time(expiresBefore, "expiresBefore"),
                Optional.ofNullable(revoked), page(page), size(size));
    }

    /** One certificate. */
    @Operation(summary = "One certificate")
    @GET
    @Path("/certificates/{id}")
    public AdminQueries.CertificateRow certificate(@PathParam("id") String id,
            @Context HttpHeaders headers) {
        authorize(headers);
        return queries.certificate(id);
    }

    /** One certificate's chain, PEM. */
    @Operation(summary = "Download a certificate's chain, PEM")
    @GET
    @Path("/certificates/{id}/pem")
    @Produces("application/pem-certificate-chain")
    public Response certificatePem(@PathParam("id") String id, @Context HttpHeaders headers) {
        authorize(headers);
        return Response.ok(queries.certificatePem(id), "application/pem-certificate-chain")
                .header("Content-Disposition", "attachment; filename=\"" + id + ".pem\"")
                .build();
    }

    /** Revokes a certificate with an RFC 5280 reason; CRL and OCSP say so at once. */
    @Operation(summary = "Revoke a certificate; body {\"reason\": <RFC 5280 code, 0-10 but 7>}"
            + " (default 0); its CRL and OCSP answers say so at once")
    @POST
    @Path("/certificates/{id}/revoke")
    public AdminQueries.CertificateRow revoke(@PathParam("id") String id, byte[] body,
            @Context HttpHeaders headers, @Context io.vertx.core.http.HttpServerRequest http) {
        authorize(headers);
        int reason = 0;
        if (body != null && body.length > 0) {
            AdminJson.Revoke r = StrictJson.convert(StrictJson.parseObject(body,
                    "request body"), AdminJson.Revoke.class, "revocation");
            reason = r.reason() == null ? 0 : r.reason();
        }
        revocations.revokeAsOperator(id, reason, http.remoteAddress().hostAddress());
        return queries.certificate(id);
    }

    /** Writes an online backup (H2) under the data directory. */
    @Operation(summary = "Back up now (H2): a consistent copy of the database and the root,"
            + " in <data-dir>/backups; on PostgreSQL, 501 with what to do instead")
    @POST
    @Path("/backup")
    public Response backup(@Context HttpHeaders headers) {
        authorize(headers);
        return Response.status(201).entity(backup.now()).build();
    }

    /** What is happening now, for the dashboard's first page. */
    @Operation(summary = "Overview: certificates issued per hour (last 24 h), orders by status,"
            + " validations failing now and why, the CA hierarchy and next rotations")
    @GET
    @Path("/overview")
    public AdminQueries.Overview overview(@Context HttpHeaders headers) {
        authorize(headers);
        return queries.overview();
    }

    private static Optional<String> opt(String s) {
        return Optional.ofNullable(s).filter(v -> !v.isBlank());
    }

    private static int page(Integer page) {
        return page == null || page < 0 ? 0 : page;
    }

    private static int size(Integer size) {
        return size == null ? 50 : size;
    }

    private static Optional<java.time.Instant> time(String value, String name) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.Instant.parse(value));
        } catch (java.time.format.DateTimeParseException e) {
            throw AcmeProblem.malformed(name + " is not an RFC 3339 time such as"
                    + " 2026-01-01T00:00:00Z");
        }
    }

    /** The rate limits as they apply to one account. */
    @Operation(summary = "The rate limits as they apply to an account: its own values and the"
            + " configured ones")
    @GET
    @Path("/accounts/{id}/rate-limits")
    public List<AdminJson.RateLimit> rateLimits(@PathParam("id") String id,
            @Context HttpHeaders headers) {
        authorize(headers);
        accounts.get(id);
        return rateLimitsOf(id);
    }

    /** Gives an account its own value of a per-account rate limit. */
    @Operation(summary = "Give an account its own value of a per-account rate limit; body"
            + " {\"rate\": \"<count>/<period>\" | \"off\"}")
    @PUT
    @Path("/accounts/{id}/rate-limits/{name}")
    public List<AdminJson.RateLimit> overrideRateLimit(@PathParam("id") String id,
            @PathParam("name") String name, byte[] body, @Context HttpHeaders headers) {
        authorize(headers);
        accounts.get(id);
        if (body == null || body.length == 0) {
            throw AcmeProblem.malformed("the override needs {\"rate\": \"<count>/<period>\"}");
        }
        AdminJson.RateOverride o = StrictJson.convert(StrictJson.parseObject(body,
                "request body"), AdminJson.RateOverride.class, "rate override");
        if (o.rate() == null) {
            throw AcmeProblem.malformed("the override needs {\"rate\": \"<count>/<period>\"}");
        }
        limits.override(id, name, o.rate());
        return rateLimitsOf(id);
    }

    /** Removes an account's own value of a rate limit. */
    @Operation(summary = "Remove an account's own value of a rate limit: the configured one"
            + " applies again")
    @DELETE
    @Path("/accounts/{id}/rate-limits/{name}")
    public List<AdminJson.RateLimit> clearRateLimit(@PathParam("id") String id,
            @PathParam("name") String name, @Context HttpHeaders headers) {
        authorize(headers);
        accounts.get(id);
        limits.clearOverride(id, name);
        return rateLimitsOf(id);
    }

    private List<AdminJson.RateLimit> rateLimitsOf(String id) {
        return limits.forAccount(id).entrySet().stream().map(e -> new AdminJson.RateLimit(
                e.getKey().wire(), e.getValue().rate().text(), e.getValue().overridden(),
                e.getKey().perAccount())).toList();
    }

    private void authorize(HttpHeaders headers) {
        access.check(Optional.ofNullable(headers.getHeaderString(HttpHeaders.AUTHORIZATION)));
    }

    private static AdminJson.EabKey eabKey(EabFlow.EabKeyView k, Links l) {
        return new AdminJson.EabKey(k.keyId(), k.hmacKey().orElse(null), k.label().orElse(null),
                k.status(), k.accountId().map(l::account).orElse(null), Render.time(k.createdAt()),
                k.disabledAt().map(Render::time).orElse(null));
    }

    private AdminJson.Ca caJson(List<CertificateAuthority.CaCertificate> certs) {
        return new AdminJson.Ca(certs.stream().map(c -> CaResource.json(c, ca)).toList(),
                Render.time(ca.intermediateRenewalAt()), Render.time(ca.rootRenewalAt()));
    }
}
