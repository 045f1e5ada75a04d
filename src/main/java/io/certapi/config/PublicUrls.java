package io.certapi.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * URLs that must be known without a request, such as the issuer URL written into every
 * certificate: {@code certapi.base-url} when set, else the HTTPS listener on
 * {@code certapi.domain}.
 */
@ApplicationScoped
public class PublicUrls {

    private final String base;
    private final String revocationBase;

    /** Computes the base URLs once. */
    public PublicUrls(CertapiConfig config,
            @ConfigProperty(name = "quarkus.http.ssl-port", defaultValue = "8443") int sslPort,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int httpPort) {
        this.base = stripSlash(config.baseUrl().orElse("https://" + config.domain() + ":" + sslPort));
        this.revocationBase = stripSlash(config.revocation().baseUrl().orElse("http://"
                + config.domain() + (httpPort == 80 ? "" : ":" + httpPort)));
        if (!revocationBase.startsWith("http://")) {
            throw new IllegalArgumentException("certapi.revocation.base-url must be a plain"
                    + " http:// URL: OCSP clients and CRL fetchers (nginx, certbot) do not follow"
                    + " https (RFC 5019 §5); got " + revocationBase);
        }
    }

    /**
     * The base of the OCSP, CRL and CA-issuer URLs written into certificates: plain HTTP,
     * without a trailing slash.
     */
    public String revocationBase() {
        return revocationBase;
    }

    /** The base URL, without a trailing slash. */
    public String base() {
        return base;
    }

    /** Strips trailing slashes. */
    public static String stripSlash(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
