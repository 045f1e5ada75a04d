package io.certapi.web;

import io.certapi.ca.CertificateAuthority;
import io.certapi.config.CertapiConfig;
import io.certapi.config.PublicUrls;
import io.certapi.validation.DnsResolver;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What a person starting certapi needs to know, at every start, in one block: where clients
 * point (the directory on both listeners), what they must trust (the root's file), how the
 * validator resolves names, where the admin token is, and whether accounts need an external
 * account binding.
 */
@ApplicationScoped
public class StartupSummary {

    private static final Logger LOG = Logger.getLogger(StartupSummary.class);

    private final CertapiConfig config;
    private final PublicUrls urls;
    private final CertificateAuthority ca;
    private final DnsResolver dns;
    private final int httpPort;

    /** Creates the summary. */
    public StartupSummary(CertapiConfig config, PublicUrls urls, CertificateAuthority ca,
            DnsResolver dns, @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
            int httpPort) {
        this.config = config;
        this.urls = urls;
        this.ca = ca;
        this.dns = dns;
        this.httpPort = httpPort;
    }

    /** Last of the start-up work, so that everything it names exists. */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 900) StartupEvent ev) {
        LOG.info(text());
    }

    /** The summary. */
    String text() {
        String directory = urls.base() + Links.DIRECTORY;
        String plain = "http://" + config.domain() + ":" + httpPort + Links.DIRECTORY;
        Path root = ca.rootPemPath().toAbsolutePath();
        String admin = !config.admin().enabled() ? "off (certapi.admin.enabled=false)"
                : "token " + (config.admin().token().isPresent() ? "from certapi.admin.token"
                        : "in " + Path.of(config.dataDir(), "admin.token").toAbsolutePath())
                        + (config.admin().plainHttp() ? "" : "; HTTPS only");
        return "certapi is ready\n"
                + "  ACME directory:      " + directory
                + (directory.equals(plain) ? "" : "\n                       " + plain
                        + " (plain HTTP, for use behind a TLS proxy)") + "\n"
                + "  clients must trust:  " + root + " (also served at " + urls.base()
                + "/roots/0)\n"
                + "  validation DNS:      " + ("system".equals(dns.description())
                        ? "the system's resolvers (certapi.validation.dns-resolver picks one)"
                        : dns.description()) + "\n"
                + "  admin API:           " + admin + "\n"
                + "  new accounts:        " + (config.eab().required()
                        ? "need an external account binding (create keys: POST /admin/eab-keys)"
                        : "open (no external account binding required)");
    }
}
