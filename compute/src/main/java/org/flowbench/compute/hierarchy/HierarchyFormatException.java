package org.flowbench.compute.hierarchy;

import java.io.IOException;
import java.nio.file.Path;

/** A hierarchy or embedding file that cannot be used; the message names the file and, where known, the line. */
public final class HierarchyFormatException extends IOException {

    public HierarchyFormatException(Path file, String problem) {
        super((file == null ? "" : file + ": ") + problem);
    }

    public HierarchyFormatException(Path file, long line, String problem) {
        super((file == null ? "" : file + " ") + "line " + line + ": " + problem);
    }
}
