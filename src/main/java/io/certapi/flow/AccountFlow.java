package io.certapi.flow;

import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.Ids;
import io.certapi.core.ProblemType;
import io.certapi.core.Status;
import io.certapi.flow.Views.AccountView;
import io.certapi.flow.Views.OrdersPage;
import io.certapi.policy.ContactPolicy;
import io.certapi.store.AccountEntity;
import io.certapi.store.EabKeyEntity;
import io.certapi.store.OrderEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/** Accounts (RFC 8555 §7.3): registration, lookup, update, deactivation, key change. */
@ApplicationScoped
public class AccountFlow {

    private static final Logger LOG = Logger.getLogger(AccountFlow.class);

    private final CertapiConfig config;
    private final Clock clock;
    private final RateLimits limits;
    private final Audit audit;

    /** Creates the flow. */
    public AccountFlow(CertapiConfig config, Clock clock, RateLimits limits, Audit audit) {
        this.audit = audit;
        this.config = config;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * What a newAccount request asks for.
     *
     * @param thumbprint         RFC 7638 thumbprint of the request's jwk
     * @param jwkJson            the jwk, as JSON
     * @param contacts           contact URLs (may be empty)
     * @param termsAgreed        termsOfServiceAgreed, if given
     * @param onlyReturnExisting whether only an existing account may be returned
     * @param binding            the externalAccountBinding, when given (its form checked)
     * @param source             the address the request came from, for new-accounts-per-ip
     */
    public record NewAccount(String thumbprint, String jwkJson, List<String> contacts,
            Optional<Boolean> termsAgreed, boolean onlyReturnExisting,
            Optional<Binding> binding, String source) {
    }

    /**
     * A well-formed external account binding (RFC 8555 §7.3.4).
     *
     * @param keyId       the EAB key id it names
     * @param macVerifies whether its MAC is right for a given HMAC key
     */
    public record Binding(String keyId, Predicate<byte[]> macVerifies) {
    }

    /**
     * The outcome of newAccount.
     *
     * @param account the account
     * @param created whether it was created by this request (201) or existed (200)
     */
    public record Registration(AccountView account, boolean created) {
    }

    /** newAccount (RFC 8555 §7.3, §7.3.1). */
    @Transactional
    public Registration register(NewAccount req) {
        Optional<AccountEntity> existing = AccountEntity.findByThumbprint(req.thumbprint());
        if (existing.isPresent()) {
            AccountEntity a = existing.get();
            if (!Status.VALID.wire().equals(a.status)) {
                throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the account of this key is "
                        + a.status + " and can no longer be used");
            }
            return new Registration(view(a), false);
        }
        if (req.onlyReturnExisting()) {
            throw AcmeProblem.of(ProblemType.ACCOUNT_DOES_NOT_EXIST,
                    "no account exists for this key, and onlyReturnExisting was set");
        }
        if (config.directory().termsOfService().isPresent()
                && !req.termsAgreed().orElse(false)) {
            throw AcmeProblem.malformed("this server has terms of service at "
                    + config.directory().termsOfService().get()
                    + "; set termsOfServiceAgreed to true to agree to them");
        }
        if (req.binding().isEmpty() && config.eab().required()) {
            throw AcmeProblem.of(ProblemType.EXTERNAL_ACCOUNT_REQUIRED,
                    "this server requires an externalAccountBinding with newAccount; ask its"
                            + " operator for an EAB key id and HMAC key");
        }
        Optional<EabKeyEntity> eabKey = req.binding().map(AccountFlow::checkBinding);
        List<String> contacts = ContactPolicy.check(req.contacts(),
                config.account().maxContacts());
        limits.newAccount(req.source());
        AccountEntity a = new AccountEntity();
        a.id = Ids.random();
        a.status = Status.VALID.wire();
        a.jwk = req.jwkJson();
        a.keyThumbprint = req.thumbprint();
        a.contacts = FlowJson.write(contacts);
        a.termsAgreed = req.termsAgreed().orElse(false);
        a.createdAt = clock.instant();
        eabKey.ifPresent(k -> a.eabKeyId = k.keyId);
        a.persist();
        if (eabKey.isPresent() && !EabKeyEntity.compareAndSetBound(a.eabKeyId, a.id)) {
            // A concurrent newAccount bound the key first; this transaction rolls back.
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the EAB key " + a.eabKeyId
                    + " is already bound to an account");
        }
        audit.log("account.created", "account", a.id, "contacts", contacts, "eabKey",
                a.eabKeyId, "source", req.source(), "keyThumbprint", a.keyThumbprint);
        LOG.infof("account %s created (contacts %s%s)", a.id, contacts,
                a.eabKeyId == null ? "" : ", EAB key " + a.eabKeyId);
        return new Registration(view(a), true);
    }

    /** The EAB key a binding names, once its MAC verifies and it is free to bind. */
    private static EabKeyEntity checkBinding(Binding binding) {
        EabKeyEntity key = EabKeyEntity.findByKeyId(binding.keyId())
                .filter(k -> "valid".equals(k.status))
                .orElseThrow(() -> AcmeProblem.of(ProblemType.UNAUTHORIZED,
                        "the externalAccountBinding names no usable EAB key: \""
                                + io.certapi.core.Texts.clip(binding.keyId())
                                + "\" is unknown or disabled"));
        byte[] hmac = io.certapi.core.Base64Url.decode(key.hmacKey).orElseThrow();
        if (!binding.macVerifies().test(hmac)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the externalAccountBinding MAC does"
                    + " not verify with the HMAC key of " + key.keyId);
        }
        if (key.accountId != null) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the EAB key " + key.keyId
                    + " is already bound to an account");
        }
        return key;
    }

    /** The account, for POST-as-GET on its URL. */
    @Transactional
    public AccountView get(String accountId) {
        return view(find(accountId));
    }

    /** Replaces the contacts and/or deactivates (RFC 8555 §7.3.2, §7.3.6). */
    @Transactional
    public AccountView update(String accountId, Optional<List<String>> contacts,
            Optional<String> status) {
        AccountEntity a = find(accountId);
        if (status.isPresent() && !Status.DEACTIVATED.wire().equals(status.get())) {
            throw AcmeProblem.malformed("an account's status can only be set to \"deactivated\","
                    + " not \"" + status.get() + "\"");
        }
        if (contacts.isPresent()) {
            a.contacts = FlowJson.write(ContactPolicy.check(contacts.get(),
                    config.account().maxContacts()));
        }
        if (status.isPresent()) {
            a.status = Status.DEACTIVATED.wire();
            LOG.infof("account %s deactivated", a.id);
            audit.log("account.deactivated", "account", a.id);
        }
        return view(a);
    }

    /**
     * The outcome of a key change.
     *
     * @param account          the account with its new key, when changed
     * @param conflictingAccount the account that already has the new key, when not
     */
    public record KeyChange(Optional<AccountView> account, Optional<String> conflictingAccount) {
    }

    /**
     * Account key rollover (RFC 8555 §7.3.5), after the web layer verified both JWSs: the old
     * key named in the inner payload must be the account's current key, and the new key must
     * not belong to any account; a compare-and-set on the old key lets only one of two racing
     * rollovers win.
     */
    @Transactional
    public KeyChange changeKey(String accountId, String oldKeyThumbprint, String newThumbprint,
            String newJwkJson) {
        AccountEntity a = find(accountId);
        if (!a.keyThumbprint.equals(oldKeyThumbprint)) {
            throw AcmeProblem.malformed("the inner payload's oldKey is not the account's current"
                    + " key (RFC 8555 §7.3.5)");
        }
        Optional<AccountEntity> holder = AccountEntity.findByThumbprint(newThumbprint);
        if (holder.isPresent()) {
            return new KeyChange(Optional.empty(), Optional.of(holder.get().id));
        }
        if (!AccountEntity.compareAndSetKey(a.id, oldKeyThumbprint, newThumbprint, newJwkJson)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the account key was changed by a"
                    + " concurrent request; sign with the current key");
        }
        LOG.infof("account %s rolled its key over", a.id);
        audit.log("account.key-changed", "account", a.id, "oldKeyThumbprint", oldKeyThumbprint,
                "newKeyThumbprint", newThumbprint);
        AccountEntity.getEntityManager().refresh(a);
        return new KeyChange(Optional.of(view(a)), Optional.empty());
    }

    /** One page of the account's orders (RFC 8555 §7.1.2.1). */
    @Transactional
    public OrdersPage orders(String accountId, int page) {
        find(accountId);
        int size = config.account().ordersPageSize();
        // One row more than a page tells whether a next page exists.
        List<OrderEntity> rows = OrderEntity.listForAccount(accountId, clock.instant(),
                page * size, size + 1);
        boolean more = rows.size() > size;
        return new OrdersPage(rows.stream().limit(size).map(o -> o.id).toList(), more);
    }

    private static AccountEntity find(String id) {
        return AccountEntity.findById(id).orElseThrow(() -> AcmeProblem.of(
                ProblemType.ACCOUNT_DOES_NOT_EXIST, "no account " + id));
    }

    private static AccountView view(AccountEntity a) {
        return new AccountView(a.id, Status.fromWire(a.status), FlowJson.strings(a.contacts),
                a.termsAgreed, a.createdAt);
    }
}
