package io.certapi.flow;

import io.certapi.core.Status;
import io.certapi.store.AuthorizationEntity;
import io.certapi.store.OrderEntity;
import java.time.Instant;
import java.util.List;

/** Every derived status, computed in this one place (RFC 8555 §7.1.6). */
public final class Statuses {

    private Statuses() {
    }

    /** An authorization's status: pending and valid ones turn expired at their expiry. */
    public static Status authorization(AuthorizationEntity a, Instant now) {
        Status stored = Status.fromWire(a.status);
        if ((stored == Status.PENDING || stored == Status.VALID) && !now.isBefore(a.expiresAt)) {
            return Status.EXPIRED;
        }
        return stored;
    }

    /**
     * An order's status. The stored phase decides for processing, valid and invalid orders;
     * a pending order is invalid once it expired or any authorization failed, ready once all
     * are valid, pending otherwise.
     */
    public static Status order(OrderEntity o, List<AuthorizationEntity> authzs, Instant now) {
        Status stored = Status.fromWire(o.status);
        if (stored != Status.PENDING) {
            return stored;
        }
        if (!now.isBefore(o.expiresAt)) {
            return Status.INVALID;
        }
        boolean allValid = true;
        for (AuthorizationEntity a : authzs) {
            Status s = authorization(a, now);
            if (s == Status.INVALID || s == Status.DEACTIVATED || s == Status.EXPIRED
                    || s == Status.REVOKED) {
                return Status.INVALID;
            }
            allValid &= s == Status.VALID;
        }
        return allValid ? Status.READY : Status.PENDING;
    }
}
