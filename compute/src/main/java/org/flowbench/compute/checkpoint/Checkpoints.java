package org.flowbench.compute.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** Opens any checkpoint file Flowbench reads, telling the format by its first bytes. */
public final class Checkpoints {

    private Checkpoints() {
    }

    /** Safetensors, .npy (one tensor named after the file) or .npz, every tensor read. */
    public static Checkpoint load(Path file) throws IOException {
        return CheckpointIndex.open(file).readAll();
    }
}
