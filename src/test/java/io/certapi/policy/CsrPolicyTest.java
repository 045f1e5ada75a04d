package io.certapi.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.core.AcmeProblem;
import io.certapi.testing.Orders;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What one CSR may cost: its key is judged before any signature is checked under it. */
class CsrPolicyTest {

    @Test
    void aHugeExponentIsRefusedBeforeTheSignatureIsChecked() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(3072);
        var keys = g.generateKeyPair();
        byte[] good = Orders.csrWith(keys, "SHA256withRSA", "cost.test", "cost.test");
        // The same request with the key's exponent swapped for one of 3,001 bits (the JDK
        // allows any exponent below a modulus of up to 3072 bits): a signature check under it
        // costs as much as a private-key operation; the policy refuses the key first.
        BigInteger huge = BigInteger.ONE.shiftLeft(3000).add(BigInteger.ONE);
        RSAPublicKey hostile = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
                new RSAPublicKeySpec(((RSAPublicKey) keys.getPublic()).getModulus(), huge));
        CertificationRequest req = CertificationRequest.getInstance(good);
        CertificationRequestInfo info = req.getCertificationRequestInfo();
        byte[] swapped = new CertificationRequest(new CertificationRequestInfo(
                info.getSubject(), SubjectPublicKeyInfo.getInstance(hostile.getEncoded()),
                info.getAttributes()), req.getSignatureAlgorithm(), req.getSignature())
                .getEncoded();
        AcmeProblem p = assertThrows(AcmeProblem.class, () -> CsrPolicy.check(swapped));
        assertEquals("urn:ietf:params:acme:error:badCSR", p.type().urn());
        assertTrue(p.detail().contains("exponent of 3001 bits"), p.detail());
        assertTrue(p.detail().length() < 200, "the detail names the size, not the number");
        // The refusal names the key, not the signature (which does not verify): the key was
        // judged first.
    }

    @Test
    void aValidCsrPasses() throws Exception {
        var keys = Orders.ecKeyPair();
        CsrPolicy.Csr csr = CsrPolicy.check(Orders.csr(keys, "ok.test"));
        assertEquals(keys.getPublic(), csr.publicKey());
    }

    /** Every ECDSA curve and hash pairing verifies; any change to what was signed does not. */
    @ParameterizedTest
    @CsvSource({"secp256r1, SHA256withECDSA", "secp256r1, SHA384withECDSA",
        "secp384r1, SHA384withECDSA", "secp384r1, SHA512withECDSA", "secp521r1, SHA512withECDSA"})
    void ecdsaSignaturesVerifyExactly(String curve, String algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        var keys = g.generateKeyPair();
        byte[] good = Orders.csrWith(keys, algorithm, "ec.test", "ec.test");
        assertEquals(keys.getPublic(), CsrPolicy.check(good).publicKey());

        CertificationRequest req = CertificationRequest.getInstance(good);
        byte[] sig = req.getSignature().getBytes();
        byte[] flipped = sig.clone();
        flipped[flipped.length - 1] ^= 1;
        assertRefused(withSignature(req, flipped), "does not verify");
        // r = s = 0, in valid DER (CVE-2022-21449).
        assertRefused(withSignature(req, new byte[] {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01,
            0x00}), "does not verify");
        // The same signature over another name.
        byte[] other = Orders.csrWith(keys, algorithm, "other.test", "other.test");
        CertificationRequest otherReq = CertificationRequest.getInstance(other);
        assertRefused(new CertificationRequest(otherReq.getCertificationRequestInfo(),
                req.getSignatureAlgorithm(), req.getSignature()).getEncoded(), "does not verify");
        // Trailing bytes after the DER signature.
        assertRefused(withSignature(req, java.util.Arrays.copyOf(sig, sig.length + 1)),
                "does not verify");
    }

    private static byte[] withSignature(CertificationRequest req, byte[] sig) throws Exception {
        return new CertificationRequest(req.getCertificationRequestInfo(),
                req.getSignatureAlgorithm(), new DERBitString(sig)).getEncoded();
    }

    private static void assertRefused(byte[] csr, String fragment) {
        AcmeProblem p = assertThrows(AcmeProblem.class, () -> CsrPolicy.check(csr));
        assertEquals("urn:ietf:params:acme:error:badCSR", p.type().urn());
        assertTrue(p.detail().contains(fragment), p.detail());
    }
}
