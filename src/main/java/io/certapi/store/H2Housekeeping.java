package io.certapi.store;

import io.agroal.api.AgroalDataSource;
import io.certapi.config.CertapiConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.jboss.logging.Logger;

/**
 * Keeps the embedded H2 file near the size of its live data.
 *
 * <p>certapi runs H2 with {@code WRITE_DELAY=0}: every commit is written to the file before the
 * answer goes out, so a kill -9 loses nothing acknowledged. H2 then has no background writer,
 * and that writer is what compacts the file: each commit writes a new chunk (at least one 4 KB
 * block), the chunks it leaves mostly dead were never rewritten, and the file grew by about
 * 200 KB per certificate. This job does that housekeeping on a schedule instead:
 * <ol>
 * <li>it syncs the file, so that everything committed until then survives a power loss;</li>
 * <li>it sets the retention time ({@code certapi.h2.retention}, at least twice the interval):
 * space that newer commits freed is reused only after it, when they have been synced;</li>
 * <li>it rewrites the live pages of chunks that are less than {@value #TARGET_FILL_RATE} %
 * live, at most {@value #MAX_WRITE} bytes a round, so that whole chunks fall free.</li>
 * </ol>
 * Each commit then writes into space freed earlier, and the file levels off near (bytes
 * committed per second) × retention plus the live data. (Moving chunks towards the start of the
 * file, H2's {@code compactMoveChunks}, trips an assertion inside H2 2.4 when called while
 * commits go on, so the file is only shrunk by H2 itself, when it closes.)
 */
@ApplicationScoped
public class H2Housekeeping {

    private static final Logger LOG = Logger.getLogger(H2Housekeeping.class);

    /** Rewrite chunks while fewer than this percentage of their bytes are live. */
    static final int TARGET_FILL_RATE = 80;
    /** Bytes of live pages rewritten at most per attempt. */
    static final int MAX_WRITE = 4 * 1024 * 1024;
    /** Attempts at the store lock per round (10 ms each). */
    static final int LOCK_TRIES = 20;

    private final AgroalDataSource dataSource;
    private final int retentionMillis;
    private volatile boolean off;

    /** Creates the job over the default datasource. */
    public H2Housekeeping(AgroalDataSource dataSource, CertapiConfig config) {
        this.dataSource = dataSource;
        this.retentionMillis = (int) Math.max(config.h2().retention().toMillis(),
                2 * config.h2().housekeepingInterval().toMillis());
    }

    @Scheduled(every = "${certapi.h2.housekeeping-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        if (off) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            Optional<MVStore> store = storeOf(c);
            if (store.isEmpty()) {
                off = true;
                return;
            }
            compact(store.get(), retentionMillis);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("H2 housekeeping failed, the next round tries again: %s", e.toString());
        }
    }

    /** Stops before the pool closes, so that a stop logs no failed round. */
    void onShutdown(@Observes ShutdownEvent ev) {
        off = true;
    }

    /** One round on {@code store}. */
    static void compact(MVStore store, int retentionMillis) {
        if (store.isClosed() || store.isReadOnly()) {
            return;
        }
        FileStore<?> file = store.getFileStore();
        file.sync();
        if (store.getRetentionTime() != retentionMillis) {
            store.setRetentionTime(retentionMillis);
        }
        // compact() only tries the store lock for 10 ms and gives up silently; under load the
        // commits hold it most of the time, so a round tries a few times while it is needed.
        for (int i = 0; i < LOCK_TRIES && file.getChunksFillRate() < TARGET_FILL_RATE; i++) {
            if (store.compact(TARGET_FILL_RATE, MAX_WRITE)) {
                break;
            }
        }
    }

    /** The MVStore under an embedded H2 connection; empty for any other database. */
    static Optional<MVStore> storeOf(Connection c) throws SQLException {
        if (!c.isWrapperFor(JdbcConnection.class)
                || !(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal s)) {
            return Optional.empty();
        }
        var db = s.getDatabase();
        return db.getStore() == null || !db.isPersistent() ? Optional.empty()
                : Optional.of(db.getStore().getMvStore());
    }
}
