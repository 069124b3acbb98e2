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
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.flowbench.json", "a.flowbench.json.bak");
        }
    }

    private static Session numbered(long i) {
        return new Session("trajectories", Map.of("trajectories", Map.of("save", i)));
    }

    @Test
    void savingKeepsThePreviousSessionAsBackup() throws IOException {
        Path file = dir.resolve("s.flowbench.json");
        SessionFiles.write(numbered(1), file);
        assertThat(SessionFiles.backupOf(file)).doesNotExist();
        SessionFiles.write(numbered(2), file);
        SessionFiles.write(numbered(3), file);
        assertThat(SessionFiles.read(file)).isEqualTo(numbered(3));
        assertThat(SessionFiles.read(SessionFiles.backupOf(file))).isEqualTo(numbered(2));
    }

    @Test
    void aCorruptSessionOpensItsBackupAndSaysSo() throws IOException {
        Path file = dir.resolve("s.flowbench.json");
        SessionFiles.write(numbered(1), file);
        SessionFiles.write(numbered(2), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        SessionFiles.Opened opened = SessionFiles.open(file);
        assertThat(opened.session()).isEqualTo(numbered(1));
        assertThat(opened.from()).isEqualTo(SessionFiles.backupOf(file));
        assertThat(opened.dropped()).singleElement().asString()
                .startsWith("s.flowbench.json is not a Flowbench session: not valid JSON")
                .endsWith("; opened the backup s.flowbench.json.bak (the session saved before it)");
        // Saving over the corrupt file keeps the good backup rather than backing up the corrupt one.
        SessionFiles.write(numbered(3), file);
        assertThat(SessionFiles.read(SessionFiles.backupOf(file))).isEqualTo(numbered(1));
    }

    @Test
    void aNewerVersionOpensWhatItCanAndListsWhatItDropped() throws IOException {
        Path file = dir.resolve("new.json");
        Files.writeString(file, "{\"format\":\"flowbench-session\",\"version\":7,\"lab\":\"trajectories\",\"layout\":\"grid\","
                + "\"labs\":{\"trajectories\":{\"seed\":5,\"zoom\":{\"x\":1}},\"future\":[1]}}");
        SessionFiles.Opened opened = SessionFiles.open(file);
        assertThat(opened.session()).isEqualTo(new Session("trajectories", Map.of("trajectories", Map.of("seed", 5L))));
        assertThat(opened.complete()).isFalse();
        assertThat(opened.dropped()).containsExactly(
                "new.json was written by a newer Flowbench (session version 7; this version reads 1): opened what this version knows",
                "field 'layout' is not known to this version",
                "parameter 'zoom' of lab 'trajectories' (not a number, boolean or string)",
                "parameters of lab 'future' (not an object)");
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
    void nestedValuesAreDroppedAndNamed() throws IOException {
        Path file = dir.resolve("nested.json");
        Files.writeString(file, "{\"format\":\"flowbench-session\",\"version\":1,\"lab\":\"t\",\"labs\":{\"t\":{\"a\":[1,2],\"b\":true}}}");
        SessionFiles.Opened opened = SessionFiles.open(file);
        assertThat(opened.session()).isEqualTo(new Session("t", Map.of("t", Map.of("b", true))));
        assertThat(opened.dropped()).containsExactly("parameter 'a' of lab 't' (not a number, boolean or string)");
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
                .hasMessage("cannot write " + file + ": no folder " + dir.resolve("no/such/folder"));
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
