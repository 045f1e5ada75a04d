package io.certapi.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks, before a first start writes anything to the data directory, that the database can be
 * reached: a start that is going to fail on the database must not leave a new CA behind. The
 * HTTPS listener asks for its certificate, and so for the CA, before the connection pool and the
 * schema migration start, so this opens one plain JDBC connection with the pool's settings.
 */
@ApplicationScoped
public class DatabaseCheck {

    private final Optional<String> url;
    private final Optional<String> user;
    private final Optional<String> password;

    /** Creates the check from the datasource settings. */
    public DatabaseCheck(@ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Throws, saying what failed, unless a connection can be had and is valid. */
    public void requireReachable() {
        if (url.isEmpty()) {
            return;
        }
        Properties p = new Properties();
        user.ifPresent(u -> p.setProperty("user", u));
        password.ifPresent(s -> p.setProperty("password", s));
        DriverManager.setLoginTimeout(10);
        try (Connection c = DriverManager.getConnection(url.get(), p)) {
            if (!c.isValid(5)) {
                throw new IllegalStateException("the database answered, but its connection is"
                        + " not valid");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database (" + e.getMessage()
                    + "); nothing was created in the data directory. Check the"
                    + " quarkus.datasource.* settings and start again", e);
        }
    }
}
