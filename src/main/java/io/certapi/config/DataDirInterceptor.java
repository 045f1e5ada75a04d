package io.certapi.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.nio.file.Path;

/**
 * Makes {@code certapi.data-dir} absolute wherever it is read, so that the H2 URL built from it
 * (H2 refuses paths that are only implicitly relative, such as {@code data}) and the CA files
 * name the same directory, whatever form the operator wrote.
 */
// Below the expression interceptor (LIBRARY + 300), so that ${certapi.data-dir} in the
// datasource URL is expanded through this interceptor too.
@Priority(Priorities.LIBRARY + 200)
public class DataDirInterceptor implements ConfigSourceInterceptor {

    private static final long serialVersionUID = 1L;
    static final String DATA_DIR = "certapi.data-dir";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (DATA_DIR.equals(name) && value != null && value.getValue() != null
                && !value.getValue().isBlank()) {
            return value.withValue(Path.of(value.getValue()).toAbsolutePath().normalize()
                    .toString());
        }
        return value;
    }
}
