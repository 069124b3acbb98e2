package org.flowbench.compute.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Fuzz targets for the checkpoint readers: whatever the bytes, reading ends in a checkpoint or in
 * the readers' own one-line {@link CheckpointFormatException}, never another exception, a second
 * line, an out-of-memory or a hang. Seeds live in {@code CheckpointReadersFuzzTestInputs/<target>/}
 * and run with every test run (regression mode); {@code JAZZER_FUZZ=1} fuzzes one target, e.g.
 * {@code JAZZER_FUZZ=1 mvn -Djazzer.hooks=true -pl compute test -Dtest='CheckpointReadersFuzzTest#safetensors'}, for longer than the
 * annotation's five seconds with {@code -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=600}.
 * A full test run fuzzes each target for five seconds (see the compute pom).
 */
class CheckpointReadersFuzzTest {

    private static Path scratch;

    @BeforeAll
    static void createScratch() throws IOException {
        scratch = Files.createTempDirectory("flowbench-fuzz");
    }

    @AfterAll
    static void deleteScratch() throws IOException {
        try (var files = Files.list(scratch)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(scratch);
    }

    /** Reads the bytes as a file through the same entry point the app uses; only one-line format errors may escape. */
    private static void load(byte[] bytes, String name) throws IOException {
        Path file = scratch.resolve(name);
        Files.write(file, bytes);
        try {
            CheckpointIndex index = CheckpointIndex.open(file);
            for (String tensor : index.entries().keySet()) {
                Tensor t = index.read(tensor);
                if (t.size() != index.entries().get(tensor).count()) {
                    throw new AssertionError("tensor '" + tensor + "' read " + t.size() + " values, its header said "
                            + index.entries().get(tensor).count());
                }
            }
        } catch (CheckpointFormatException e) {
            String message = e.getMessage();
            if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r")) {
                throw new AssertionError("not a one-line message: " + message, e);
            }
        }
    }

    @FuzzTest(maxDuration = "5s")
    void safetensors(byte[] bytes) throws IOException {
        load(bytes, "fuzz.safetensors");
    }

    /** The bytes after the .npy magic string, so every input reaches the header parser. */
    @FuzzTest(maxDuration = "5s")
    void npy(byte[] afterMagic) throws IOException {
        byte[] bytes = new byte[6 + afterMagic.length];
        bytes[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, 1, 5);
        System.arraycopy(afterMagic, 0, bytes, 6, afterMagic.length);
        load(bytes, "fuzz.npy");
    }

    /** The bytes as the one array of a well-formed .npz, so every input reaches the array reader inside the zip. */
    @FuzzTest(maxDuration = "5s")
    void npz(byte[] array) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("net.0.weight.npy"));
            out.write(array);
            out.closeEntry();
        }
        load(zip.toByteArray(), "fuzz.npz");
    }
}
