package org.flowbench.app.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionFilesTest {

    @TempDir
    Path dir;

    private static Session sample() {
        return new Session("trajectories", Map.of(
                "trajectories", Map.of("samples", 1500L, "seed", 11L, "sigma", 0.25, "showAxes", true, "solver", "RK4"),
                "gflownets", Map.of()));
    }

    @Test
    void roundTripKeepsEveryValue() throws IOException {
        Path file = dir.resolve("a.flowbench.json");
        SessionFiles.write(sample(), file);
        Session back = SessionFiles.read(file);
        assertThat(back).isEqualTo(sample());
    }

    @Test
    void writeLeavesNoTemporaryFilesBehind() throws IOException {
        Path file = dir.resolve("a.flowbench.json");
        SessionFiles.write(sample(), file);
        SessionFiles.write(sample(), file);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.flowbench.json");
        }
    }

    @Test
    void newerVersionIsRefusedWithAClearMessage() throws IOException {
        Path file = dir.resolve("new.json");
        Files.writeString(file, "{\"format\":\"flowbench-session\",\"version\":7,\"lab\":\"trajectories\",\"labs\":{}}");
        assertThatThrownBy(() -> SessionFiles.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("newer Flowbench")
                .hasMessageContaining("version 7");
    }

    @Test
    void corruptJsonIsRefusedInOneLine() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"format\":\"flowbench-session\",\"version\":1,\"lab\":");
        assertThatThrownBy(() -> SessionFiles.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not valid JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void otherJsonIsNotASession() throws IOException {
        Path file = dir.resolve("package.json");
        Files.writeString(file, "{\"name\":\"x\"}");
        assertThatThrownBy(() -> SessionFiles.read(file)).hasMessageContaining("not a Flowbench session");
    }

    @Test
    void nestedValuesAreRefused() throws IOException {
        Path file = dir.resolve("nested.json");
        Files.writeString(file, "{\"format\":\"flowbench-session\",\"version\":1,\"lab\":\"t\",\"labs\":{\"t\":{\"a\":[1,2]}}}");
        assertThatThrownBy(() -> SessionFiles.read(file)).hasMessageContaining("parameter 'a'");
    }

    @Test
    void hugeFileIsRefusedBeforeReading() throws IOException {
        Path file = dir.resolve("huge.json");
        byte[] block = new byte[1 << 20];
        java.util.Arrays.fill(block, (byte) ' ');
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < 5; i++) {
                out.write(block);
            }
        }
        assertThatThrownBy(() -> SessionFiles.read(file)).hasMessageContaining("not a Flowbench session");
    }

    @Test
    void missingFolderGivesAClearError() {
        Path file = dir.resolve("no/such/folder/s.json");
        assertThatThrownBy(() -> SessionFiles.write(sample(), file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void failedWriteKeepsThePreviousFile() throws IOException {
        Path file = dir.resolve("keep.json");
        SessionFiles.write(sample(), file);
        String before = Files.readString(file, StandardCharsets.UTF_8);
        Path locked = dir.resolve("locked");
        Files.createDirectory(locked);
        // Writing a directory's name as the target must fail and leave the good file untouched.
        assertThatThrownBy(() -> SessionFiles.write(sample(), locked)).isInstanceOf(IOException.class);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(before);
    }
}
