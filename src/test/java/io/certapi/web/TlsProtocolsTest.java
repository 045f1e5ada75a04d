package io.certapi.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.Openssl;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The HTTPS listener, handshaken with openssl (another TLS stack than the server's): TLS 1.3
 * and TLS 1.2 (RFC 9325 §3.1.1: 1.2 MUST be supported), and on 1.2 only ECDHE with an AEAD
 * cipher; older protocols and other 1.2 suites are refused.
 */
@QuarkusTest
class TlsProtocolsTest {

    private static final String HOST = "localhost:" + Integer.getInteger(
            "quarkus.http.test-ssl-port", 8444);

    @Test
    void tls13IsOffered() throws Exception {
        Openssl.Result r = handshake("-tls1_3");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Protocol version: TLSv1.3"), r.output());
    }

    @Test
    void tls12IsOfferedWithEcdheAndAnAeadCipher() throws Exception {
        Openssl.Result r = handshake("-tls1_2");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Protocol version: TLSv1.2"), r.output());
        assertTrue(r.output().matches("(?s).*Ciphersuite: ECDHE-(ECDSA|RSA)-"
                + "(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305).*"), r.output());
    }

    @Test
    void tls12WithoutEcdheOrAeadIsRefused() throws Exception {
        for (String cipher : new String[] {"AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA",
                "ECDHE-ECDSA-AES256-SHA384", "DHE-RSA-AES128-GCM-SHA256"}) {
            Openssl.Result r = handshake("-tls1_2", "-cipher", cipher);
            assertNotEquals(0, r.exit(), cipher + " was accepted: " + r.output());
        }
    }

    @Test
    void tls11IsRefused() throws Exception {
        Openssl.Result r = handshake("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertNotEquals(0, r.exit(), r.output());
    }

    private static Openssl.Result handshake(String... options) throws Exception {
        String[] args = new String[options.length + 4];
        args[0] = "s_client";
        args[1] = "-connect";
        args[2] = HOST;
        args[3] = "-brief";
        System.arraycopy(options, 0, args, 4, options.length);
        return Openssl.attempt(args);
    }
}
