package io.certapi.flow;

import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Certificate profiles, as Let's Encrypt and Pebble offer them: "default" (from
 * {@code certapi.certificate.*}) and every {@code certapi.profiles.<name>}. A newOrder names
 * one with "profile"; the directory lists them in meta.profiles.
 */
@ApplicationScoped
public class Profiles {

    /** The profile of an order that names none. */
    public static final String DEFAULT = "default";

    /**
     * What a profile makes.
     *
     * @param name        its name
     * @param description what it is for
     * @param lifetime    certificate lifetime when the order asks for none
     * @param includeCn   whether the first DNS name is the subject CN
     * @param clientAuth  whether clientAuth is an extended key usage
     * @param maxLifetime the longest lifetime an order may ask for with notBefore/notAfter
     * @param keyEncipherment whether RSA keys also get the keyEncipherment key usage
     */
    public record Settings(String name, String description, Duration lifetime, boolean includeCn,
            boolean clientAuth, Duration maxLifetime, boolean keyEncipherment) {
    }

    private final Map<String, Settings> all;

    /** Reads the profiles from configuration. */
    public Profiles(CertapiConfig config) {
        Map<String, Settings> m = new TreeMap<>();
        m.put(DEFAULT, new Settings(DEFAULT, "Certificates of " + config.certificate().lifetime()
                + ", serverAuth and clientAuth, with a CN", config.certificate().lifetime(),
                true, true, config.certificate().maxLifetime(), true));
        config.profiles().forEach((name, p) -> m.put(name, new Settings(name,
                p.description().orElse("Certificates of " + p.lifetime()),
                p.lifetime(), p.includeCn(), p.clientAuth(),
                p.maxLifetime().orElse(max(p.lifetime(), config.certificate().maxLifetime())),
                p.keyEncipherment())));
        this.all = Map.copyOf(m);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) > 0 ? a : b;
    }

    /** Every profile by name. */
    public Map<String, Settings> all() {
        return all;
    }

    /** The profile named, or "default"; invalidProfile for an unknown name. */
    public Settings resolve(Optional<String> name) {
        String n = name.orElse(DEFAULT);
        Settings s = all.get(n);
        if (s == null) {
            throw AcmeProblem.of(ProblemType.INVALID_PROFILE, "there is no profile \""
                    + io.certapi.core.Texts.clip(n) + "\"; this server offers "
                    + new TreeMap<>(all).keySet());
        }
        return s;
    }
}
