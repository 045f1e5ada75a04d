package io.certapi.validation;

import io.certapi.config.CertapiConfig;
import io.certapi.core.Identifier;
import io.certapi.core.IpAddresses;
import io.certapi.core.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsException;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * tls-alpn-01 (RFC 8737): a TLS handshake to {@code <name>:<tls-alpn01-port>} offering only ALPN
 * {@code acme-tls/1}, with the name as SNI (for an IP, its reverse-DNS name, RFC 8738 §6). The
 * certificate presented must carry the critical id-pe-acmeIdentifier extension holding
 * SHA-256(key authorization), and exactly the identifier as its only subjectAltName; nothing
 * else about it is judged. The handshake runs on BouncyCastle's TLS client, which hands over
 * the certificate as DER: the JDK's TLS stack refuses, before any trust manager sees them,
 * certificates that RFC 8737 allows, such as pebble-challtestsrv's with an empty issuer.
 */
@ApplicationScoped
public class TlsAlpn01Validator {

    /** RFC 8737 §3: the ALPN protocol. */
    public static final String ALPN = "acme-tls/1";
    /** RFC 8737 §6.1: id-pe-acmeIdentifier. */
    public static final String ACME_IDENTIFIER_OID = "1.3.6.1.5.5.7.1.31";

    private final CertapiConfig config;
    private final DnsResolver dns;
    private final SecureRandom random = new SecureRandom();

    /** Creates the validator. */
    public TlsAlpn01Validator(CertapiConfig config, DnsResolver dns) {
        this.config = config;
        this.dns = dns;
    }

