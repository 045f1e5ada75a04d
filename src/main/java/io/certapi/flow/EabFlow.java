package io.certapi.flow;

import io.certapi.core.AcmeProblem;
import io.certapi.core.Ids;
import io.certapi.core.Texts;
import io.certapi.store.EabKeyEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * External Account Binding keys (RFC 8555 §7.3.4), managed through the admin API: created with
 * a random key id and a 256-bit HMAC key, listed, disabled. A key binds one account; a disabled
 * key binds none (accounts already bound with it stay as they are).
 */
@ApplicationScoped
public class EabFlow {

    private static final Logger LOG = Logger.getLogger(EabFlow.class);

    private final Clock clock;

    /** Creates the flow. */
    public EabFlow(Clock clock) {
        this.clock = clock;
    }

    /**
     * An EAB key as the admin API shows it.
     *
     * @param keyId      the key id
     * @param hmacKey    the HMAC key, base64url; only in the answer that creates it
     * @param label      the operator's note
     * @param status     valid or disabled
     * @param accountId  the account bound with it, if any
     * @param createdAt  creation time
     * @param disabledAt when it was disabled, if it was
     */
    public record EabKeyView(String keyId, Optional<String> hmacKey, Optional<String> label,
            String status, Optional<String> accountId, Instant createdAt,
            Optional<Instant> disabledAt) {
    }

    /** Creates a key. */
    @Transactional
    public EabKeyView create(Optional<String> label) {
        if (label.isPresent() && label.get().length() > 255) {
            throw AcmeProblem.malformed("an EAB key label has at most 255 characters");
        }
        EabKeyEntity k = new EabKeyEntity();
        k.keyId = "kid-" + Ids.random();
        k.hmacKey = Ids.randomBase64Url(32);
        k.label = label.orElse(null);
        k.status = "valid";
        k.createdAt = clock.instant();
        k.persist();
        LOG.infof("EAB key %s created%s", k.keyId, label.map(l -> " (" + l + ")").orElse(""));
        return view(k, true);
    }

    /** Every key, newest first, without the HMAC keys. */
    @Transactional
    public List<EabKeyView> list() {
        return EabKeyEntity.newestFirst().stream().map(k -> view(k, false)).toList();
    }

    /** Disables a key: no new account can bind with it. */
    @Transactional
    public EabKeyView disable(String keyId) {
        EabKeyEntity k = EabKeyEntity.findByKeyId(keyId).orElseThrow(() ->
                AcmeProblem.malformed("no EAB key \"" + Texts.clip(keyId) + "\"").withStatus(404));
        if (!"disabled".equals(k.status)) {
            k.status = "disabled";
            k.disabledAt = clock.instant();
            LOG.infof("EAB key %s disabled", k.keyId);
        }
        return view(k, false);
    }

    private static EabKeyView view(EabKeyEntity k, boolean withSecret) {
        return new EabKeyView(k.keyId, withSecret ? Optional.of(k.hmacKey) : Optional.empty(),
                Optional.ofNullable(k.label), k.status, Optional.ofNullable(k.accountId),
                k.createdAt, Optional.ofNullable(k.disabledAt));
    }
}
