package io.certapi.web;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.certapi.testing.TestPaths;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/**
 * The tests never read the operator's {@code config/application.properties}: once an operator
 * uncommented the documented shortlived profile there, mvn verify failed.
 */
@QuarkusTest
class OperatorConfigTest {

    @Test
    void theProjectsConfigFolderIsNotAConfigSource() {
        String operators = TestPaths.target().getParent().resolve("config").toString();
        for (ConfigSource source : ConfigProvider.getConfig().getConfigSources()) {
            assertFalse(source.getName().contains(operators), source.getName());
        }
    }
}
