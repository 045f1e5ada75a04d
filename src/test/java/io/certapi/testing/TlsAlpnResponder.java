package io.certapi.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real TLS server answering tls-alpn-01 (RFC 8737) on 127.0.0.1 and [::1]: it negotiates
 * {@code acme-tls/1} and presents, by SNI, the challenge certificate a test set up, correct or
 * broken on purpose.
 */
public final class TlsAlpnResponder implements AutoCloseable {

    /** How a challenge certificate is built. */
    public record Spec(List<GeneralName> sans, byte[] digest, boolean critical,
            boolean negotiateAlpn) {
    }

    private final Map<String, Spec> specs = new ConcurrentHashMap<>();
    private final Map<String, Object[]> material = new ConcurrentHashMap<>();
    private final List<SSLServerSocket> sockets = new ArrayList<>();
    private final int port;

    private TlsAlpnResponder(int port) {
        this.port = port;
    }

    /** Starts on a free port. */
    static TlsAlpnResponder start() throws IOException {
        int port = ValidationPeers.freePort();
        TlsAlpnResponder r = new TlsAlpnResponder(port);
        r.listen("127.0.0.1");
        try {
            r.listen("::1");
        } catch (IOException noIpv6) {
            // IPv4 only.
        }
        return r;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** Answers {@code sni} with a correct challenge certificate for DNS name {@code name}. */
    public void serveDns(String name, String keyAuthorization) {
        serve(name, new Spec(List.of(new GeneralName(GeneralName.dNSName, name)),
                sha256(keyAuthorization), true, true));
    }

    /** Answers the reverse name of {@code ip} with a correct certificate for that address. */
    public void serveIp(String ip, String reverseName, String keyAuthorization) {
        serve(reverseName, new Spec(List.of(new GeneralName(GeneralName.iPAddress, ip)),
                sha256(keyAuthorization), true, true));
    }

    /** Answers {@code sni} as {@code spec} says. */
    public void serve(String sni, Spec spec) {
        specs.put(sni.toLowerCase(), spec);
        material.remove(sni.toLowerCase());
    }

    /** SHA-256 of a key authorization. */
    public static byte[] sha256(String keyAuthorization) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void listen(String host) throws IOException {
        SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new BySni()}, null, null);
        } catch (Exception e) {
            throw new IOException(e);
        }
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 64);
        sockets.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    SSLSocket s = (SSLSocket) server.accept();
                    s.setHandshakeApplicationProtocolSelector((sock, offered) -> {
                        Spec spec = specFor(sock);
                        boolean alpn = spec == null || spec.negotiateAlpn();
                        return alpn && offered.contains("acme-tls/1") ? "acme-tls/1" : "";
                    });
                    Thread handler = new Thread(() -> {
                        try (s) {
                            s.setSoTimeout(5000);
                            s.startHandshake();
                        } catch (IOException ignored) {
                            // The client may well drop the connection after the handshake.
                        }
                    });
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "tls-alpn-responder-" + host);
        t.setDaemon(true);
        t.start();
    }

    private Spec specFor(SSLSocket sock) {
        String sni = sni(sock);
        return sni == null ? null : specs.get(sni);
    }

    private static String sni(SSLSocket sock) {
        if (sock.getHandshakeSession() instanceof ExtendedSSLSession ext) {
            for (SNIServerName n : ext.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName().toLowerCase();
                }
            }
        }
        return null;
    }

    private Object[] materialFor(String sni) {
        return material.computeIfAbsent(sni, n -> {
            Spec spec = specs.get(n);
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair kp = g.generateKeyPair();
                X500Name subject = new X500Name("CN=acme-tls-alpn-01");
                Instant now = Instant.now();
                var b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now
                        .toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                        Date.from(now.plus(1, ChronoUnit.DAYS)), subject, kp.getPublic())
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                                spec.sans().toArray(new GeneralName[0])));
                if (spec.digest() != null) {
                    b.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(
                            "1.3.6.1.5.5.7.1.31"), spec.critical(),
                            new DEROctetString(spec.digest()));
                }
                X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                        b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                                .build(kp.getPrivate())));
                return new Object[] {cert, kp.getPrivate()};
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public void close() {
        for (SSLServerSocket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
    }

    /** Picks the certificate by the SNI of the handshake under way. */
    private final class BySni extends X509ExtendedKeyManager {
        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            String sni = socket instanceof SSLSocket s ? sni(s) : null;
            return sni != null && specs.containsKey(sni) && "EC".equals(keyType) ? sni : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers,
                SSLEngine engine) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {(X509Certificate) materialFor(alias)[0]};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return (PrivateKey) materialFor(alias)[1];
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return specs.keySet().toArray(new String[0]);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
