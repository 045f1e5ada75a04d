package io.certapi.web;

import static io.certapi.testing.TestAcme.postKid;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * http-01 against a real HTTP server and a real DNS server: every way a validation fails gives
 * the precise problem a person needs, and a transcript naming the resolver, the addresses and
 * what came back.
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class Http01ValidationTest {

    /** A pending http-01 challenge of a fresh order. */
    record Pending(Account account, String name, String authz, String url, String token) {
    }

    static Pending pending(String name) {
        Account a = TestAcme.newAccount();
        String authz = Orders.create(a, name).jsonPath().getString("authorizations[0]");
        JsonPath ch = Orders.http01(a, authz);
        return new Pending(a, name, authz, ch.getString("url"), ch.getString("token"));
    }

    static JsonPath triggerAndAwait(Pending p, String status) {
        // One round trip: a quick success answers valid at once; a failure is retried
        // (certapi.validation.attempts=2 here), so its first answer is processing.
        postKid(p.account(), p.url(), "{}").then().statusCode(200)
                .body("status", equalTo("valid".equals(status) ? "valid" : "processing"));
        Orders.awaitStatus(p.account(), p.authz(), status);
        return new JsonPath(TestAcme.postAsGet(p.account(), p.url()).asString());
    }

    private static String challengeUrl(Pending p) {
        return "http://" + p.name() + ":" + ValidationPeers.httpPort()
                + "/.well-known/acme-challenge/" + p.token();
    }

    @Test
    void validResponseMakesChallengeAndAuthorizationValid() {
        Pending p = pending("ok.http01.test");
        ValidationPeers.serve(p.token(), Orders.keyAuthorization(p.account(), p.token()) + "\n");
        JsonPath ch = triggerAndAwait(p, "valid");
        assertEquals("valid", ch.getString("status"));
        assertEquals(challengeUrl(p), ch.getString("validationRecord[0].url"));
        assertEquals("127.0.0.1", ch.getString("validationRecord[0].addressUsed"));
        assertEquals("127.0.0.1:" + ValidationPeers.dnsPort(),
                ch.getString("validationRecord[0].resolver"));
        assertEquals(200, ch.getInt("validationRecord[0].status"));
        assertThat(ch.getString("validated"), containsString("T"));
    }

    @Test
    void notFoundIsIncorrectResponseNamingUrlAddressAndBody() {
        Pending p = pending("missing.http01.test");
        JsonPath ch = triggerAndAwait(p, "invalid");
        assertEquals("urn:ietf:params:acme:error:incorrectResponse", ch.getString("error.type"));
        String detail = ch.getString("error.detail");
        assertThat(detail, containsString(challengeUrl(p)));
        assertThat(detail, containsString("address 127.0.0.1"));
        assertThat(detail, containsString("HTTP 404"));
        assertThat(detail, containsString("no such token"));
        assertEquals(404, ch.getInt("validationRecord[0].status"));
        assertEquals("no such token", ch.getString("validationRecord[0].bodyExcerpt"));
    }

    @Test
    void wrongKeyAuthorizationSaysWhatWasExpectedAndWhatCame() {
        Pending p = pending("wrong.http01.test");
        ValidationPeers.serve(p.token(), "something else");
        JsonPath ch = triggerAndAwait(p, "invalid");
        assertEquals("urn:ietf:params:acme:error:incorrectResponse", ch.getString("error.type"));
        assertThat(ch.getString("error.detail"), containsString("expected \""
                + Orders.keyAuthorization(p.account(), p.token()) + "\", got \"something else\""));
    }

    @Test
    void nothingListeningIsAConnectionProblem() {
        Pending p = pending("refused.http01.test");
        ValidationPeers.addA(p.name(), "127.0.0.2");
        JsonPath ch = triggerAndAwait(p, "invalid");
        assertEquals("urn:ietf:params:acme:error:connection", ch.getString("error.type"));
        assertThat(ch.getString("error.detail"), containsString("connection refused by"
                + " 127.0.0.2:" + ValidationPeers.httpPort()));
        assertEquals("127.0.0.2", ch.getString("validationRecord[0].addressUsed"));
    }

    @Test
    void dnsFailureIsADnsProblem() {
        Pending p = pending("servfail.http01.test");
        ValidationPeers.servfail(p.name());
        JsonPath ch = triggerAndAwait(p, "invalid");
        assertEquals("urn:ietf:params:acme:error:dns", ch.getString("error.type"));
        assertThat(ch.getString("error.detail"), containsString("servfail.http01.test"));
        assertThat(ch.getString("error.detail"), containsString("127.0.0.1:"
                + ValidationPeers.dnsPort()));
    }

    @Test
    void redirectIsFollowedAndRecorded() {
        Pending p = pending("redirect.http01.test");
        String target = "/.well-known/acme-challenge/moved-" + p.token();
        ValidationPeers.serve(p.token(), new ValidationPeers.Response(302, "", target));
        ValidationPeers.serve("moved-" + p.token(),
                Orders.keyAuthorization(p.account(), p.token()));
        JsonPath ch = triggerAndAwait(p, "valid");
        List<String> urls = new ArrayList<>(ch.getList("validationRecord.url", String.class));
        assertEquals(List.of(challengeUrl(p), "http://" + p.name() + ":"
                + ValidationPeers.httpPort() + target), urls);
        assertEquals(302, ch.getInt("validationRecord[0].status"));
    }

    @Test
    void redirectLoopIsRefused() {
        Pending p = pending("loop.http01.test");
        ValidationPeers.serve(p.token(), new ValidationPeers.Response(301, "",
                "/.well-known/acme-challenge/" + p.token()));
        JsonPath ch = triggerAndAwait(p, "invalid");
        assertEquals("urn:ietf:params:acme:error:connection", ch.getString("error.type"));
        assertThat(ch.getString("error.detail"), containsString("redirect loop"));
        assertEquals(301, ch.getInt("validationRecord[0].status"));
    }

    @Test
    void redirectToAnotherPortIsRefused() {
        Pending p = pending("port.http01.test");
        ValidationPeers.serve(p.token(), new ValidationPeers.Response(302, "",
                "http://port.http01.test:1/x"));
        JsonPath ch = triggerAndAwait(p, "invalid");
        assertEquals("urn:ietf:params:acme:error:connection", ch.getString("error.type"));
        assertThat(ch.getString("error.detail"), containsString("only port "
                + ValidationPeers.httpPort() + " for http"));
    }

    @Test
    void redirectToAnotherSchemeIsRefused() {
        Pending p = pending("scheme.http01.test");
        ValidationPeers.serve(p.token(), new ValidationPeers.Response(302, "",
                "ftp://scheme.http01.test/x"));
        JsonPath ch = triggerAndAwait(p, "invalid");
        assertThat(ch.getString("error.detail"), containsString("only http and https"));
    }

    @Test
    void silentServerTimesOut() throws Exception {
        Pending p = pending("silent.http01.test");
        ValidationPeers.addA(p.name(), "127.0.0.3");
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"),
                    ValidationPeers.httpPort()));
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // The test is over.
                }
            });
            acceptor.start();
            JsonPath ch = triggerAndAwait(p, "invalid");
            assertEquals("urn:ietf:params:acme:error:connection", ch.getString("error.type"));
            assertThat(ch.getString("error.detail"), containsString("timed out"));
            assertThat(ch.getString("validationRecord[0].note"), containsString("timed out"));
            assertEquals("127.0.0.3", ch.getString("validationRecord[0].addressUsed"));
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void secondTriggerDoesNotRevalidate() {
        Pending p = pending("twice.http01.test");
        ValidationPeers.serve(p.token(), Orders.keyAuthorization(p.account(), p.token()));
        triggerAndAwait(p, "valid");
        List<String> links = postKid(p.account(), p.url(), "{}").then().statusCode(200)
                .body("status", equalTo("valid")).extract().headers().getValues("Link");
        assertThat(links, org.hamcrest.Matchers.hasItem("<" + p.authz() + ">;rel=\"up\""));
    }
}
