package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUnauthorizedException;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * End to end with acme4j, the best-known Java ACME client, against the running server on the
 * embedded H2 database: every RFC 8555 resource a client uses, with http-01 validated for real.
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class Acme4jFlowTest {

    private static final Path DATA = Path.of("target/test-data");
    private Session session;

    @BeforeEach
    void session() {
        session = AcmeFlows.session();
    }

    @Test
    void issuesACertificateForSeveralNamesThatChainsToTheRoot() throws Exception {
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        KeyPair domainKey = AcmeFlows.domainKey();
        Certificate cert = AcmeFlows.issue(account, domainKey, "www.flow.test", "flow.test");
        X509Certificate leaf = cert.getCertificate();
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        List<Object> names = new ArrayList<>();
        sans.forEach(s -> names.add(s.get(1)));
        assertEquals(List.of("www.flow.test", "flow.test"), names);
        assertEquals(domainKey.getPublic(), leaf.getPublicKey());
        Duration lifetime = Duration.between(leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant());
        assertEquals(Duration.ofMinutes(10), lifetime, "the default lifetime is 10 minutes");
        assertTrue(leaf.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
        AcmeFlows.assertChainsToRoot(cert, DATA);
    }

    @Test
    void issuesForAnIpAddressOverHttp01() throws Exception {
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Order order = account.newOrder().identifier(org.shredzone.acme4j.Identifier.ip(
                java.net.InetAddress.getByName("127.0.0.1"))).create();
        AcmeFlows.validateHttp01(order);
        order.execute(AcmeFlows.domainKey());
        assertEquals(Status.VALID, order.waitForCompletion(AcmeFlows.WAIT));
        Certificate cert = order.getCertificate();
        cert.download();
        List<?> san = cert.getCertificate().getSubjectAlternativeNames().iterator().next();
        assertEquals(List.of(7, "127.0.0.1"), san);
        AcmeFlows.assertChainsToRoot(cert, DATA);
    }

    @Test
    void accountKeyRolloverKeepsTheAccount() throws Exception {
        KeyPair oldKey = KeyPairUtils.createKeyPair();
        Account account = AcmeFlows.newAccount(session, oldKey);
        KeyPair newKey = KeyPairUtils.createKeyPair();
        account.changeKey(newKey);
        Login relogin = session.login(account.getLocation(), newKey);
        assertEquals(Status.VALID, relogin.getAccount().getStatus());
        // The new key works end to end ...
        AcmeFlows.issue(relogin.getAccount(), AcmeFlows.domainKey(), "rollover.flow.test");
        // ... and the old one no longer finds the account.
        Login stale = session.login(account.getLocation(), oldKey);
        assertThrows(AcmeServerException.class, () -> stale.getAccount().newOrder()
                .domain("stale.flow.test").create());
    }

    @Test
    void ordersListPagesThroughEveryOrder() throws Exception {
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(account.newOrder().domain("o" + i + ".list.test").create().getLocation()
                    .toString());
        }
        List<String> listed = new ArrayList<>();
        Iterator<Order> it = account.getOrders();
        it.forEachRemaining(o -> listed.add(o.getLocation().toString()));
        assertEquals(created, listed);
    }

    @Test
    void deactivatedAuthorizationInvalidatesItsOrder() throws Exception {
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Order order = account.newOrder().domain("deactivate.flow.test").create();
        Authorization auth = order.getAuthorizations().get(0);
        auth.deactivate();
        assertEquals(Status.DEACTIVATED, auth.getStatus());
        order.fetch();
        assertEquals(Status.INVALID, order.getStatus());
    }

    @Test
    void revokesByAccountAndByCertificateKey() throws Exception {
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Certificate byAccount = AcmeFlows.issue(account, AcmeFlows.domainKey(),
                "revoke1.flow.test");
        byAccount.revoke(RevocationReason.SUPERSEDED);
        AcmeServerException again = assertThrows(AcmeServerException.class,
                () -> byAccount.revoke());
        assertTrue(again.getType().toString().endsWith(":alreadyRevoked"), again.toString());

        KeyPair domainKey = AcmeFlows.domainKey();
        Certificate byKey = AcmeFlows.issue(account, domainKey, "revoke2.flow.test");
        Certificate.revoke(session, domainKey, byKey.getCertificate(),
                RevocationReason.UNSPECIFIED);
        // The compromised key is refused from now on.
        AcmeServerException reuse = assertThrows(AcmeServerException.class,
                () -> AcmeFlows.issue(account, domainKey, "revoke3.flow.test"));
        assertTrue(reuse.getMessage().contains("compromised"), reuse.getMessage());
    }

    @Test
    void anotherAccountCannotRevoke() throws Exception {
        Account owner = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Certificate cert = AcmeFlows.issue(owner, AcmeFlows.domainKey(), "mine.flow.test");
        KeyPair otherKey = KeyPairUtils.createKeyPair();
        Account other = AcmeFlows.newAccount(session, otherKey);
        assertThrows(AcmeUnauthorizedException.class, () -> Certificate.revoke(
                session.login(other.getLocation(), otherKey), cert.getCertificate(),
                RevocationReason.UNSPECIFIED));
    }

    @Test
    void anAccountAuthorizedForEveryNameCanRevoke() throws Exception {
        Account owner = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Certificate cert = AcmeFlows.issue(owner, AcmeFlows.domainKey(), "shared.flow.test");
        KeyPair otherKey = KeyPairUtils.createKeyPair();
        Account other = AcmeFlows.newAccount(session, otherKey);
        // The other account proves control of the name too (its order is then ready).
        AcmeFlows.validateHttp01(other.newOrder().domain("shared.flow.test").create());
        Certificate.revoke(session.login(other.getLocation(), otherKey), cert.getCertificate(),
                RevocationReason.CESSATION_OF_OPERATION);
        AcmeServerException again = assertThrows(AcmeServerException.class,
                () -> cert.revoke());
        assertTrue(again.getType().toString().endsWith(":alreadyRevoked"), again.toString());
    }

    @Test
    void updatesContactsAndDeactivatesTheAccount() throws Exception {
        KeyPair key = KeyPairUtils.createKeyPair();
        Account account = AcmeFlows.newAccount(session, key);
        account.modify().addEmail("second@example.test").commit();
        assertEquals(2, account.getContacts().size());
        account.deactivate();
        assertEquals(Status.DEACTIVATED, account.getStatus());
        assertThrows(AcmeUnauthorizedException.class, () -> session.login(account.getLocation(),
                key).getAccount().newOrder().domain("after.flow.test").create());
    }

    @Test
    void failedHttp01MakesChallengeAuthorizationAndOrderInvalid() throws Exception {
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Order order = account.newOrder().domain("wrong.flow.test").create();
        Authorization auth = order.getAuthorizations().get(0);
        Http01Challenge ch = auth.findChallenge(Http01Challenge.class).orElseThrow();
        ValidationPeers.serve(ch.getToken(), "not-the-key-authorization");
        ch.trigger();
        assertEquals(Status.INVALID, auth.waitForCompletion(AcmeFlows.WAIT));
        ch.fetch();
        assertEquals(Status.INVALID, ch.getStatus());
        String detail = ch.getError().orElseThrow().getDetail().orElseThrow();
        assertTrue(detail.contains("http://wrong.flow.test:" + ValidationPeers.httpPort()
                + "/.well-known/acme-challenge/" + ch.getToken()), detail);
        assertTrue(detail.contains("127.0.0.1"), detail);
        assertTrue(detail.contains("not-the-key-authorization"), detail);
        order.fetch();
        assertEquals(Status.INVALID, order.getStatus());
        assertFalse(ch.getJSON().get("validationRecord").asArray().isEmpty());
    }
}
