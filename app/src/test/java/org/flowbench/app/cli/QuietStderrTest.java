package org.flowbench.app.cli;

import org.flowbench.app.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line in a JVM of its own, as users start it: native libraries (Aparapi's OpenCL
 * search) and library logging (SLF4J) write to the process's stderr directly, which an in-process
 * run never sees. Each command's stderr must hold its own progress and nothing else.
 */
class QuietStderrTest {

    @TempDir
    static Path dir;

    private static Path model;

    /** The one line the JVM itself prints for the incubating Vector API the app runs with. */
    private static final String JVM_INCUBATOR_NOTE = "WARNING: Using incubator modules: jdk.incubator.vector";

    private record Run(int exitCode, String out, List<String> errLines) {
    }

    private static Run flowbench(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("flowbench " + String.join(" ", args) + " did not finish in 120 s");
        }
        List<String> errLines = new ArrayList<>();
        for (String line : Files.readString(err, StandardCharsets.UTF_8).split("[\r\n]+")) {
            if (!line.isBlank() && !line.equals(JVM_INCUBATOR_NOTE)) {
                errLines.add(line);
            }
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), errLines);
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        model = dir.resolve("m.safetensors");
        // The default device, so the OpenCL search runs as it does for a user who names no device.
        Run r = flowbench("train-flow", "--target", "moons", "--hidden", "8", "--steps", "5", "--batch", "16",
                "--out", model.toString());
        assertThat(r.exitCode()).as("%s", r.errLines()).isZero();
        assertThat(r.errLines()).as("train-flow's stderr").allSatisfy(line ->
                assertThat(line).matches("train-flow .*|train \\[.*|\\d+ steps in .*"));
    }

    @Test
    void sampleWritesOnlyItsProgressOnStderr() throws Exception {
        Run r = flowbench("sample", "--model", model.toString(), "--n", "10", "--nfe", "8", "--solver", "euler",
                "--out", dir.resolve("s.csv").toString());
        assertThat(r.exitCode()).as("%s", r.errLines()).isZero();
        assertThat(r.errLines()).containsExactly("sampling 10 points with euler 8 steps (8 NFE) on cpu");
    }

    @Test
    void benchPrintsNoLoggingFrameworkLines() throws Exception {
        Run r = flowbench("bench", "--seconds", "0.05", "--device", "cpu");
        assertThat(r.exitCode()).as("%s", r.errLines()).isZero();
        assertThat(r.errLines()).isNotEmpty().allSatisfy(line -> assertThat(line).matches("benchmarking .*|  .*\\.\\.\\."));
    }

    @Test
    void aRefusalIsOneLineAndNothingElse() throws Exception {
        Run r = flowbench("sample", "--model", model.toString(), "--n", "10", "--out", model.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("flowbench: ").contains("is also an input of this run");
    }

    @Test
    void evalHelpStatesTheLargestN() throws Exception {
        CommandLineRunner help = CommandLineRunner.run("eval", "--help");
        assertThat(help.out()).containsPattern("--n=N\\s+Points generated and held out, at most 4096");
        CommandLineRunner over = CommandLineRunner.run("eval", "--model", model.toString(), "--n", "4097");
        assertThat(over.err().strip()).isEqualTo("flowbench: --n must be at most 4096, got 4097");
    }
}
