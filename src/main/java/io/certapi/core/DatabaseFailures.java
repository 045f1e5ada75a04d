package io.certapi.core;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a database that is unreachable or overloaded (the request may well succeed if retried
 * in a few seconds) from a failure of the request itself.
 */
public final class DatabaseFailures {

    /** SQLState classes of an unusable connection or an overloaded or stopping server. */
    private static final Set<String> UNAVAILABLE_CLASSES = Set.of(
            "08", // connection exception (SQL standard; PostgreSQL, H2)
            "53", // insufficient resources (PostgreSQL: too many connections, disk full)
            "57"); // operator intervention (PostgreSQL: admin shutdown, cannot connect now)

    private DatabaseFailures() {
    }

    /** Whether {@code t} or one of its causes says the database cannot serve now. */
    public static boolean unavailable(Throwable t) {
        for (Throwable c : Causes.of(t)) {
            if (c instanceof SQLTransientConnectionException
                    || c instanceof SQLNonTransientConnectionException
                    || c instanceof SQLRecoverableException) {
                return true;
            }
            if (c instanceof SQLException e) {
                String state = e.getSQLState();
                if (state != null && state.length() >= 2
                        && UNAVAILABLE_CLASSES.contains(state.substring(0, 2))) {
                    return true;
                }
                // Agroal's pool, all of its connections busy for the acquisition timeout.
                if (state == null && e.getMessage() != null
                        && e.getMessage().contains("acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }
}
