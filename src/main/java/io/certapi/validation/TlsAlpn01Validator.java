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
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.ASN1OctetString;

/**
 * tls-alpn-01 (RFC 8737): a TLS handshake to {@code <name>:<tls-alpn01-port>} offering only ALPN
 * {@code acme-tls/1}, with the name as SNI (for an IP, its reverse-DNS name, RFC 8738 §6). The
 * certificate presented must carry the critical id-pe-acmeIdentifier extension holding
 * SHA-256(key authorization), and exactly the identifier as its only subjectAltName. The
 * certificate is not validated otherwise: it is self-signed by design.
 */
@ApplicationScoped
public class TlsAlpn01Validator {

    /** RFC 8737 §3: the ALPN protocol. */
    public static final String ALPN = "acme-tls/1";
    /** RFC 8737 §6.1: id-pe-acmeIdentifier. */
    public static final String ACME_IDENTIFIER_OID = "1.3.6.1.5.5.7.1.31";

    private final CertapiConfig config;
    private final DnsResolver dns;
    private final SSLContext context;

    /** Creates the validator with a TLS context that records, and does not judge, certificates. */
    public TlsAlpn01Validator(CertapiConfig config, DnsResolver dns) {
        this.config = config;
        this.dns = dns;
        try {
            this.context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAny()}, new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS", e);
        }
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
            try (Socket plain = new Socket()) {
                int left = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline
                        - System.nanoTime()));
                plain.connect(new InetSocketAddress(address, port), left);
                plain.setSoTimeout(left);
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, sni,
                        port, true);
                SSLParameters params = tls.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName(sni)));
                params.setApplicationProtocols(new String[] {ALPN});
                params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                tls.setSSLParameters(params);
                tls.startHandshake();
                String protocol = tls.getApplicationProtocol();
                X509Certificate cert = (X509Certificate) tls.getSession()
                        .getPeerCertificates()[0];
                String summary = summarise(cert);
                String problem = !ALPN.equals(protocol)
                        ? "the server at " + where + " did not negotiate ALPN " + ALPN
                                + " (it chose \"" + (protocol == null ? "" : protocol) + "\")"
                        : checkCertificate(cert, identifier, keyAuthorization, where);
                records.add(tlsRecord(identifier, port, resolved, addr, summary, problem));
                if (problem == null) {
                    return ValidationOutcome.success(records);
                }
                return ValidationOutcome.failure(ALPN.equals(protocol)
                        ? ProblemType.INCORRECT_RESPONSE : ProblemType.TLS, problem, records);
            } catch (SSLException e) {
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

    private static String checkCertificate(X509Certificate cert, Identifier id,
            String keyAuthorization, String where) {
        List<String> sans = subjectAltNames(cert);
        String want = (Identifier.IP.equals(id.type()) ? "IP:" : "DNS:") + id.value();
        if (sans.size() != 1 || !sans.get(0).equalsIgnoreCase(want)) {
            return "the certificate from " + where + " has subjectAltNames " + sans
                    + "; it must have exactly [" + want + "] (RFC 8737 §3)";
        }
        byte[] ext = cert.getExtensionValue(ACME_IDENTIFIER_OID);
        if (ext == null) {
            return "the certificate from " + where + " lacks the acmeIdentifier extension "
                    + ACME_IDENTIFIER_OID + " (RFC 8737 §3)";
        }
        if (cert.getCriticalExtensionOIDs() == null
                || !cert.getCriticalExtensionOIDs().contains(ACME_IDENTIFIER_OID)) {
            return "the acmeIdentifier extension of the certificate from " + where
                    + " is not critical (RFC 8737 §3)";
        }
        byte[] expected = KeyAuthorizations.sha256(keyAuthorization);
        byte[] got;
        try {
            got = ASN1OctetString.getInstance(ASN1OctetString.getInstance(ext).getOctets())
                    .getOctets();
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

    private static ValidationRecord tlsRecord(Identifier id, int port, List<String> resolved,
            String used, String certificate, String note) {
        return new ValidationRecord(null, id.value(), String.valueOf(port), null, resolved,
                used, null, null, null, certificate, note);
    }

    private static List<String> subjectAltNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    Object value = san.get(1);
                    if (type == 2) {
                        out.add("DNS:" + value);
                    } else if (type == 7) {
                        out.add("IP:" + IpAddresses.parse(String.valueOf(value))
                                .map(IpAddresses::canonical).orElse(String.valueOf(value)));
                    } else {
                        out.add("type" + type + ":" + value);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            out.add("unparseable");
        }
        return out;
    }

    private static String summarise(X509Certificate cert) {
        return "subject \"" + cert.getSubjectX500Principal().getName() + "\", SAN "
                + subjectAltNames(cert) + ", acmeIdentifier "
                + (cert.getExtensionValue(ACME_IDENTIFIER_OID) == null ? "absent"
                        : cert.getCriticalExtensionOIDs() != null
                                && cert.getCriticalExtensionOIDs().contains(ACME_IDENTIFIER_OID)
                                ? "present (critical)" : "present (not critical)")
                + ", valid until " + cert.getNotAfter().toInstant();
    }

    /**
     * RFC 8737 §3: the challenge certificate is self-signed and judged by its content alone,
     * so every chain is accepted here and examined after the handshake.
     */
    private static final class AcceptAny extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {
            // Not a server.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {
            // Examined after the handshake.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {
            // Not a server.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {
            // Examined after the handshake.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String a) {
            // Not a server.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String a) {
            // Examined after the handshake.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
