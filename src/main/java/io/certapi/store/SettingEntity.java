package io.certapi.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Optional;

/** A named server-wide secret or setting shared by every instance (e.g. the nonce key). */
@Entity
@Table(name = "acme_setting")
public class SettingEntity extends PanacheEntityBase {

    /** Setting name. */
    @Id
    public String name;

    /** Setting content. */
    public String content;

    /** The setting with this name, if any. */
    public static Optional<SettingEntity> findByName(String name) {
        return findByIdOptional(name);
    }
}
