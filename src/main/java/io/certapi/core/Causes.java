package io.certapi.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** A throwable and its causes, outermost first, each once (a cycle ends the chain). */
public final class Causes {

    private Causes() {
    }

    /** {@code t}, its cause, that one's cause, and so on. */
    public static List<Throwable> of(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }
}
