package io.certapi.store;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** Server-wide settings that every instance on the same database must share. */
@ApplicationScoped
public class SettingStore {

    /**
     * Returns the setting {@code name}, creating it from {@code initial} if it does not exist.
     * When two instances create it at once, the loser reads the winner's value.
     */
    public String getOrCreate(String name, Supplier<String> initial) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> SettingEntity.findByName(name)
                    .map(s -> s.content)
                    .orElseGet(() -> {
                        SettingEntity s = new SettingEntity();
                        s.name = name;
                        s.content = initial.get();
                        s.persistAndFlush();
                        return s.content;
                    }));
        } catch (RuntimeException raced) {
            return QuarkusTransaction.requiringNew().call(() -> SettingEntity.findByName(name)
                    .map(s -> s.content)
                    .orElseThrow(() -> raced));
        }
    }

    /**
     * Claims the lease {@code name} until {@code until} if no one holds it at {@code now}:
     * one compare-and-set, so that of several instances only one does a server-wide job (such
     * as rotating the CA) at a time. Returns whether this call got it.
     */
    public boolean claim(String name, java.time.Instant now, java.time.Instant until) {
        getOrCreate(name, () -> stamp(java.time.Instant.EPOCH));
        return QuarkusTransaction.requiringNew().call(() -> SettingEntity.update(
                "content = ?1 where name = ?2 and content < ?3", stamp(until), name,
                stamp(now)) == 1);
    }

    /** Lets go of a lease before it lapses. */
    public void release(String name) {
        QuarkusTransaction.requiringNew().run(() -> SettingEntity.update(
                "content = ?1 where name = ?2", stamp(java.time.Instant.EPOCH), name));
    }

    /** Epoch milliseconds, zero-padded so that text order is time order. */
    private static String stamp(java.time.Instant t) {
        return String.format("%020d", t.toEpochMilli());
    }
}
