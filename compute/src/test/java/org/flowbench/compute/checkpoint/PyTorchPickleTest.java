package org.flowbench.compute.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** torch.save's files are refused in one line that says what to save instead; they are never unpickled. */
class PyTorchPickleTest {

    @TempDir
    Path dir;

    @Test
    void aBarePickleIsRefusedNamingTheWayOut() throws IOException {
        Path file = dir.resolve("model.pt");
        Files.write(file, new byte[] {(byte) 0x80, 2, '}', 'q', 0, '.'});
        assertThatThrownBy(() -> Checkpoints.load(file)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("model.pt").hasMessageContaining("PyTorch pickle").hasMessageContaining("safetensors")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aSafetensorsFileWhoseHeaderLengthLooksLikeAPickleOpensAsSafetensors() throws IOException {
        // header length 0x0280 = 640: its first two bytes are a pickle's 0x80 0x02
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"note\":\"");
        while (json.length() < 640 - 3) {
            json.append('x');
        }
        json.append("\"}}");
        byte[] header = json.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(8 + header.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length).put(header);
        Path file = dir.resolve("looks-like-a-pickle.safetensors");
        Files.write(file, bytes.array());
        org.assertj.core.api.Assertions.assertThat(Checkpoints.load(file).metadata()).containsKey("note");
    }

    @Test
    void aZipArchiveFromTorchSaveIsRefusedButAnNpzIsNot() throws IOException {
        Path pth = dir.resolve("weights.pth");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(pth))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(new byte[] {(byte) 0x80, 2, '.'});
            zip.closeEntry();
        }
        assertThatThrownBy(() -> Checkpoints.load(pth)).hasMessageContaining("PyTorch pickle");
        Path npz = dir.resolve("weights.npz");
        Files.copy(pth, npz);
        assertThatThrownBy(() -> Checkpoints.load(npz)).isInstanceOf(IOException.class)
                .hasMessageNotContaining("PyTorch pickle");
    }
}
