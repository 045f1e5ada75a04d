package io.certapi.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Keeps {@code certapi.data-dir} private to the user that runs certapi: it holds the database
 * (EAB keys, the nonce key, every account) and the CA's private keys. Directories are mode
 * 0700 and files 0600. Before anything is written at start, a data directory that others can
 * read is repaired, and the log says what was; after start, the files the database created
 * (with the process's umask, inside the already private directory) are made 0600 too.
 */
@ApplicationScoped
public class DataDirectory {

    private static final Logger LOG = Logger.getLogger(DataDirectory.class);
    /** Mode of every directory under the data directory. */
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    /** Mode of every file under the data directory. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews()
            .contains("posix");

    private final Path dir;

    /** Creates the guard of the configured data directory. */
    public DataDirectory(CertapiConfig config) {
        this.dir = Path.of(config.dataDir());
    }

    /** After start: the database's own files, created inside the private directory, to 0600. */
    void afterStart(@Observes StartupEvent ev) {
        List<Path> repaired = secure(dir);
        if (!repaired.isEmpty()) {
            LOG.debugf("made private after start: %s", repaired);
        }
    }

    /**
     * Creates {@code dir} (mode 0700) if missing; otherwise makes every directory and file under
     * it that group or others may access private, logging a warning that names them.
     */
    public static void secureAtStart(Path dir) {
        List<Path> repaired = secure(dir);
        if (!repaired.isEmpty()) {
            LOG.warnf("the data directory %s was readable by other users; made private (0700"
                    + " directories, 0600 files): %s", dir, repaired);
        }
    }

    /** Creates {@code dir} and whichever of its parents are missing, each with mode 0700. */
    public static void createPrivate(Path dir) {
        try {
            Path abs = dir.toAbsolutePath();
            if (Files.isDirectory(abs)) {
                return;
            }
            Path top = abs;
            while (top.getParent() != null && !Files.exists(top.getParent())) {
                top = top.getParent();
            }
            Files.createDirectories(abs);
            for (Path p = abs; p != null && p.startsWith(top); p = p.getParent()) {
                setMode(p, DIR);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Makes everything under {@code dir} private; returns what had to change. */
    static List<Path> secure(Path dir) {
        List<Path> repaired = new ArrayList<>();
        if (!POSIX) {
            return repaired;
        }
        createPrivate(dir);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> want = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        ? DIR : FILE;
                Set<PosixFilePermission> have = Files.getPosixFilePermissions(p,
                        LinkOption.NOFOLLOW_LINKS);
                if (!have.equals(want)) {
                    setMode(p, want);
                    repaired.add(dir.relativize(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir + " private", e);
        }
        return repaired;
    }

    private static void setMode(Path p, Set<PosixFilePermission> mode) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(p, mode);
        }
    }
}
