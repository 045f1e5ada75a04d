package io.certapi.e2e;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The same application on PostgreSQL (127.0.0.1:5432, database {@code test}), in a schema of
 * its own that Flyway cleans and migrates at start; the issuance delay is 5 s, longer than
 * certapi.work.max-wait, so that the processing state is seen. db-kind is a build-time setting: the test framework re-augments.
 */
public class PostgresProfile implements QuarkusTestProfile {

    /** The schema the tests own. */
    public static final String SCHEMA = "certapi_it";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test"
                        + "?currentSchema=" + SCHEMA,
                "quarkus.datasource.username", "postgres",
                "quarkus.flyway.schemas", SCHEMA,
                "quarkus.flyway.clean-disabled", "false",
                "quarkus.flyway.clean-at-start", "true",
                "certapi.issuance.delay", "5s",
                "certapi.data-dir", "target/test-data-pg");
    }
}
