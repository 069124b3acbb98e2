package org.flowbench.app.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** No command that writes loses a file: inputs, existing files and folders survive every refusal and failure. */
class OutputSafetyTest {

    @TempDir
    static Path dir;

    private static Path model;
    private static byte[] modelBytes;

    @BeforeAll
    static void trainOnce() throws IOException {
        model = dir.resolve("m.safetensors");
        CommandLineRunner r = CommandLineRunner.run(train(model));
        assertThat(r.exitCode()).as(r.err()).isZero();
        modelBytes = Files.readAllBytes(model);
    }

    private static String[] train(Path out, String... more) {
        String[] base = {"train-flow", "--target", "moons", "--hidden", "8", "--steps", "10", "--batch", "16", "--seed", "1",
                "--device", "cpu", "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /**
     * Exit code 2 and one error line on stderr (after any progress) that contains every expected piece
     * and never a temporary file's name.
     */
    private static String refused(String[] args, String... expected) {
        CommandLineRunner r = CommandLineRunner.run(args);
        assertThat(r.exitCode()).as("exit code of %s, stderr %s", String.join(" ", args), r.err()).isEqualTo(2);
        java.util.List<String> errors = r.err().lines().filter(l -> l.startsWith("flowbench: ")).toList();
        assertThat(errors).as("one error line in %s", r.err()).hasSize(1);
        String line = errors.get(0);
        assertThat(r.err().strip()).endsWith(line);
        assertThat(line).doesNotContain(".tmp");
        for (String piece : expected) {
            assertThat(line).contains(piece);
        }
        return line;
    }

    private static void modelIsUntouched() throws IOException {
        assertThat(Files.readAllBytes(model)).as("the input checkpoint").isEqualTo(modelBytes);
    }

    @Test
    void noCommandWritesOntoItsInput() throws IOException {
        String m = model.toString();
        String input = "is also an input of this run";
        refused(new String[] {"sample", "--model", m, "--n", "5", "--out", m}, m, input);
        refused(new String[] {"sample", "--model", m, "--n", "5", "--out", m, "--force"}, m, input);
        refused(new String[] {"sample", "--model", m, "--n", "5", "--out", dir.resolve("t1.csv").toString(), "--trajectories", m,
                "--force"}, input);
        refused(new String[] {"boss", "--model", m, "--k", "2", "--grid", "4", "--n", "8", "--out", m, "--force"}, input);
        refused(new String[] {"reflow", "--model", m, "--pairs", "10", "--steps", "2", "--out", m, "--force"}, input);
        refused(new String[] {"distill", "--model", m, "--pairs", "10", "--steps", "2", "--out", m, "--force"}, input);
        // The same file under another name: through "..", a symbolic link and a hard link.
        Files.createDirectories(dir.resolve("sub"));
        refused(new String[] {"sample", "--model", m, "--n", "5", "--out", dir.resolve("sub/../m.safetensors").toString(), "--force"}, input);
        Path symlink = Files.createSymbolicLink(dir.resolve("link.safetensors"), model);
        refused(new String[] {"sample", "--model", symlink.toString(), "--n", "5", "--out", m, "--force"}, input);
        Path hard = Files.createLink(dir.resolve("hard.safetensors"), model);
        refused(new String[] {"boss", "--model", m, "--k", "2", "--out", hard.toString(), "--force"}, input);
        modelIsUntouched();
    }

    @Test
    void aScheduleFileIsAnInputToo() throws IOException {
        Path schedule = dir.resolve("schedule.csv");
        CommandLineRunner b = CommandLineRunner.run("boss", "--model", model.toString(), "--k", "2", "--grid", "4", "--n", "8",
                "--device", "cpu", "--out", schedule.toString());
        assertThat(b.exitCode()).as(b.err()).isZero();
        byte[] before = Files.readAllBytes(schedule);
        refused(new String[] {"sample", "--model", model.toString(), "--schedule", schedule.toString(), "--n", "5",
                "--out", schedule.toString(), "--force"}, "is also an input of this run");
        assertThat(Files.readAllBytes(schedule)).isEqualTo(before);
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForce() throws IOException {
        Path existing = Files.writeString(dir.resolve("keep.safetensors"), "precious");
        refused(train(existing), existing + " already exists; pass --force to replace it");
        assertThat(Files.readString(existing)).isEqualTo("precious");

        Path samples = Files.writeString(dir.resolve("keep.csv"), "precious");
        refused(new String[] {"sample", "--model", model.toString(), "--n", "5", "--out", samples.toString()}, "already exists");
        refused(new String[] {"boss", "--model", model.toString(), "--k", "2", "--out", samples.toString()}, "already exists");
        Path fresh = dir.resolve("fresh.csv");
        refused(new String[] {"sample", "--model", model.toString(), "--n", "5", "--out", fresh.toString(),
                "--trajectories", samples.toString()}, "already exists");
        assertThat(Files.exists(fresh)).as("nothing written when one output is refused").isFalse();
        assertThat(Files.readString(samples)).isEqualTo("precious");

        CommandLineRunner forced = CommandLineRunner.run(train(existing, "--force"));
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.readAllBytes(existing)).as("same seed, same bytes").isEqualTo(modelBytes);
        CommandLineRunner sampled = CommandLineRunner.run("sample", "--model", model.toString(), "--n", "5", "--device", "cpu",
                "--out", samples.toString(), "--force");
        assertThat(sampled.exitCode()).as(sampled.err()).isZero();
        assertThat(Files.readAllLines(samples)).hasSize(6).first().isEqualTo("x,y");
    }

    @Test
    void twoOutputsOfOneRunMustDiffer() {
        Path same = dir.resolve("same.csv");
        refused(new String[] {"sample", "--model", model.toString(), "--n", "5", "--out", same.toString(),
                "--trajectories", same.toString()}, "are the same file");
        assertThat(Files.exists(same)).isFalse();
    }

    @Test
    void unwritablePlacesAreNamedWithTheRealReason() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("a-folder.csv"));
        refused(new String[] {"sample", "--model", model.toString(), "--n", "5", "--out", folder.toString(), "--force"},
                folder + " is a folder");
        Path missing = dir.resolve("no/such/folder/s.csv");
        refused(new String[] {"sample", "--model", model.toString(), "--n", "5", "--out", missing.toString()},
                "cannot write " + missing + ": no folder " + dir.resolve("no/such/folder"));
        assertThat(Files.exists(dir.resolve("no"))).as("no folder is created on the way").isFalse();
        refused(train(dir.resolve("m.safetensors/x.safetensors")), "m.safetensors is not a folder");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            // /proc refuses new files even to the superuser: the write itself fails and is named by the user's path.
            refused(new String[] {"sample", "--model", model.toString(), "--n", "5", "--device", "cpu",
                    "--out", "/proc/flowbench-samples.csv"}, "cannot write /proc/flowbench-samples.csv: ");
        }
        modelIsUntouched();
    }
}
