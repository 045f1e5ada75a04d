package io.certapi.policy;

import io.certapi.core.AcmeProblem;
import io.certapi.core.ProblemType;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * The keys certapi accepts, for accounts and in CSRs alike: RSA of 2048 to 4096 bits with a sane
 * public exponent and no small factor; ECDSA on P-256, P-384 or P-521 with the point on its
 * curve; Ed25519. The JDK checks none of the EC point properties itself.
 */
public final class KeyPolicy {

    /** Smallest RSA modulus accepted, in bits. */
    public static final int RSA_MIN_BITS = 2048;
    /** Largest RSA modulus accepted, in bits. */
    public static final int RSA_MAX_BITS = 4096;

    /** NIST SP 800-89 §5.3.3: 2^16 < e < 2^256. */
    private static final BigInteger MIN_EXPONENT = BigInteger.valueOf(65537);
    private static final BigInteger MAX_EXPONENT = BigInteger.ONE.shiftLeft(256);
    private static final List<BigInteger> SMALL_PRIMES = smallPrimes(1000);

    /** An accepted elliptic curve, its JOSE name, and the JWS algorithm that goes with it. */
    public enum Curve {
        P256("P-256", "ES256", 32),
        P384("P-384", "ES384", 48),
        P521("P-521", "ES512", 66);

        private final String name;
        private final String jwsAlgorithm;
        private final int coordinateBytes;

        Curve(String name, String jwsAlgorithm, int coordinateBytes) {
            this.name = name;
            this.jwsAlgorithm = jwsAlgorithm;
            this.coordinateBytes = coordinateBytes;
        }

        /** JOSE/NIST name, e.g. P-256. */
        public String curveName() {
            return name;
        }

        /** The one JWS algorithm (RFC 7518 §3.4) for this curve. */
        public String jwsAlgorithm() {
            return jwsAlgorithm;
        }

        /** Length of one coordinate (and of r and s in a JWS signature), in bytes. */
        public int coordinateBytes() {
            return coordinateBytes;
        }

        /** The curve's parameters. */
        public X9ECParameters parameters() {
            return ECNamedCurveTable.getByName(name);
        }
    }

    private KeyPolicy() {
    }

    /**
     * Checks {@code key} and throws {@code badPublicKey} naming what is wrong with it.
     *
     * @param what "account key" or "CSR key", for the detail
     */
    public static void check(PublicKey key, String what) {
        if (key instanceof RSAPublicKey rsa) {
            checkRsa(rsa, what);
        } else if (key instanceof ECPublicKey ec) {
            checkEc(ec, what);
        } else if (key instanceof EdECPublicKey ed) {
            if (!"Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
                throw bad(what + " uses " + ed.getParams().getName()
                        + "; of the EdDSA curves only Ed25519 is accepted");
            }
        } else {
            throw bad(what + " has type " + key.getAlgorithm()
                    + "; accepted are RSA, ECDSA (P-256, P-384, P-521) and Ed25519");
        }
    }

    /** The curve of an EC key, if it is one of the accepted curves. */
    public static Optional<Curve> curveOf(ECPublicKey key) {
        BigInteger order = key.getParams().getOrder();
        for (Curve c : Curve.values()) {
            if (c.parameters().getN().equals(order)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static void checkRsa(RSAPublicKey rsa, String what) {
        BigInteger n = rsa.getModulus();
        int bits = n.bitLength();
        if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
            throw bad(what + " is RSA of " + bits + " bits; accepted are " + RSA_MIN_BITS + " to "
                    + RSA_MAX_BITS + " bits");
        }
        BigInteger e = rsa.getPublicExponent();
        if (!e.testBit(0) || e.compareTo(MIN_EXPONENT) < 0 || e.compareTo(MAX_EXPONENT) >= 0) {
            throw bad(what + " has RSA public exponent " + (e.bitLength() > 64
                    ? "of " + e.bitLength() + " bits" : e.toString())
                    + "; it must be odd and between 65537 and 2^256");
        }
        for (BigInteger p : SMALL_PRIMES) {
            if (n.mod(p).signum() == 0) {
                throw bad(what + " has an RSA modulus divisible by " + p);
            }
        }
    }

    private static void checkEc(ECPublicKey ec, String what) {
        Curve curve = curveOf(ec).orElseThrow(() -> bad(what
                + " is on an unsupported elliptic curve; accepted are P-256, P-384 and P-521"));
        ECPoint w = ec.getW();
        if (w == ECPoint.POINT_INFINITY) {
            throw bad(what + " is the point at infinity");
        }
        X9ECParameters params = curve.parameters();
        BigInteger p = params.getCurve().getField().getCharacteristic();
        BigInteger x = w.getAffineX();
        BigInteger y = w.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            throw bad(what + " has a coordinate outside the field of " + curve.curveName());
        }
        try {
            // validatePoint checks the curve equation; the NIST curves have cofactor 1, so a
            // point on the curve is in the prime-order subgroup.
            if (!params.getCurve().validatePoint(x, y).isValid()) {
                throw bad(what + " is not a valid point on " + curve.curveName());
            }
        } catch (IllegalArgumentException notOnCurve) {
            throw bad(what + " is not a point on " + curve.curveName());
        }
    }

    private static AcmeProblem bad(String detail) {
        return AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, detail);
    }

    private static List<BigInteger> smallPrimes(int below) {
        List<BigInteger> primes = new java.util.ArrayList<>();
        for (int i = 2; i < below; i++) {
            if (BigInteger.valueOf(i).isProbablePrime(50)) {
                primes.add(BigInteger.valueOf(i));
            }
        }
        return List.copyOf(primes);
    }
}
