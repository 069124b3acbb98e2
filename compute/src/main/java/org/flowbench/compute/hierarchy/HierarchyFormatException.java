package org.flowbench.compute.hierarchy;

import org.flowbench.compute.io.MessageText;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A hierarchy or embedding file that cannot be used; the message is one line naming the file and,
 * where known, the line (control characters quoted from the file are escaped).
 */
public final class HierarchyFormatException extends IOException {

    public HierarchyFormatException(Path file, String problem) {
        super(MessageText.escapeControls((file == null ? "" : file + ": ") + problem));
    }

    public HierarchyFormatException(Path file, long line, String problem) {
        super(MessageText.escapeControls((file == null ? "" : file + " ") + "line " + line + ": " + problem));
    }
}
