package io.certapi.ca;

import io.certapi.core.Ecdsa;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The signer of certificates, CRLs and OCSP answers for one CA key. A software ECDSA key (the
 * default {@code kek} protection) signs through {@link Ecdsa}, five times cheaper than SunEC
 * under C1; an HSM's key, and RSA, sign through their JCA provider.
 */
final class Signers {

    private Signers() {
    }

    /** A content signer for {@code key}, whose certificate carries {@code publicKey}. */
    static ContentSigner of(PrivateKey key, PublicKey publicKey)
            throws OperatorCreationException {
        String algorithm = Certificates.signatureAlgorithm(publicKey);
        if (algorithm.endsWith("withECDSA") && Ecdsa.canSign(key)) {
            return new EcdsaSigner(algorithm, key);
        }
        return new JcaContentSignerBuilder(algorithm).build(key);
    }

    /** ECDSA over the SHA-2 hash that the algorithm's name says, DER-encoded (RFC 5758 §3.2). */
    private static final class EcdsaSigner implements ContentSigner {
        private final AlgorithmIdentifier id;
        private final PrivateKey key;
        private final MessageDigest digest;
        private final ByteArrayOutputStream sink = new ByteArrayOutputStream(2048);

        EcdsaSigner(String algorithm, PrivateKey key) throws OperatorCreationException {
            this.id = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
            this.key = key;
            try {
                this.digest = MessageDigest.getInstance(algorithm.startsWith("SHA384")
                        ? "SHA-384" : "SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new OperatorCreationException("no SHA-2 digest in this JDK", e);
            }
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return id;
        }

        @Override
        public OutputStream getOutputStream() {
            return sink;
        }

        @Override
        public byte[] getSignature() {
            BigInteger[] rs = Ecdsa.signDigest(key, digest.digest(sink.toByteArray()))
                    .orElseThrow(() -> new RuntimeOperatorException("the key cannot sign"));
            sink.reset();
            ASN1EncodableVector v = new ASN1EncodableVector(2);
            v.add(new ASN1Integer(rs[0]));
            v.add(new ASN1Integer(rs[1]));
            try {
                return new DERSequence(v).getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new RuntimeOperatorException("cannot encode the signature", e);
            }
        }
    }
}
