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
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

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
}
