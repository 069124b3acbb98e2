package org.flowbench.compute.device;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs test classes through the JUnit Platform launcher without Maven, printing one line per test:
 * how the OpenCL parity suites run on a machine that has a GPU driver but no build tools
 * ({@code samples/device/gpu-check.sh}).
 *
 * <p>Usage: {@code OpenClSuiteMain CLASS...}; exit status 1 when a test failed.
 */
public final class OpenClSuiteMain {

    private OpenClSuiteMain() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: OpenClSuiteMain TEST_CLASS...");
            System.exit(2);
        }
        List<org.junit.platform.engine.DiscoverySelector> selectors = new ArrayList<>();
        for (String name : args) {
            selectors.add(DiscoverySelectors.selectClass(name));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        long start = System.nanoTime();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                if (id.isTest()) {
                    skipped.incrementAndGet();
                    System.out.println("SKIP " + name(id) + ": " + reason);
                }
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    return;
                }
                if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    passed.incrementAndGet();
                    System.out.println("PASS " + name(id));
                } else {
                    failed.incrementAndGet();
                    String why = result.getThrowable().map(t -> firstLines(t)).orElse(result.getStatus().toString());
                    System.out.println("FAIL " + name(id) + ": " + why);
                }
                System.out.flush();
            }
        };
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);
        System.out.printf("parity suite: %d passed, %d failed, %d skipped in %.1f s%n", passed.get(), failed.get(),
                skipped.get(), (System.nanoTime() - start) / 1e9);
        System.exit(failed.get() == 0 ? 0 : 1);
    }

    private static String name(TestIdentifier id) {
        String unique = id.getUniqueId();
        int cls = unique.indexOf("[class:");
        String owner = cls < 0 ? "" : unique.substring(cls + 7, unique.indexOf(']', cls));
        return owner.substring(owner.lastIndexOf('.') + 1) + " " + id.getDisplayName();
    }

    private static String firstLines(Throwable t) {
        String m = t.getClass().getSimpleName() + ": " + t.getMessage();
        m = m.replace('\n', ' ').replaceAll("\\s+", " ");
        return m.length() > 400 ? m.substring(0, 400) + "..." : m;
    }
}
