package org.flowbench.compute.checkpoint;

import org.flowbench.compute.io.MessageText;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that is corrupt, truncated, hostile or of the wrong kind; the message is one line
 * naming the file (control characters quoted from the file are escaped).
 */
public final class CheckpointFormatException extends IOException {

    public CheckpointFormatException(Path file, String problem) {
        super(MessageText.escapeControls(describe(file) + problem));
    }

    public CheckpointFormatException(Path file, String problem, Throwable cause) {
        super(MessageText.escapeControls(describe(file) + problem), cause);
    }

    private static String describe(Path file) {
        return file == null || file.getFileName() == null ? "" : file.getFileName() + ": ";
    }
}
