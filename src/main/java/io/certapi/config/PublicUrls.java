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

    /** Computes the base URL once. */
    public PublicUrls(CertapiConfig config,
            @ConfigProperty(name = "quarkus.http.ssl-port", defaultValue = "8443") int sslPort) {
        this.base = stripSlash(config.baseUrl().orElse("https://" + config.domain() + ":" + sslPort));
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
