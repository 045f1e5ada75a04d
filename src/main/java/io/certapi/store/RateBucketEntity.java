package io.certapi.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A rate limit's token bucket for one subject, shared by every instance. */
@Entity
@Table(name = "acme_rate_bucket")
public class RateBucketEntity extends PanacheEntityBase {

    /** Limit name and subject, "new-orders-per-account:abc". */
    @Id
    @Column(name = "bucket_key")
    public String key;

    /** How much of the limit was in use at {@link #updatedAt}; it drains from then on. */
    public double used;

    /** When the bucket was last used. */
    @Column(name = "updated_at")
    public Instant updatedAt;
}
