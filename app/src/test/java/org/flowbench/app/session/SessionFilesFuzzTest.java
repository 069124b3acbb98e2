package org.flowbench.app.session;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target for the session reader: any bytes open as a session (with what was dropped) or give
 * one line naming the problem, never another exception. Seeds live in
 * {@code SessionFilesFuzzTestInputs/open/}; a full test run fuzzes it for five seconds (see the app pom).
 */
class SessionFilesFuzzTest {

    private static Path scratch;

    @BeforeAll
    static void createScratch() throws IOException {
        scratch = Files.createTempDirectory("flowbench-fuzz");
    }

    @AfterAll
    static void deleteScratch() throws IOException {
        Files.deleteIfExists(scratch.resolve("fuzz" + SessionFiles.EXTENSION));
        Files.deleteIfExists(scratch);
    }

    @FuzzTest(maxDuration = "5s")
    void open(byte[] bytes) throws IOException {
        Path file = scratch.resolve("fuzz" + SessionFiles.EXTENSION);
        Files.write(file, bytes);
        try {
            SessionFiles.Opened opened = SessionFiles.open(file);
            for (String line : opened.dropped()) {
                if (line.isBlank() || line.contains("\n") || line.contains("\r")) {
                    throw new AssertionError("not a one-line note: " + line);
                }
            }
        } catch (IOException e) {
            String message = e.getMessage();
            if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r")) {
                throw new AssertionError("not a one-line message: " + message, e);
            }
        }
    }
}
