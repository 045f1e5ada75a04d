package io.certapi.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A challenge of an authorization, and the validation work queued for it. */
@Entity
@Table(name = "acme_challenge")
public class ChallengeEntity extends PanacheEntityBase {

    /** Random id. */
    @Id
    public String id;

    /** The authorization it belongs to. */
    @Column(name = "authz_id")
    public String authzId;

    /** http-01, dns-01 or tls-alpn-01. */
    @Column(name = "challenge_type")
    public String type;

    /** The token (RFC 8555 §8.1), 128 random bits base64url. */
    public String token;

    /** pending, processing, valid or invalid. */
    public String status;

    /** When it became valid. */
    @Column(name = "validated_at")
    public Instant validatedAt;

    /** The problem that made it invalid, as JSON. */
    public String error;

    /** The validation records (transcript), as a JSON array. */
    public String validation;

    /** How many validation attempts were made. */
    public int attempts;

    /** When a worker should next try to validate it (while processing). */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** Until when a worker holds it. */
    @Column(name = "claimed_until")
    public Instant claimedUntil;

    /** The challenge with this id, if any. */
    public static Optional<ChallengeEntity> findById(String id) {
        return findByIdOptional(id);
    }

    /** The challenges of one authorization, in a stable order. */
    public static List<ChallengeEntity> findByAuthz(String authzId) {
        return list("authzId = ?1 order by type", authzId);
    }

    /** Processing challenges whose attempt is due and that no live worker holds. */
    public static List<String> findDueIds(Instant now, int limit) {
        return find("select c.id from ChallengeEntity c where c.status = 'processing'"
                + " and c.nextAttemptAt <= ?1 and (c.claimedUntil is null or c.claimedUntil < ?1)"
                + " order by c.nextAttemptAt", now)
                .project(String.class).page(0, limit).list();
    }
}
