package io.certapi.testing;

import io.certapi.config.CertapiConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** certapi's configuration built from a map, for tests below the application. */
public final class TestConfig {

    private TestConfig() {
    }

    /** The defaults, overridden by {@code values}. */
    public static CertapiConfig of(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withMapping(CertapiConfig.class)
                .withConverter(Duration.class, 200,
                        new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(values)
                .build().getConfigMapping(CertapiConfig.class);
    }
}
