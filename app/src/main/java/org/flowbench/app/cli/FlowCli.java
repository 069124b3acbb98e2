package org.flowbench.app.cli;

import org.flowbench.compute.checkpoint.AtomicFiles;
import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.io.OutputFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks and file output shared by the flow commands (train-flow, reflow, distill, sample, eval, boss). */
final class FlowCli {

    private FlowCli() {
    }

    static Dataset dataset(String option, String name) {
        try {
            return Datasets.byName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
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
        void writeText(TextFiles.Body body) throws IOException {
            write(TextFiles.utf8(body));
        }

        @Override
        public String toString() {
            return file.toString();
        }
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
