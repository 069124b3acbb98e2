package org.flowbench.compute.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixtures were written by numpy.save / numpy.savez / numpy.savez_compressed. */
class NumpyArraysTest {

    @TempDir
    Path dir;

    private Path resource(String name) throws URISyntaxException {
        return Path.of(getClass().getResource(name).toURI());
    }

    private static final float[] EXPECTED_MATRIX = {-0.625f, -0.375f, -0.125f, 0.125f, 0.375f, 0.625f};
    private static final float[] EXPECTED_VECTOR = {-1f, -0.5f, 0f, 0.5f, 1f};

    @Test
    void readsNumpyWrittenArrays() throws Exception {
        Tensor m = NumpyArrays.readNpy(resource("c_order_f32.npy"));
        assertThat(m.name()).isEqualTo("c_order_f32");
        assertThat(m.shape()).containsExactly(2, 3);
        assertThat(m.data()).containsExactly(EXPECTED_MATRIX);
        Tensor v = Checkpoints.load(resource("vector_f64.npy")).tensor("vector_f64", 5);
        assertThat(v.data()).containsExactly(EXPECTED_VECTOR);
        assertThat(v.storedType()).isEqualTo("F64");
    }

    @Test
    void readsPlainAndCompressedNpz() throws Exception {
        for (String name : new String[] {"pair.npz", "pair_compressed.npz"}) {
            Checkpoint c = Checkpoints.load(resource(name));
            assertThat(c.tensors().keySet()).containsExactly("weight", "bias");
            assertThat(c.tensor("weight", 2, 3).data()).containsExactly(EXPECTED_MATRIX);
            assertThat(c.tensor("bias", 5).data()).containsExactly(EXPECTED_VECTOR);
        }
    }

    @Test
    void refusesFortranOrderAndNonFloatTypes() {
        assertThatThrownBy(() -> NumpyArrays.readNpy(resource("fortran_f32.npy")))
                .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("Fortran order");
        assertThatThrownBy(() -> NumpyArrays.readNpy(resource("int32.npy")))
                .hasMessageContaining("unsupported dtype '<i4'");
    }

    private static byte[] npy(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        return b.array();
    }

    @Test
    void truncatedAndHostileHeadersGiveOneLineErrors() throws IOException, URISyntaxException {
        byte[] good = Files.readAllBytes(resource("c_order_f32.npy"));
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(() -> NumpyArrays.readNpy(cut)).hasMessageStartingWith("cut.npy: truncated");

        String[] headers = {
                "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 9999999999999999999), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1234567890123456789012345,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (\u0662,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), '__import__': 'os', }",
                "{'descr': __import__('os').system('true'), 'fortran_order': False, 'shape': (2,)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,) } trailing",
                "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}",
                "{'descr': '>f4', 'fortran_order': False, 'shape': (2,)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (2,)}",
                "{'descr': '<f4', 'fortran_order': False",
        };
        for (String header : headers) {
            Path f = dir.resolve("bad.npy");
            Files.write(f, npy(header, 8));
            assertThatThrownBy(() -> NumpyArrays.readNpy(f)).as(header).isInstanceOf(CheckpointFormatException.class)
                    .satisfies(e -> assertThat(e.getMessage()).startsWith("bad.npy: ").doesNotContain("\n"));
        }
        Path extra = dir.resolve("extra.npy");
        Files.write(extra, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 8));
        assertThatThrownBy(() -> NumpyArrays.readNpy(extra)).hasMessageContaining("followed by bytes");
    }

    @Test
    void npzRefusesForeignEntriesAndCorruptZips() throws IOException {
        Path foreign = dir.resolve("foreign.npz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("run.sh"));
            zip.write("echo hi".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        Files.write(foreign, bytes.toByteArray());
        assertThatThrownBy(() -> Checkpoints.load(foreign)).hasMessageContaining("'run.sh' is not a .npy array");

        Path corrupt = dir.resolve("corrupt.npz");
        byte[] zipBytes = bytes.toByteArray();
        Files.write(corrupt, Arrays.copyOf(zipBytes, zipBytes.length / 2));
        assertThatThrownBy(() -> Checkpoints.load(corrupt)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageStartingWith("corrupt.npz: ");
    }
}
