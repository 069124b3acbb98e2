package org.flowbench.compute.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Opens any checkpoint file Flowbench reads, telling the format by its first bytes. */
public final class Checkpoints {

    private Checkpoints() {
    }

    /** Safetensors, .npy (one tensor named after the file) or .npz. */
    public static Checkpoint load(Path file) throws IOException {
        byte[] head = new byte[6];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return NumpyArrays.readNpz(file);
        }
        if (n == 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N' && head[2] == 'U' && head[3] == 'M' && head[4] == 'P' && head[5] == 'Y') {
            return new Checkpoint(file, Map.of(), List.of(NumpyArrays.readNpy(file)));
        }
        return Safetensors.read(file);
    }
}
