package org.flowbench.compute.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputFilesTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static OutputFileException refusal(ThrowingCall call) {
        try {
            call.run();
        } catch (OutputFileException e) {
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(".tmp");
            return e;
        } catch (IOException e) {
            throw new AssertionError("expected an OutputFileException, got " + e, e);
        }
        throw new AssertionError("expected a refusal");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws IOException;
    }

    @Test
    void refusesAnInputOfTheRunUnderAnyOfItsNames() throws IOException {
        Path model = file("m.safetensors", "weights");
        Files.createDirectories(dir.resolve("sub"));
        Path sameViaDots = dir.resolve("sub/../m.safetensors");
        Path symlink = Files.createSymbolicLink(dir.resolve("link.safetensors"), model);
        Path hardLink = Files.createLink(dir.resolve("hard.safetensors"), model);
        for (Path out : List.of(model, sameViaDots, symlink, hardLink)) {
            OutputFileException e = refusal(() -> OutputFiles.write(out, true, List.of(model), "csv".getBytes(StandardCharsets.UTF_8)));
            assertThat(e.problem()).isEqualTo(OutputFileException.Problem.SAME_AS_INPUT);
            assertThat(e.getMessage()).startsWith(out.toString()).contains("input of this run");
        }
        assertThat(Files.readString(model)).isEqualTo("weights");
    }

    @Test
    void replacesAnExistingFileOnlyWhenForced() throws IOException {
        Path out = file("s.csv", "old");
        OutputFileException e = refusal(() -> OutputFiles.write(out, false, List.of(), "new".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.problem()).isEqualTo(OutputFileException.Problem.EXISTS);
        assertThat(e.getMessage()).isEqualTo(out + " already exists; pass --force to replace it");
        assertThat(Files.readString(out)).isEqualTo("old");
        OutputFiles.write(out, true, List.of(), "new".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(out)).isEqualTo("new");
    }

    @Test
    void namesTheFolderProblemsWithTheUsersPath() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("out.csv"));
        OutputFileException isFolder = refusal(() -> OutputFiles.checkWritable(folder, true, List.of()));
        assertThat(isFolder.problem()).isEqualTo(OutputFileException.Problem.IS_FOLDER);
        assertThat(isFolder.getMessage()).isEqualTo(folder + " is a folder; name a file to write");

        Path missing = dir.resolve("nowhere/s.csv");
        OutputFileException noFolder = refusal(() -> OutputFiles.write(missing, false, List.of(), new byte[1]));
        assertThat(noFolder.problem()).isEqualTo(OutputFileException.Problem.NO_FOLDER);
        assertThat(noFolder.getMessage()).isEqualTo("cannot write " + missing + ": no folder " + dir.resolve("nowhere"));
        assertThat(Files.exists(dir.resolve("nowhere"))).isFalse();

        Path plain = file("plain.txt", "x");
        Path underFile = plain.resolve("s.csv");
        OutputFileException notFolder = refusal(() -> OutputFiles.checkWritable(underFile, false, List.of()));
        assertThat(notFolder.getMessage()).isEqualTo("cannot write " + underFile + ": " + plain + " is not a folder");
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path out = file("s.csv", "old");
        assertThatThrownBy(() -> OutputFiles.write(out, true, List.of(), o -> {
            o.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("computation failed mid-write");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(out)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("s.csv");
        }
    }

    @Test
    void aFolderTheSystemRefusesIsNamedWithTheReasonNotTheTemporaryFile() throws IOException {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Path out = locked.resolve("s.csv");
        locked.toFile().setWritable(false, false);
        try {
            OutputFileException e = refusal(() -> OutputFiles.write(out, false, List.of(), new byte[1]));
            assertThat(e.problem()).isEqualTo(OutputFileException.Problem.WRITE_FAILED);
            assertThat(e.getMessage()).startsWith("cannot write " + out + ": ");
            assertThat(Files.exists(out)).isFalse();
        } catch (AssertionError notRefused) {
            // The superuser writes into read-only folders; then the write must simply have worked.
            assertThat(Files.exists(out)).as("written because the folder's mode does not bind this user").isTrue();
        } finally {
            locked.toFile().setWritable(true, false);
        }
    }

    @Test
    void aFileSystemThatRefusesNewFilesIsNamedWithItsReason() {
        // /proc takes no new files, not even from the superuser.
        Path out = Path.of("/proc/flowbench-output-test.csv");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        OutputFileException e = refusal(() -> OutputFiles.write(out, false, List.of(), new byte[1]));
        assertThat(e.problem()).isEqualTo(OutputFileException.Problem.WRITE_FAILED);
        assertThat(e.getMessage()).startsWith("cannot write " + out + ": ").hasSizeGreaterThan(("cannot write " + out + ": ").length());
    }

    @Test
    void theOutputsOfOneRunMustDiffer() throws IOException {
        Path a = dir.resolve("a.csv");
        OutputFileException e = refusal(() -> OutputFiles.checkDistinct(a, null, dir.resolve("./a.csv")));
        assertThat(e.problem()).isEqualTo(OutputFileException.Problem.SAME_AS_OTHER_OUTPUT);
        OutputFiles.checkDistinct(a, dir.resolve("b.csv"), null);
    }
}
