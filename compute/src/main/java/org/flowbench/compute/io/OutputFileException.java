package org.flowbench.compute.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** A file that may not or cannot be written; the message is one line naming the user's path and the reason. */
public final class OutputFileException extends IOException {

    /** Why the file was not written, so a window can ask instead of failing where asking makes sense. */
    public enum Problem {
        /** The path is also a file this run reads. */
        SAME_AS_INPUT,
        /** Two outputs of one run name the same file. */
        SAME_AS_OTHER_OUTPUT,
        /** A file is there and replacing it was not allowed. */
        EXISTS,
        /** The path names a folder. */
        IS_FOLDER,
        /** The folder the file would go into does not exist or is not a folder. */
        NO_FOLDER,
        /** The operating system refused the write (permissions, read-only or full disk...). */
        WRITE_FAILED
    }

    private final Path file;
    private final Problem problem;

    public OutputFileException(Path file, Problem problem, String message) {
        super(message);
        this.file = Objects.requireNonNull(file, "file");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public OutputFileException(Path file, Problem problem, String message, Throwable cause) {
        this(file, problem, message);
        initCause(cause);
    }

    /** The path as the user gave it. */
    public Path file() {
        return file;
    }

    public Problem problem() {
        return problem;
    }
}
