package io.certapi.flow;

import io.certapi.config.CertapiConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One round trip where the work is quick. A request that finds its order or challenge about to
 * be done (a signature due within {@code certapi.work.max-wait}, a validation attempt running
 * or due as soon) answers when the background worker of this instance reports it done, instead
 * of {@code processing} with a Retry-After. No thread waits meanwhile: the answer is a
 * {@link CompletionStage}, completed by the worker, or by a timer when the work is not done in
 * time (or is done by another instance); the view is then read again, off the event loop.
 */
@ApplicationScoped
public class Completions {

    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final CertapiConfig config;
    private final Clock clock;
    private final Vertx vertx;

    /** Creates the registry. */
    public Completions(CertapiConfig config, Clock clock, Vertx vertx) {
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
    }

    /** Reports the work on {@code key} done: whoever waits for it reads again now. */
    public void done(String key) {
        CompletableFuture<Void> f = waiting.remove(key);
        if (f != null) {
            f.complete(null);
        }
    }

    /**
     * Runs {@code action} (which may start the work on {@code key}) and answers with its view,
     * or, when {@code dueAt} of that view says the work is due within max-wait, with the view
     * {@code reread} gives once the work is done (at the latest max-wait after it was due).
     * The waiter is registered before the action runs, so a worker that finishes at once is
     * not missed.
     */
    public <V> CompletionStage<V> settle(String key, Callable<V> action, Callable<V> reread,
            Function<V, Optional<Instant>> dueAt) {
        Duration max = config.work().maxWait();
        if (max.isZero()) {
            return CompletableFuture.completedFuture(call(action));
        }
        CompletableFuture<Void> shared = waiting.computeIfAbsent(key,
                k -> new CompletableFuture<>());
        V first;
        try {
            first = action.call();
        } catch (Exception e) {
            forget(key, shared);
            throw rethrow(e);
        }
        Optional<Duration> left = dueAt.apply(first).map(at -> {
            Duration d = Duration.between(clock.instant(), at);
            return d.isNegative() ? Duration.ZERO : d;
        });
        if (left.isEmpty() || left.get().compareTo(max) > 0) {
            forget(key, shared);
            return CompletableFuture.completedFuture(first);
        }
        CompletableFuture<Void> mine = shared.copy().completeOnTimeout(null,
                left.get().plus(max).toMillis(), TimeUnit.MILLISECONDS);
        return mine.thenCompose(done -> {
            // Done, or timed out (the work may have been done by another instance).
            waiting.remove(key, shared);
            return vertx.executeBlocking(reread, false).toCompletionStage();
        });
    }

    /** Unregisters a waiter nobody else shares. */
    private void forget(String key, CompletableFuture<Void> shared) {
        if (!shared.isDone() && shared.getNumberOfDependents() == 0) {
            waiting.remove(key, shared);
        }
    }

    private static <V> V call(Callable<V> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Exception e) {
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
}
