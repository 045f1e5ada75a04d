package io.certapi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory is made private: created so, and repaired when others could read it. */
class DataDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingDirectoryIsCreatedPrivateWithEveryMissingLevel() throws Exception {
        Path dir = tmp.resolve("a/b/data");
        DataDirectory.createPrivate(dir.resolve("ca/keys"));
        for (Path p : List.of(tmp.resolve("a"), tmp.resolve("a/b"), dir, dir.resolve("ca"),
                dir.resolve("ca/keys"))) {
            assertEquals("rwx------", mode(p), p.toString());
        }
    }

    @Test
    void aDirectoryOthersCanReadIsRepairedAndNamed() throws Exception {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir.resolve("ca/keys"));
        Files.writeString(dir.resolve("certapi.mv.db"), "x");
        Files.writeString(dir.resolve("ca/keys/k.key"), "secret");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("ca"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(dir.resolve("certapi.mv.db"),
                PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir.resolve("ca/keys/k.key"),
                PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("ca/keys"),
                PosixFilePermissions.fromString("rwx------"));

        List<Path> repaired = DataDirectory.secure(dir);

        assertEquals(List.of(Path.of(""), Path.of("ca"), Path.of("certapi.mv.db")),
                repaired.stream().sorted().toList(), "what was open is named, nothing else");
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode(p),
                        p.toString());
            }
        }
        assertTrue(DataDirectory.secure(dir).isEmpty(), "a private directory is left alone");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
