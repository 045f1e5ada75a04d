package io.certapi.ca;

import io.certapi.config.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Files of the CA under the data directory. Every write goes to a temporary file first and is
 * then moved into place atomically, so a crash never leaves half a key. Every file is created
 * readable by the owner only (mode 0600) before any byte is written to it, in a directory of
 * mode 0700, as everything under the data directory is.
 */
public final class KeyFiles {

    private static final Set<PosixFilePermission> OWNER_FILE =
            PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    /** The file's text, if it exists. */
    public static Optional<String> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes a public file (certificate); private all the same, as the whole data dir is. */
    static void writePublic(Path file, String content) {
        write(file, content);
    }

    /** Writes a secret file (private key), mode 0600 from its creation on. */
    public static void writeSecret(Path file, String content) {
        write(file, content);
    }

    private static void write(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            DataDirectory.createPrivate(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            setPermissions(tmp, OWNER_FILE);
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException notPosix) {
            // Non-POSIX file systems (Windows) keep their default ACLs.
        }
    }
}
