package org.flowbench.compute.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that is corrupt, truncated, hostile or of the wrong kind; the message is one line naming the file. */
public final class CheckpointFormatException extends IOException {

    public CheckpointFormatException(Path file, String problem) {
        super(describe(file) + problem);
    }

    public CheckpointFormatException(Path file, String problem, Throwable cause) {
        super(describe(file) + problem, cause);
    }

    private static String describe(Path file) {
        return file == null || file.getFileName() == null ? "" : file.getFileName() + ": ";
    }
}
