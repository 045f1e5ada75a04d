package io.certapi.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * Empties {@code target/test-lifecycle} before the server of a test profile starts, so that a
 * test counting CA certificates sees only what its own run made.
 */
public final class FreshDataDir implements QuarkusTestResourceLifecycleManager {

    /** The data directory it empties. */
    public static final Path DIR = Path.of("target/test-lifecycle");

    @Override
    public Map<String, String> start() {
        if (Files.exists(DIR)) {
            try (var files = Files.walk(DIR)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.of("certapi.data-dir", DIR.toString());
    }

    @Override
    public void stop() {
        // Left in place for a look after a failure.
    }
}
