package io.certapi.flow;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads for the background workers, so that thread dumps say who is who. */
final class Threads {

    private Threads() {
    }

    /** A factory of daemon threads named {@code prefix-1}, {@code prefix-2} ... */
    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
