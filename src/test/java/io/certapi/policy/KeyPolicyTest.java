package io.certapi.policy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.core.AcmeProblem;
import io.certapi.core.ProblemType;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Key policy, one row per rule. */
class KeyPolicyTest {

    static Stream<Arguments> accepted() {
        return Stream.of(
                row("ok/rsa-2048", () -> rsa(2048, 65537)),
                row("ok/rsa-4096", () -> rsa(4096, 65537)),
                row("ok/ec-p256", () -> ec("secp256r1")),
                row("ok/ec-p384", () -> ec("secp384r1")),
                row("ok/ec-p521", () -> ec("secp521r1")),
                row("ok/ed25519", () -> ed("Ed25519")));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(Named.of("fail/rsa-1024", (Supplier<PublicKey>) () ->
                        rsa(1024, 65537)), "1024 bits"),
                Arguments.of(Named.of("fail/rsa-exponent-3", (Supplier<PublicKey>) () ->
                        rsa(2048, 3)), "exponent 3"),
                Arguments.of(Named.of("fail/rsa-even-exponent", (Supplier<PublicKey>) () ->
                        rsaWith(((java.security.interfaces.RSAPublicKey) rsa(2048, 65537))
                                .getModulus(), BigInteger.valueOf(65538))), "must be odd"),
                Arguments.of(Named.of("fail/rsa-small-factor", (Supplier<PublicKey>) () ->
                        rsaWith(modulusDivisibleBy3(), BigInteger.valueOf(65537))),
                        "divisible by 3"),
                Arguments.of(Named.of("fail/ec-secp256k1", (Supplier<PublicKey>) () ->
                        ecOtherCurve()), "unsupported elliptic curve"),
                Arguments.of(Named.of("fail/ec-point-off-curve", (Supplier<PublicKey>) () ->
                        offCurve()), "P-256"),
                Arguments.of(Named.of("fail/ed448", (Supplier<PublicKey>) () -> ed("Ed448")),
                        "only Ed25519"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(Supplier<PublicKey> key) {
        assertDoesNotThrow(() -> KeyPolicy.check(key.get(), "test key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refuses(Supplier<PublicKey> key, String detail) {
        AcmeProblem p = assertThrows(AcmeProblem.class,
                () -> KeyPolicy.check(key.get(), "test key"));
        assertEquals(ProblemType.BAD_PUBLIC_KEY, p.type());
        assertTrue(p.detail().contains(detail), p.detail());
    }

    private static Arguments row(String name, Supplier<PublicKey> key) {
        return Arguments.of(Named.of(name, key));
    }

    static PublicKey rsa(int bits, int e) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(bits, BigInteger.valueOf(e)));
            return g.generateKeyPair().getPublic();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static PublicKey rsaWith(BigInteger n, BigInteger e) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** 3 times a random prime, 2048 bits in all. */
    static BigInteger modulusDivisibleBy3() {
        java.security.SecureRandom rnd = new java.security.SecureRandom();
        BigInteger n;
        do {
            n = BigInteger.probablePrime(2046, rnd).multiply(BigInteger.valueOf(3));
        } while (n.bitLength() != 2048);
        return n;
    }

    static PublicKey ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair().getPublic();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static PublicKey ecOtherCurve() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC",
                    new org.bouncycastle.jce.provider.BouncyCastleProvider());
            g.initialize(new ECGenParameterSpec("secp256k1"));
            return g.generateKeyPair().getPublic();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static PublicKey offCurve() {
        try {
            ECPublicKey good = (ECPublicKey) ec("secp256r1");
            ECPoint w = good.getW();
            ECPoint bad = new ECPoint(w.getAffineX(), w.getAffineY().add(BigInteger.ONE));
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(bad,
                    good.getParams()));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static PublicKey ed(String curve) {
        try {
            return KeyPairGenerator.getInstance(curve).generateKeyPair().getPublic();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
