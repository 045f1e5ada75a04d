package io.certapi.ca;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The HTTPS listener's key manager: every TLS handshake asks it for the certificate to present,
 * so replacing its material swaps the certificate for every new connection at once, with no
 * rebuilt SSL context and no window in which a connection could fail. Open connections keep the
 * certificate they were handshaken with. The previous material stays answerable for a handshake
 * that chose its alias just before a swap.
 */
final class SwappableKeyManager extends X509ExtendedKeyManager {

    private record Material(String alias, String keyType, PrivateKey key,
            X509Certificate[] chain) {
    }

    private volatile Material current;
    private volatile Material previous;

    /** Makes {@code chain} (leaf first) and its key the ones presented from now on. */
    synchronized void set(PrivateKey key, X509Certificate[] chain) {
        String keyType = chain[0].getPublicKey() instanceof ECPublicKey ? "EC" : "RSA";
        previous = current;
        current = new Material("certapi-" + chain[0].getSerialNumber().toString(16), keyType,
                key, chain.clone());
    }

    private Material find(String alias) {
        Material c = current;
        if (c != null && c.alias().equals(alias)) {
            return c;
        }
        Material p = previous;
        return p != null && p.alias().equals(alias) ? p : null;
    }

    private String aliasFor(String keyType) {
        Material c = current;
        return c != null && keyType != null && keyType.startsWith(c.keyType()) ? c.alias() : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Material m = find(alias);
        return m == null ? null : m.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Material m = find(alias);
        return m == null ? null : m.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
