package io.certapi.flow;

import io.certapi.config.CertapiConfig;
import io.certapi.config.DataDirectory;
import io.certapi.core.AcmeProblem;
import io.certapi.store.DatabaseBackup;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.jboss.logging.Logger;

/**
 * An online backup of an H2 deployment: one archive under {@code <data-dir>/backups} holding a
 * consistent copy of the database (accounts, orders, certificates, the CA with its wrapped
 * keys) and the root certificate clients trust. The key-encryption key is left out on purpose:
 * with it, the archive gives the CA's keys, so it is kept apart (docs/operating.md). On
 * PostgreSQL, pg_dump is the tool.
 */
@ApplicationScoped
public class Backup {

    private static final Logger LOG = Logger.getLogger(Backup.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter
            .ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final DatabaseBackup database;
    private final Path dataDir;
    private final Clock clock;
    private final Audit audit;

    /** Creates the backup. */
    public Backup(DatabaseBackup database, CertapiConfig config, Clock clock, Audit audit) {
        this.database = database;
        this.dataDir = Path.of(config.dataDir());
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * A backup written.
     *
     * @param file      the archive
     * @param bytes     its size
     * @param createdAt when the copy was taken
     * @param contents  what it holds
     * @param note      what it does not hold, and what to do about it
     */
    @RegisterForReflection
    public record Written(String file, long bytes, Instant createdAt,
            java.util.List<String> contents, String note) {
    }

    /** Writes a backup now; refused on PostgreSQL, with what to do instead. */
    public synchronized Written now() {
        if (!database.isH2()) {
            throw AcmeProblem.malformed("the database is PostgreSQL: back it up with pg_dump"
                    + " (docs/operating.md, Backup), and keep the key-encryption key apart")
                    .withStatus(501);
        }
        Instant at = clock.instant();
        Path dir = dataDir.resolve("backups");
        DataDirectory.createPrivate(dir);
        Path db = dir.resolve(".database-" + STAMP.format(at) + ".zip");
        Path archive = dir.resolve("certapi-" + STAMP.format(at) + ".zip");
        java.util.List<String> contents = new java.util.ArrayList<>();
        try {
            database.h2To(db);
            Path tmp = Files.createTempFile(dir, ".certapi-", ".zip");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            try (OutputStream out = Files.newOutputStream(tmp);
                    ZipOutputStream zip = new ZipOutputStream(out);
                    InputStream in = Files.newInputStream(db);
                    ZipInputStream copy = new ZipInputStream(in)) {
                for (ZipEntry e = copy.getNextEntry(); e != null; e = copy.getNextEntry()) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    copy.transferTo(zip);
                    zip.closeEntry();
                    contents.add(e.getName());
                }
                Path root = dataDir.resolve("ca/root.pem");
                if (Files.exists(root)) {
                    zip.putNextEntry(new ZipEntry("ca/root.pem"));
                    Files.copy(root, zip);
                    zip.closeEntry();
                    contents.add("ca/root.pem");
                }
            }
            Files.move(tmp, archive, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            long bytes = Files.size(archive);
            LOG.infof("backup written to %s (%d bytes)", archive, bytes);
            audit.log("backup.written", "file", archive.toString(), "bytes", bytes);
            return new Written(archive.toString(), bytes, at, contents, "the CA keys in it are"
                    + " wrapped under the key-encryption key, which is not in the archive: keep"
                    + " a copy of it (certapi.ca.keys.kek or " + dataDir.resolve("ca-kek")
                    + ") apart from your backups");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the backup " + archive, e);
        } finally {
            try {
                Files.deleteIfExists(db);
            } catch (IOException ignored) {
                // A leftover partial copy in backups/ is private and harmless.
            }
        }
    }
}