    /** Validates {@code identifier}; never throws. */
    public ValidationOutcome validate(Identifier identifier, String keyAuthorization) {
        List<ValidationRecord> records = new ArrayList<>();
        int port = config.validation().tlsAlpn01Port();
        boolean ip = Identifier.IP.equals(identifier.type());
        List<InetAddress> addresses;
        String sni;
        try {
            if (ip) {
                InetAddress a = IpAddresses.parse(identifier.value()).orElseThrow();
                addresses = List.of(a);
                sni = IpAddresses.reverseName(a);
            } else {
                addresses = dns.addresses(identifier.value());
                sni = identifier.value();
            }
        } catch (DnsResolver.DnsException e) {
            records.add(ValidationRecord.dns(identifier.value(), dns.description(), List.of(),
                    e.getMessage()));
            return ValidationOutcome.failure(ProblemType.DNS, e.getMessage(), records);
        }
        List<String> resolved = addresses.stream().map(IpAddresses::canonical).toList();
        long deadline = System.nanoTime() + config.validation().timeout().toNanos();
        String lastError = "no address";
        ProblemType lastType = ProblemType.CONNECTION;
        for (InetAddress address : Http01Validator.firstOfEachFamily(addresses)) {
            String addr = IpAddresses.canonical(address);
            String where = addr + ":" + port + " (SNI " + sni + ")";
            try (Socket socket = new Socket()) {
                int left = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline
                        - System.nanoTime()));
                socket.connect(new InetSocketAddress(address, port), left);
                socket.setSoTimeout(left);
                Handshake h = handshake(socket, sni);
                Certificate cert = h.certificate();
                String summary = summarise(cert);
                String problem = !ALPN.equals(h.protocol())
                        ? "the server at " + where + " did not negotiate ALPN " + ALPN
                                + " (it chose \"" + (h.protocol() == null ? "" : h.protocol())
                                + "\")"
                        : checkCertificate(cert, identifier, keyAuthorization, where);
                records.add(tlsRecord(identifier, port, resolved, addr, summary, problem));
                if (problem == null) {
                    return ValidationOutcome.success(records);
                }
                return ValidationOutcome.failure(ALPN.equals(h.protocol())
                        ? ProblemType.INCORRECT_RESPONSE : ProblemType.TLS, problem, records);
            } catch (TlsException | IllegalArgumentException e) {
                lastType = ProblemType.TLS;
                lastError = "TLS handshake with " + where + " failed: " + e.getMessage();
            } catch (java.net.SocketTimeoutException e) {
                lastType = ProblemType.CONNECTION;
                lastError = "timed out connecting to or handshaking with " + where;
            } catch (IOException e) {
                lastType = ProblemType.CONNECTION;
                lastError = "cannot connect to " + where + ": " + e.getMessage();
            }
            records.add(tlsRecord(identifier, port, resolved, addr, null, lastError));
        }
        return ValidationOutcome.failure(lastType, lastError, records);
    }

    /** What a handshake gave: the negotiated ALPN protocol and the server's certificate. */
    private record Handshake(String protocol, Certificate certificate) {
    }

    /**
     * A TLS 1.3 or 1.2 handshake offering only acme-tls/1; the certificate is recorded and not
     * judged (it is self-signed by design). The connection is closed right after.
     */
    private Handshake handshake(Socket socket, String sni) throws IOException {
        TlsClientProtocol protocol = new TlsClientProtocol(socket.getInputStream(),
                socket.getOutputStream());
        byte[][] presented = new byte[1][];
        String[] negotiated = new String[1];
        DefaultTlsClient client = new DefaultTlsClient(new AnyKeyUsageCrypto(random)) {
            @Override
            public void notifyHandshakeComplete() throws IOException {
                super.notifyHandshakeComplete();
                ProtocolName chosen = context.getSecurityParametersConnection()
                        .getApplicationProtocol();
                negotiated[0] = chosen == null ? null : chosen.getUtf8Decoding();
            }

            @Override
            protected Vector<ProtocolName> getProtocolNames() {
                Vector<ProtocolName> names = new Vector<>();
                names.add(ProtocolName.asUtf8Encoding(ALPN));
                return names;
            }

            @Override
            protected Vector<ServerName> getSNIServerNames() {
                Vector<ServerName> names = new Vector<>();
                names.add(new ServerName(NameType.host_name,
                        sni.getBytes(StandardCharsets.US_ASCII)));
                return names;
            }

            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv12);
            }

            @Override
            public TlsAuthentication getAuthentication() {
                return new TlsAuthentication() {
                    @Override
                    public void notifyServerCertificate(TlsServerCertificate server)
                            throws IOException {
                        if (server.getCertificate().isEmpty()) {
                            throw new TlsException("the server sent no certificate");
                        }
                        presented[0] = server.getCertificate().getCertificateAt(0).getEncoded();
                    }

                    @Override
                    public TlsCredentials getClientCredentials(CertificateRequest request) {
                        return null;
                    }
                };
            }
        };
        try {
            protocol.connect(client);
            Certificate cert;
            try {
                cert = Certificate.getInstance(presented[0]);
            } catch (IllegalArgumentException e) {
                throw new TlsException("the server's certificate is not X.509 DER");
            }
            return new Handshake(negotiated[0], cert);
        } finally {
            try {
                protocol.close();
            } catch (IOException ignored) {
                // The answer is in; a peer that drops the connection first changes nothing.
            }
        }
    }

    /**
     * BouncyCastle's crypto, except that a challenge certificate's key usage is not judged:
     * RFC 8737 does not ask for one, and lego's RSA challenge certificate allows only
     * keyEncipherment, which BouncyCastle would refuse for the handshake signature.
     */
    private static final class AnyKeyUsageCrypto extends BcTlsCrypto {
        AnyKeyUsageCrypto(SecureRandom random) {
            super(random);
        }

        @Override
        public TlsCertificate createCertificate(byte[] encoding) throws IOException {
            return new AnyKeyUsage(this, encoding);
        }

        @Override
        public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
            return type == CertificateType.X509 ? new AnyKeyUsage(this, encoding)
                    : super.createCertificate(type, encoding);
        }
    }

    /** A certificate whose key may sign the handshake whatever its key usage says. */
    private static final class AnyKeyUsage extends BcTlsCertificate {
        AnyKeyUsage(BcTlsCrypto crypto, byte[] encoding) throws IOException {
            super(crypto, encoding);
        }

        @Override
        protected boolean supportsKeyUsage(int keyUsageBit) {
            return true;
        }
    }

    private static String checkCertificate(Certificate cert, Identifier id,
            String keyAuthorization, String where) {
        List<String> sans = subjectAltNames(cert);
        String want = (Identifier.IP.equals(id.type()) ? "IP:" : "DNS:") + id.value();
        if (sans.size() != 1 || !sans.get(0).equalsIgnoreCase(want)) {
            return "the certificate from " + where + " has subjectAltNames " + sans
                    + "; it must have exactly [" + want + "] (RFC 8737 §3)";
        }
        Extension ext = extension(cert, ACME_IDENTIFIER_OID);
        if (ext == null) {
            return "the certificate from " + where + " lacks the acmeIdentifier extension "
                    + ACME_IDENTIFIER_OID + " (RFC 8737 §3)";
        }
        if (!ext.isCritical()) {
            return "the acmeIdentifier extension of the certificate from " + where
                    + " is not critical (RFC 8737 §3)";
        }
        byte[] expected = KeyAuthorizations.sha256(keyAuthorization);
        byte[] got;
        try {
            got = ASN1OctetString.getInstance(ext.getExtnValue().getOctets()).getOctets();
        } catch (IllegalArgumentException e) {
            return "the acmeIdentifier extension of the certificate from " + where
                    + " is not an OCTET STRING";
        }
        if (!Arrays.equals(expected, got)) {
            return "the acmeIdentifier of the certificate from " + where + " is "
                    + java.util.HexFormat.of().formatHex(got) + "; expected SHA-256 of the key"
                    + " authorization, " + java.util.HexFormat.of().formatHex(expected);
        }
        return null;
    }

    private static Extension extension(Certificate cert, String oid) {
        Extensions exts = cert.getTBSCertificate().getExtensions();
        return exts == null ? null : exts.getExtension(
                new org.bouncycastle.asn1.ASN1ObjectIdentifier(oid));
    }

    private static ValidationRecord tlsRecord(Identifier id, int port, List<String> resolved,
            String used, String certificate, String note) {
        return new ValidationRecord(null, id.value(), String.valueOf(port), null, resolved,
                used, null, null, null, certificate, note);
    }

    private static List<String> subjectAltNames(Certificate cert) {
        List<String> out = new ArrayList<>();
        Extension san = extension(cert, Extension.subjectAlternativeName.getId());
        if (san == null) {
            return out;
        }
        try {
            for (GeneralName n : GeneralNames.getInstance(san.getParsedValue()).getNames()) {
                switch (n.getTagNo()) {
                    case GeneralName.dNSName -> out.add("DNS:" + n.getName());
                    case GeneralName.iPAddress -> out.add("IP:" + ipText(n));
                    default -> out.add("type" + n.getTagNo() + ":" + n.getName());
                }
            }
        } catch (IllegalArgumentException e) {
            out.add("unparseable");
        }
        return out;
    }

    private static String ipText(GeneralName n) {
        byte[] raw = ASN1OctetString.getInstance(n.getName()).getOctets();
        try {
            return IpAddresses.canonical(InetAddress.getByAddress(raw));
        } catch (UnknownHostException e) {
            return java.util.HexFormat.of().formatHex(raw);
        }
    }

    private static String summarise(Certificate cert) {
        Extension acme = extension(cert, ACME_IDENTIFIER_OID);
        return "subject \"" + cert.getSubject() + "\", SAN " + subjectAltNames(cert)
                + ", acmeIdentifier " + (acme == null ? "absent" : acme.isCritical()
                        ? "present (critical)" : "present (not critical)")
                + ", valid until " + cert.getEndDate().getDate().toInstant();
    }
}
