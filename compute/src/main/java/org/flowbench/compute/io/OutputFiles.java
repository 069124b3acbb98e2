package org.flowbench.compute.io;

import org.flowbench.compute.checkpoint.AtomicFiles;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The rules every writer follows so that no run loses a file: never write onto a file the same
 * run reads (compared as real files, so a symbolic or hard link to an input counts), never
 * replace an existing file unless the caller says so, never write into a folder that is not
 * there, and write atomically (a temporary file beside the target, then a move) so that a failed
 * or interrupted write leaves the old file whole. Failures are {@link OutputFileException}s whose
 * one-line message names the path as the user gave it and the operating system's reason, never
 * the temporary file.
 *
 * <p>Callers check before the work ({@link #checkWritable}) so a long run does not end in a
 * refusal, and write with {@link #write}, which checks again.
 */
public final class OutputFiles {

    private OutputFiles() {
    }

    /**
     * Checks that {@code out} may be written by a run that reads {@code inputs}.
     *
     * @param force  whether an existing file may be replaced
     * @param inputs files the run reads; nulls and files that do not exist are ignored
     * @throws OutputFileException naming the path and the reason when it may not or cannot be written
     */
    public static void checkWritable(Path out, boolean force, Collection<Path> inputs) throws OutputFileException {
        Objects.requireNonNull(out, "out");
        for (Path input : inputs) {
            if (input != null && sameFile(out, input)) {
                throw new OutputFileException(out, OutputFileException.Problem.SAME_AS_INPUT,
                        out + " is also an input of this run (" + input + "); write the result to another file");
            }
        }
        if (Files.isDirectory(out)) {
            throw new OutputFileException(out, OutputFileException.Problem.IS_FOLDER, out + " is a folder; name a file to write");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new OutputFileException(out, OutputFileException.Problem.NO_FOLDER, Files.exists(parent)
                    ? "cannot write " + out + ": " + parent + " is not a folder"
                    : "cannot write " + out + ": no folder " + parent);
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !force) {
            throw new OutputFileException(out, OutputFileException.Problem.EXISTS,
                    out + " already exists; pass --force to replace it");
        }
        if (parent != null && !Files.isWritable(parent)) {
            throw new OutputFileException(out, OutputFileException.Problem.WRITE_FAILED,
                    "cannot write " + out + ": the folder " + parent + " is not writable");
        }
    }

    /** Checks that the outputs of one run name different files (nulls are ignored). */
    public static void checkDistinct(Path... outputs) throws OutputFileException {
        List<Path> seen = new ArrayList<>();
        for (Path p : outputs) {
            if (p == null) {
                continue;
            }
            for (Path q : seen) {
                if (sameFile(p, q)) {
                    throw new OutputFileException(p, OutputFileException.Problem.SAME_AS_OTHER_OUTPUT,
                            p + " and " + q + " are the same file; give each output its own");
                }
            }
            seen.add(p);
        }
    }

    /**
     * Checks as {@link #checkWritable} does, then writes atomically: a temporary file in the same
     * folder, forced to disk, moved over {@code out}.
     */
    public static void write(Path out, boolean force, Collection<Path> inputs, AtomicFiles.Body body) throws IOException {
        checkWritable(out, force, inputs);
        try {
            AtomicFiles.write(out, body);
        } catch (FileSystemException e) {
            throw new OutputFileException(out, OutputFileException.Problem.WRITE_FAILED,
                    "cannot write " + out + ": " + reason(e), e);
        } catch (IOException e) {
            if (e instanceof OutputFileException || !isFileSystemFailure(e)) {
                throw e;
            }
            throw new OutputFileException(out, OutputFileException.Problem.WRITE_FAILED,
                    "cannot write " + out + ": " + MessageText.joinLines(e.getMessage(), "input/output error"), e);
        }
    }

    /** Writes bytes with {@link #write(Path, boolean, Collection, AtomicFiles.Body)}. */
    public static void write(Path out, boolean force, Collection<Path> inputs, byte[] bytes) throws IOException {
        write(out, force, inputs, o -> o.write(bytes));
    }

    /** Same file on disk: equal real paths, or the same file reached through a link; false when either is absent. */
    static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
            // A file that does not exist yet still collides with another name of the same future file.
            return realPathOfMaybeMissing(a).equals(realPathOfMaybeMissing(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path realPathOfMaybeMissing(Path p) throws IOException {
        Path absolute = p.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent != null && Files.exists(parent)) {
            return parent.toRealPath().resolve(absolute.getFileName());
        }
        return absolute;
    }

    /** The operating system's words for a failure, without the temporary file's name. */
    private static String reason(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "the file system does not let a file be created there";
        }
        String reason = e.getReason();
        if (reason != null && !reason.isBlank()) {
            return MessageText.joinLines(reason, "input/output error").toLowerCase(java.util.Locale.ROOT);
        }
        return e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Disk-full and device errors arrive as plain IOExceptions from the stream; body errors of other kinds are the caller's. */
    private static boolean isFileSystemFailure(IOException e) {
        return e.getClass() == IOException.class;
    }
}
