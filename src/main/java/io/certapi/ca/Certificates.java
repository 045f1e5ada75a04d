package io.certapi.ca;

import io.certapi.core.Identifier;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Builds CA and leaf certificates with BouncyCastle. Stateless and thread-safe. Authority key
 * identifiers carry the key identifier only, never the issuer's name and serial: with those, a
 * certificate would name one issuing certificate, and chains through a cross-signed root (same
 * key, another certificate) would not build.
 */
final class Certificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    /** The TLS Feature extension (RFC 7633). */
    private static final org.bouncycastle.asn1.ASN1ObjectIdentifier TLS_FEATURE =
            new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24");

    /** A fresh ECDSA key pair on {@code curve} (e.g. "secp256r1"). */
    static KeyPair ecKeyPair(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC key on " + curve, e);
        }
    }

    /** A positive serial of 127 random bits (RFC 5280 §4.1.2.2: at most 20 octets). */
    static BigInteger randomSerial() {
        return new BigInteger(127, RANDOM).setBit(126);
    }

    static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "certapi")
                .addRDN(BCStyle.CN, commonName).build();
    }

    /** A self-signed root. */
    static X509Certificate root(KeyPair keys, String cn, Instant from, Instant to) {
        X500Name subject = name(cn);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, randomSerial(),
                    Date.from(from), Date.from(to), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(b, keys.getPrivate(), keys.getPublic());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the root certificate", e);
        }
    }

    /** An intermediate that may sign leaves only (pathLen 0). */
    static X509Certificate intermediate(Issuer parent, PublicKey key, String cn, Instant from,
            Instant to) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    parent.certificate(), randomSerial(), Date.from(from), Date.from(to),
                    new X500Principal(name(cn).getEncoded()), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(
                            KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth,
                                KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(parent.certificate().getPublicKey()));
            return sign(b, parent.key(), parent.certificate().getPublicKey());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the intermediate certificate", e);
        }
    }

    /**
     * A cross-signed twin of {@code newRoot}: same subject, same key, same SKI, but signed by
     * {@code oldRoot}, so that clients trusting only the old root can still build a chain.
     */
    static X509Certificate crossSign(Issuer oldRoot, X509Certificate newRoot, Instant from,
            Instant to) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    oldRoot.certificate(), randomSerial(), Date.from(from), Date.from(to),
                    newRoot.getSubjectX500Principal(), newRoot.getPublicKey())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(newRoot.getPublicKey()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(oldRoot.certificate().getPublicKey()));
            return sign(b, oldRoot.key(), oldRoot.certificate().getPublicKey());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot cross-sign the new root", e);
        }
    }

    /**
     * A TLS server leaf: every identifier in the SAN, serverAuth and clientAuth, AKI/SKI, and
     * the issuer's URL in the AIA.
     */
    static X509Certificate leaf(Issuer issuer, LeafRequest req, BigInteger serial,
            String issuerUrl, String crlUrl, String ocspUrl) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
            req.identifiers().stream()
                    .filter(i -> req.includeCn() && i.type().equals(Identifier.DNS)
                            && i.value().length() <= 64)
                    .findFirst().ifPresent(i -> subject.addRDN(BCStyle.CN, i.value()));
            List<GeneralName> sans = new ArrayList<>();
            for (Identifier id : req.identifiers()) {
                sans.add(id.type().equals(Identifier.IP)
                        ? new GeneralName(GeneralName.iPAddress, id.value())
                        : new GeneralName(GeneralName.dNSName, id.value()));
            }
            X500Name subjectName = subject.build();
            boolean emptySubject = subjectName.getRDNs().length == 0;
            int usage = KeyUsage.digitalSignature;
            if (req.keyEncipherment()
                    && req.publicKey() instanceof java.security.interfaces.RSAPublicKey) {
                usage |= KeyUsage.keyEncipherment;
            }
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    org.bouncycastle.asn1.x500.X500Name.getInstance(
                            issuer.certificate().getSubjectX500Principal().getEncoded()),
                    serial, Date.from(req.notBefore()), Date.from(req.notAfter()), subjectName,
                    req.publicKey())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            req.clientAuth() ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth,
                                KeyPurposeId.id_kp_clientAuth}
                                    : new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}))
                    // RFC 5280 §4.2.1.6: with an empty subject the SAN must be critical.
                    .addExtension(Extension.subjectAlternativeName, emptySubject,
                            new GeneralNames(sans.toArray(new GeneralName[0])))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(req.publicKey()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(issuer.certificate().getPublicKey()))
                    .addExtension(Extension.authorityInfoAccess, false,
                            new AuthorityInformationAccess(accessDescriptions(issuerUrl,
                                    ocspUrl)))
                    .addExtension(Extension.cRLDistributionPoints, false,
                            new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(
                                    new DistributionPointName(new GeneralNames(new GeneralName(
                                            GeneralName.uniformResourceIdentifier, crlUrl))),
                                    null, null)}));
            if (req.mustStaple()) {
                // RFC 7633: TLS Feature with status_request (5); not critical, as Boulder has it.
                b.addExtension(TLS_FEATURE, false, new org.bouncycastle.asn1.DERSequence(
                        new org.bouncycastle.asn1.ASN1Integer(5)));
            }
            return sign(b, issuer.key(), issuer.certificate().getPublicKey());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build a leaf certificate", e);
        }
    }

    private static AccessDescription[] accessDescriptions(String issuerUrl, String ocspUrl) {
        AccessDescription issuer = new AccessDescription(X509ObjectIdentifiers.id_ad_caIssuers,
                new GeneralName(GeneralName.uniformResourceIdentifier, issuerUrl));
        if (ocspUrl == null) {
            return new AccessDescription[] {issuer};
        }
        return new AccessDescription[] {new AccessDescription(X509ObjectIdentifiers.id_ad_ocsp,
                new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)), issuer};
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key,
            PublicKey publicKey) throws GeneralSecurityException {
        try {
            ContentSigner signer = Signers.of(key, publicKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /**
     * By the signer's public key, never by the private key: a key read back through
     * BouncyCastle calls itself "ECDSA", one from the JDK "EC", and a key held in an HSM
     * (PKCS#11) shows neither its type nor its curve.
     */
    static String signatureAlgorithm(PublicKey key) {
        if (key instanceof java.security.interfaces.ECPublicKey ec) {
            return ec.getParams().getOrder().bitLength() > 256 ? "SHA384withECDSA"
                    : "SHA256withECDSA";
        }
        return "SHA256withRSA";
    }
}
