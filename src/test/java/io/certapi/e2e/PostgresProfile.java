package io.certapi.e2e;

import io.certapi.testing.TcpProxy;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The same application on PostgreSQL (127.0.0.1:5432, database {@code test}), in a schema of
 * its own that Flyway cleans and migrates at start; the issuance delay is 5 s, longer than
 * certapi.work.max-wait, so that the processing state is seen. db-kind is a build-time setting:
 * the test framework re-augments.
 *
 * <p>The server reaches PostgreSQL through a {@link TcpProxy} that a test can cut, as an outage
 * would ({@link #cutDatabase()}, {@link #restoreDatabase()}). The profile and the tests may live
 * in different class loaders, so the tests reach the proxy through its control port, which a
 * system property names.
 */
public class PostgresProfile implements QuarkusTestProfile {

    /** The schema the tests own. */
    public static final String SCHEMA = "certapi_it";
    private static final String PORT = "pgproxy.test.port";
    private static final String CONTROL = "pgproxy.test.control";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + proxyPort()
                        + "/test?currentSchema=" + SCHEMA,
                "quarkus.datasource.username", "postgres",
                "quarkus.flyway.schemas", SCHEMA,
                "quarkus.flyway.clean-disabled", "false",
                "quarkus.flyway.clean-at-start", "true",
                "certapi.issuance.delay", "5s",
                "certapi.data-dir", "target/test-data-pg");
    }

    /** Closes every connection to PostgreSQL and refuses new ones. */
    public static void cutDatabase() throws IOException {
        TcpProxy.command(Integer.parseInt(System.getProperty(CONTROL)), "cut");
    }

    /** Lets connections to PostgreSQL through again. */
    public static void restoreDatabase() throws IOException {
        TcpProxy.command(Integer.parseInt(System.getProperty(CONTROL)), "restore");
    }

    private static synchronized String proxyPort() {
        String port = System.getProperty(PORT);
        if (port == null) {
            try {
                // Lives as long as the test JVM.
                TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
                port = String.valueOf(proxy.port());
                System.setProperty(CONTROL, String.valueOf(proxy.controlPort()));
                System.setProperty(PORT, port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return port;
    }
}
