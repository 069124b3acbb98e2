package org.flowbench.app.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.flowbench.compute.ode.TimeGrid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target for the schedule CSV reader ({@code sample --schedule FILE}): any bytes give a time
 * grid from 0 to 1 or one line naming the file, never another exception. Seeds live in
 * {@code ScheduleCsvFuzzTestInputs/schedule/}; {@code JAZZER_FUZZ=1} fuzzes it, e.g.
 * {@code JAZZER_FUZZ=1 mvn -Djazzer.hooks=true -pl app -am test -Dtest='ScheduleCsvFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false}
 * (longer: see the app pom). A full test run fuzzes it for five seconds.
 */
class ScheduleCsvFuzzTest {

    private static Path scratch;

    @BeforeAll
    static void createScratch() throws IOException {
        scratch = Files.createTempDirectory("flowbench-fuzz");
    }

    @AfterAll
    static void deleteScratch() throws IOException {
        Files.deleteIfExists(scratch.resolve("schedule.csv"));
        Files.deleteIfExists(scratch);
    }

    @FuzzTest(maxDuration = "5s")
    void schedule(byte[] bytes) throws IOException {
        Path file = scratch.resolve("schedule.csv");
        Files.write(file, bytes);
        try {
            TimeGrid grid = FlowSolverOptions.readSchedule(file);
            if (grid.steps() < 1) {
                throw new AssertionError("a schedule with no steps was accepted");
            }
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            if (message == null || !message.contains(file.toString()) || message.contains("\n") || message.contains("\r")) {
                throw new AssertionError("not one line naming the file: " + message, e);
            }
        }
    }
}
