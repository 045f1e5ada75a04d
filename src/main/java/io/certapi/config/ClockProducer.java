package io.certapi.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Supplies the {@link Clock}; tests replace it to move time. */
public class ClockProducer {

    /** The system clock in UTC. */
    @Produces
    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }
}
