package org.flowbench.app.cli.gflownet;

import org.flowbench.compute.checkpoint.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Checks and file output shared by the GFlowNet commands. */
final class GfnCli {

    private GfnCli() {
    }

    /** Refuses to replace an existing file unless --force was given; checked before any work starts. */
    static Path writable(String option, Path file, boolean force) throws IOException {
        if (file == null) {
            return null;
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a directory");
        }
        if (Files.exists(file) && !force) {
            throw new FileAlreadyExistsException(file.toString(), null, "exists (" + option + "; add --force to replace it)");
        }
        return file;
    }

    static Path existing(String option, Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file (" + option + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + " is not a regular file");
        }
        return file;
    }

    static double positive(String option, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(option + " must be a positive finite number, got " + v);
        }
        return v;
    }

    static int positive(String option, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(option + " must be a positive whole number, got " + v);
        }
        return v;
    }

    /** Writes text atomically in UTF-8 with '\n' line ends. */
    static void writeText(Path file, TextBody body) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            body.write(w);
            w.flush();
        });
    }

    @FunctionalInterface
    interface TextBody {
        void write(Writer w) throws IOException;
    }

    /** A number for CSV and text output: round-trip exact, NaN as empty. */
    static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    static String fixed(double v) {
        return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.6g", v);
    }
}
