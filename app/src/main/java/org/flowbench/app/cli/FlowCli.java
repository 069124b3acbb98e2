package org.flowbench.app.cli;

import org.flowbench.compute.checkpoint.AtomicFiles;
import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.io.OutputFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks and file output shared by the flow commands (train-flow, reflow, distill, sample, eval, boss). */
final class FlowCli {

    private FlowCli() {
    }

    /** Opens the device the user chose with --device; it falls back to cpu with a warning on stderr. */
    static ComputeDevice openDevice(DeviceOptions options, PrintWriter err) {
        return options.open(err);
    }

    static int positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be a positive whole number, got " + value);
        }
        return value;
    }

    static int atMost(String option, int value, int limit) {
        positive(option, value);
        if (value > limit) {
            throw new IllegalArgumentException(option + " must be at most " + limit + ", got " + value);
        }
        return value;
    }

    /** A learning rate or tolerance: finite and positive. */
    static double positiveRate(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + " must be a positive finite number, got " + value);
        }
        return value;
    }

    static double nonNegative(String option, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + " must be a non-negative finite number, got " + value);
        }
        return value;
    }

    static Dataset dataset(String option, String name) {
        try {
            return Datasets.byName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    /** A model file that must exist and be a regular file. */
    static Path existingFile(String option, Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file (" + option + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + " is not a regular file");
        }
        return file;
    }

    /**
     * A file the run will write, checked before any work: not one of {@code inputs}, not an existing
     * file unless {@code --force}, in a folder that exists and takes files.
     */
    static Output output(Path file, OverwriteOption overwrite, Path... inputs) throws IOException {
        List<Path> read = new ArrayList<>();
        for (Path p : inputs) {
            if (p != null) {
                read.add(p);
            }
        }
        Output output = new Output(file, overwrite != null && overwrite.force(), List.copyOf(read));
        OutputFiles.checkWritable(output.file(), output.force(), output.inputs());
        return output;
    }

    /** An output file with the run's inputs and whether it may replace an existing file; writes are atomic. */
    record Output(Path file, boolean force, List<Path> inputs) {

        void write(AtomicFiles.Body body) throws IOException {
            OutputFiles.write(file, force, inputs, body);
        }

        void write(byte[] bytes) throws IOException {
            OutputFiles.write(file, force, inputs, bytes);
        }

        /** Text in UTF-8 with '\n' line ends. */
        void writeText(TextBody body) throws IOException {
            write(textBody(body));
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }

    private static AtomicFiles.Body textBody(TextBody body) {
        return out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            body.write(w);
            w.flush();
        };
    }

    @FunctionalInterface
    interface TextBody {
        void write(Writer w) throws IOException;
    }

    /** The shortest decimal that reads back as the same float, so files are exact and reproducible. */
    static String number(float v) {
        return Float.toString(v);
    }

    /** Points {@code [n*2]} as CSV with header x,y. */
    static void writePoints(Output file, float[] xy, int n) throws IOException {
        file.writeText(w -> {
            w.write("x,y\n");
            for (int i = 0; i < n; i++) {
                w.write(number(xy[2 * i]));
                w.write(',');
                w.write(number(xy[2 * i + 1]));
                w.write('\n');
            }
        });
    }
}
