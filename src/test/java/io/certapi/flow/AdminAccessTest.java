package io.certapi.flow;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin token: configured, or created once in the data directory, owner-only. */
class AdminAccessTest {

    @TempDir
    Path dir;

    private CertapiConfig config(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("certapi.data-dir", dir.toString()));
        values.putAll(extra);
        return new SmallRyeConfigBuilder().withMapping(CertapiConfig.class)
                .withConverter(Duration.class, 200,
                        new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(values).build().getConfigMapping(CertapiConfig.class);
    }

    @Test
    void aTokenIsCreatedOnceOwnerOnlyAndThenRequired() throws Exception {
        AdminAccess first = new AdminAccess(config(Map.of()));
        Path file = dir.resolve("admin.token");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));
        String token = Files.readString(file).trim();
        assertEquals(43, token.length(), "256 random bits, base64url");
        assertDoesNotThrow(() -> first.check(Optional.of("Bearer " + token)));
        assertDoesNotThrow(() -> first.check(Optional.of("bearer " + token)));
        // Read back, not replaced, by the next start.
        AdminAccess second = new AdminAccess(config(Map.of()));
        assertDoesNotThrow(() -> second.check(Optional.of("Bearer " + token)));
        for (Optional<String> bad : java.util.List.of(Optional.<String>empty(),
                Optional.of("Bearer"), Optional.of("Bearer " + token + "x"),
                Optional.of("Basic " + token), Optional.of(token))) {
            AcmeProblem p = assertThrows(AcmeProblem.class, () -> second.check(bad));
            assertEquals(401, p.status(), bad.toString());
        }
    }

    @Test
    void aConfiguredTokenIsUsedAndNoFileWritten() {
        AdminAccess access = new AdminAccess(config(Map.of("certapi.admin.token", "s3cret")));
        assertDoesNotThrow(() -> access.check(Optional.of("Bearer s3cret")));
        assertEquals(false, Files.exists(dir.resolve("admin.token")));
    }

    @Test
    void switchedOffItAnswersNotFound() {
        AdminAccess access = new AdminAccess(config(Map.of("certapi.admin.enabled", "false",
                "certapi.admin.token", "s3cret")));
        assertEquals(404, assertThrows(AcmeProblem.class,
                () -> access.check(Optional.of("Bearer s3cret"))).status());
    }
}
