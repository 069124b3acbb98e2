package org.flowbench.app.cli.gflownet;

import org.flowbench.app.cli.TextFiles;
import org.flowbench.compute.checkpoint.AtomicFiles;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
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

    /** Writes text atomically in UTF-8 with '\n' line ends. */
    static void writeText(Path file, TextFiles.Body body) throws IOException {
        AtomicFiles.write(file, TextFiles.utf8(body));
    }

    /** A number for CSV and text output: round-trip exact, NaN as empty. */
    static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    static String fixed(double v) {
        return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.6g", v);
    }
}
