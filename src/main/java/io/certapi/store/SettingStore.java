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
}
