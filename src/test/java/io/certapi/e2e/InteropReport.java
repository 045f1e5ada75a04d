package io.certapi.e2e;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** One line per client as it finishes, and "interop: N passed, N failed" at the end. */
public class InteropReport implements TestWatcher, AfterAllCallback {

    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final AtomicInteger FAILED = new AtomicInteger();

    @Override
    public void testSuccessful(ExtensionContext context) {
        PASSED.incrementAndGet();
        System.out.println("interop: " + context.getRequiredTestMethod().getName() + ": PASS");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        FAILED.incrementAndGet();
        String why = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
        System.out.println("interop: " + context.getRequiredTestMethod().getName() + ": FAIL ("
                + why + ")");
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        testFailed(context, cause);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        testFailed(context, new IllegalStateException("disabled"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.out.println("interop: " + PASSED.get() + " passed, " + FAILED.get() + " failed");
    }
}
