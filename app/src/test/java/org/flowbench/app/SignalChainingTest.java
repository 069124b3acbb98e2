package org.flowbench.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalChainingTest {

    @TempDir
    Path javaHome;

    private Path library() throws IOException {
        Path lib = javaHome.resolve("lib");
        Files.createDirectories(lib);
        return Files.writeString(lib.resolve("libjsig.so"), "");
    }

    private Optional<SignalChaining.Relaunch> plan(String os, Map<String, String> env, String... args) {
        return SignalChaining.plan(os, env, javaHome, Path.of("/opt/jdk/bin/java"),
                List.of("--add-modules", "jdk.incubator.vector"), "/opt/flowbench.jar", args);
    }

    @Test
    void theWindowStartsASecondJvmWithTheChainingLibraryPreloadedAndTheSameArguments() throws IOException {
        Path library = library();

        SignalChaining.Relaunch relaunch = plan("Linux", Map.of("LD_PRELOAD", "/usr/lib/libextra.so"),
                "--lab", "normalization").orElseThrow();

        assertEquals(List.of("/opt/jdk/bin/java", "--add-modules", "jdk.incubator.vector", "-cp", "/opt/flowbench.jar",
                Main.class.getName(), "--lab", "normalization"), relaunch.command());
        assertEquals(library + ":/usr/lib/libextra.so", relaunch.environment().get("LD_PRELOAD"),
                "the chaining library comes first and what was preloaded stays");
        assertEquals("1", relaunch.environment().get(SignalChaining.CHAINED));
    }

    @Test
    void neverRelaunchesTwiceNorWhereItCannotHelp() throws IOException {
        assertTrue(plan("Linux", Map.of()).isEmpty(), "no libjsig.so in this Java");
        Path library = library();
        assertTrue(plan("Linux", Map.of()).isPresent());
        assertTrue(plan("Linux", Map.of(SignalChaining.CHAINED, "1")).isEmpty(), "already the second JVM");
        assertTrue(plan("Linux", Map.of("LD_PRELOAD", library.toString())).isEmpty(), "already preloaded");
        assertTrue(plan("Mac OS X", Map.of()).isEmpty(), "LD_PRELOAD is Linux's");
    }

    @Test
    void theCommandLineRelaunchesOnlyWhenItNamesOpenCl() {
        assertTrue(SignalChaining.mayOpenOpenCl(new String[0]));
        assertTrue(SignalChaining.mayOpenOpenCl(new String[] {"--lab=poincare"}));
        assertTrue(SignalChaining.mayOpenOpenCl(new String[] {"train-lm", "--device", "OpenCL:0"}));
        assertFalse(SignalChaining.mayOpenOpenCl(new String[] {"train-lm", "--device", "cpu"}));
        assertFalse(SignalChaining.mayOpenOpenCl(new String[] {"--help"}));
    }
}
