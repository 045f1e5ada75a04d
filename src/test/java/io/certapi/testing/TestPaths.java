package io.certapi.testing;

import java.nio.file.Path;

/**
 * Where tests find the build. They run in {@code target/test-run}, not in the project root
 * (pom.xml), so that an operator's {@code config/application.properties} there, which Quarkus
 * reads from the working directory, never changes what the tests see; relative paths such as
 * the test data directories then resolve under it, and the build's own output is named here.
 */
public final class TestPaths {

    private TestPaths() {
    }

    /** The build directory ({@code target}), absolute. */
    public static Path target() {
        return Path.of(System.getProperty("project.build.directory", "target")).toAbsolutePath();
    }
}
