package io.certapi.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The messages logged in one category while it is open, for tests that read what the server
 * logs (the audit log, say) in the same JVM.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final String category;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogCapture(String category) {
        this.category = category;
    }

    /** Starts capturing {@code category}. */
    public static LogCapture of(String category) {
        LogCapture c = new LogCapture(category);
        Logger.getLogger(category).addHandler(c);
        return c;
    }

    /** Every message so far. */
    public List<String> messages() {
        return messages;
    }

    @Override
    public void publish(LogRecord r) {
        messages.add(r.getMessage());
    }

    @Override
    public void flush() {
        // Nothing is buffered.
    }

    /** Stops capturing. */
    @Override
    public void close() {
        Logger.getLogger(category).removeHandler(this);
    }
}
