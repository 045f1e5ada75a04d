package io.certapi.flow;

import io.certapi.ca.KeyFiles;
import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.Ids;
import io.certapi.core.ProblemType;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Who may use the admin API: requests carrying {@code Authorization: Bearer <token>} with the
 * token of certapi.admin.token, or else of {@code <data-dir>/admin.token}, created at first
 * start (eagerly, so that the operator finds it at once) readable by its owner only. ACME
 * clients never hold it: the API is closed to them.
 */
@ApplicationScoped
@Startup
public class AdminAccess {

    private static final Logger LOG = Logger.getLogger(AdminAccess.class);

    private final boolean enabled;
    private final byte[] token;

    /** Reads or creates the token. */
    public AdminAccess(CertapiConfig config) {
        this.enabled = config.admin().enabled();
        this.token = config.admin().token().orElseGet(() -> tokenFile(config.dataDir()))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String tokenFile(String dataDir) {
        Path file = Path.of(dataDir, "admin.token");
        return KeyFiles.read(file).map(String::trim).orElseGet(() -> {
            String created = Ids.randomBase64Url(32);
            KeyFiles.writeSecret(file, created + "\n");
            LOG.infof("admin API token created in %s", file.toAbsolutePath());
            return created;
        });
    }

    /** Refuses a request without the admin token: 401, or 404 when the API is off. */
    public void check(Optional<String> authorization) {
        if (!enabled) {
            throw AcmeProblem.malformed("the admin API is off (certapi.admin.enabled)")
                    .withStatus(404);
        }
        String presented = authorization.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim()).orElse("");
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the admin API needs"
                    + " \"Authorization: Bearer <token>\" with the token of certapi.admin.token"
                    + " or <data-dir>/admin.token").withStatus(401);
        }
    }
}
