package io.certapi.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lightweight ECDSA path agrees with the JDK's SunEC both ways, on every curve ACME uses. */
class EcdsaTest {

    private static final byte[] DATA = "eyJhbGciOiJFUzI1NiJ9.eyJ0ZXN0Ijp0cnVlfQ"
            .getBytes(StandardCharsets.US_ASCII);

    private static KeyPair keyPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    @ParameterizedTest
    @CsvSource({"secp256r1, SHA256withECDSAinP1363Format", "secp384r1, SHA384withECDSAinP1363Format",
        "secp521r1, SHA512withECDSAinP1363Format"})
    void verifiesWhatSunEcSignsAndNothingElse(String curve, String jdkAlgorithm)
            throws GeneralSecurityException {
        KeyPair kp = keyPair(curve);
        Signature s = Signature.getInstance(jdkAlgorithm, "SunEC");
        s.initSign(kp.getPrivate());
        s.update(DATA);
        byte[] sig = s.sign();
        Ecdsa.Verifier v = Ecdsa.verifier((ECPublicKey) kp.getPublic()).orElseThrow();
        assertTrue(v.verifyConcatenated(DATA, sig));
        assertTrue(v.verifyConcatenated(DATA, sig), "a second use of the same verifier");

        byte[] otherData = Arrays.copyOf(DATA, DATA.length);
        otherData[0] ^= 1;
        assertFalse(v.verifyConcatenated(otherData, sig), "other data");
        byte[] flipped = sig.clone();
        flipped[flipped.length - 1] ^= 1;
        assertFalse(v.verifyConcatenated(DATA, flipped), "a flipped bit");
        assertFalse(v.verifyConcatenated(DATA, Arrays.copyOf(sig, sig.length - 1)), "short");
        assertFalse(v.verifyConcatenated(DATA, new byte[sig.length]), "r = s = 0");
        byte[] zeroS = sig.clone();
        Arrays.fill(zeroS, sig.length / 2, sig.length, (byte) 0);
        assertFalse(v.verifyConcatenated(DATA, zeroS), "s = 0 (CVE-2022-21449)");
        Ecdsa.Verifier stranger = Ecdsa.verifier((ECPublicKey) keyPair(curve).getPublic())
                .orElseThrow();
        assertFalse(stranger.verifyConcatenated(DATA, sig), "another key");
    }

    @ParameterizedTest
    @CsvSource({"secp256r1, SHA-256, SHA256withECDSA", "secp384r1, SHA-384, SHA384withECDSA",
        "secp521r1, SHA-512, SHA512withECDSA"})
    void signsWhatSunEcVerifies(String curve, String digest, String jdkAlgorithm)
            throws GeneralSecurityException, IOException {
        KeyPair kp = keyPair(curve);
        byte[] hash = MessageDigest.getInstance(digest).digest(DATA);
        BigInteger[] rs = Ecdsa.signDigest(kp.getPrivate(), hash).orElseThrow();
        byte[] der = new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]),
            new ASN1Integer(rs[1])}).getEncoded(ASN1Encoding.DER);
        Signature v = Signature.getInstance(jdkAlgorithm, "SunEC");
        v.initVerify(kp.getPublic());
        v.update(DATA);
        assertTrue(v.verify(der));
        // RFC 6979: the same key and hash give the same signature.
        assertArrayEquals(rs, Ecdsa.signDigest(kp.getPrivate(), hash).orElseThrow());
    }

    @org.junit.jupiter.api.Test
    void leavesOtherKeysToTheirProvider() throws GeneralSecurityException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertFalse(Ecdsa.canSign(rsa.generateKeyPair().getPrivate()));
        assertTrue(Ecdsa.canSign(keyPair("secp256r1").getPrivate()));
    }
}
