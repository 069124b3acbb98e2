package org.flowbench.compute.lm;

import org.flowbench.compute.checkpoint.AtomicFiles;
import org.flowbench.compute.device.ComputeDevice;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A grid of training runs, placements x peak learning rates x warm-up on/off x seeds, on one
 * model shape and one synthetic task: each run's final loss (mean of the last tenth of its
 * steps) and whether it diverged, at which step and layer (Xiong et al.'s Figure 1 story:
 * Post-LN without warm-up fails at a learning rate where Pre-LN trains).
 *
 * <p>A sweep is stored as a CSV file: {@code # key=value} lines with the model, the task and the
 * training settings, then a header and one row per run. The same grid and seeds give the same
 * bytes on the cpu device.
 */
public final class LmSweep {

    /** The largest sweep file read, in bytes: a grid of thousands of rows fits easily. */
    public static final long MAX_FILE_BYTES = 4L << 20;
    /** The most runs one sweep holds. */
    public static final int MAX_RUNS = 10_000;
    static final String HEADER = "placement,lr,warmup,seed,final_loss,diverged,diverged_step,diverged_layer";
    private static final String MAGIC = "# flowbench sweep-lm";

    private LmSweep() {
    }

    /** One run's settings: where the norm sits, the peak learning rate, warm-up or not, the seed. */
    public record Cell(Placement placement, float lr, boolean warmup, long seed) {
    }

    /**
     * One run's outcome.
     *
     * @param finalLoss     mean loss of the last tenth of the steps; NaN when it diverged
     * @param divergedStep  the step where the loss or a gradient stopped being finite, or -1
     * @param divergedLayer the first layer with non-finite values there (0 embeddings), or -1
     */
    public record Outcome(Cell cell, double finalLoss, int divergedStep, int divergedLayer) {
        public boolean diverged() {
            return divergedStep >= 0;
        }
    }

    /**
     * What every run of a sweep shares.
     *
     * @param model       the model shape (its placement is replaced by each cell's)
     * @param task        the synthetic task
     * @param taskSize    its length or modulus
     * @param steps       training steps per run
     * @param batch       sequences per step
     * @param warmupSteps warm-up steps of the runs with warm-up on
     * @param weightDecay AdamW decoupled weight decay
     */
    public record Settings(LmConfig model, SyntheticTask.Kind task, int taskSize, int steps, int batch,
                           int warmupSteps, float weightDecay) {
        public Settings {
            if (model == null || task == null) {
                throw new IllegalArgumentException("model and task must be given");
            }
            SyntheticTask data = new SyntheticTask(task, taskSize);
            if (model.vocab() != data.vocab() || model.context() < data.seq()) {
                throw new IllegalArgumentException("the model (vocab " + model.vocab() + ", context " + model.context()
                        + ") does not fit the task " + data.describe() + " (vocab " + data.vocab() + ", sequences of "
                        + data.seq() + ")");
            }
            if (steps < 1 || steps > 1_000_000) {
                throw new IllegalArgumentException("steps must be in [1, 1000000], got " + steps);
            }
            if (batch < 1 || batch > 4096) {
                throw new IllegalArgumentException("batch must be in [1, 4096], got " + batch);
            }
            if (warmupSteps < 0 || warmupSteps > steps) {
                throw new IllegalArgumentException("warm-up must be in [0, steps = " + steps + "], got " + warmupSteps);
            }
            if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
                throw new IllegalArgumentException("weight decay must be finite and not negative, got " + weightDecay);
            }
        }

        public SyntheticTask data() {
            return new SyntheticTask(task, taskSize);
        }

        /** The model of one cell, on this task's vocabulary and sequence length. */
        public LmConfig config(Cell cell) {
            return model.withPlacement(cell.placement());
        }

        /** The training run of one cell (probing only at initialisation and at the last step). */
        public LmRecording.Settings recording(Cell cell, int probeEvery) {
            LmOptimizerConfig opt = new LmOptimizerConfig(cell.lr(), 0.9f, 0.95f, 1e-8f, weightDecay,
                    cell.warmup() ? warmupSteps : 0, steps, 0.1f, 0f);
            return new LmRecording.Settings(config(cell), data(), opt, batch, probeEvery, 1, cell.seed());
        }
    }

    /** A finished sweep. */
    public record Sweep(Settings settings, List<Outcome> outcomes) {
        public Sweep {
            outcomes = List.copyOf(outcomes);
        }
    }

    /** Told after each run (on the job's thread). */
    public interface Progress {
        void ran(int done, int total, Outcome outcome);
    }

    /** Every combination in the order placement, learning rate, warm-up, seed (the last varies fastest). */
    public static List<Cell> grid(List<Placement> placements, List<Float> lrs, List<Boolean> warmups, List<Long> seeds) {
        if (placements.isEmpty() || lrs.isEmpty() || warmups.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("every axis of the sweep needs at least one value");
        }
        long n = (long) placements.size() * lrs.size() * warmups.size() * seeds.size();
        if (n > MAX_RUNS) {
            throw new IllegalArgumentException("a sweep of " + n + " runs is too large (at most " + MAX_RUNS + ")");
        }
        List<Cell> cells = new ArrayList<>();
        for (Placement p : placements) {
            for (float lr : lrs) {
                if (!(lr > 0) || !Float.isFinite(lr)) {
                    throw new IllegalArgumentException("learning rates must be positive and finite, got " + lr);
                }
                for (boolean w : warmups) {
                    for (long s : seeds) {
                        cells.add(new Cell(p, lr, w, s));
                    }
                }
            }
        }
        return cells;
    }

    /** Trains every cell in turn. */
    public static Sweep run(ComputeDevice device, Settings settings, List<Cell> cells, Progress progress,
                            BooleanSupplier cancelled) {
        List<Outcome> out = new ArrayList<>();
        for (Cell cell : cells) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException("sweep cancelled after " + out.size() + " of " + cells.size() + " runs");
            }
            LmRecording.Result r = LmRecording.train(device, settings.recording(cell, settings.steps()), null,
                    cancelled);
            Outcome o = new Outcome(cell, r.finalLoss(), r.divergedStep(), r.divergedLayer());
            out.add(o);
            if (progress != null) {
                progress.ran(out.size(), cells.size(), o);
            }
        }
        return new Sweep(settings, out);
    }

    // ----------------------------------------------------------------------------------------
    // File

    /** The sweep as CSV text. */
    public static String format(Sweep sweep) {
        Settings s = sweep.settings();
        StringBuilder b = new StringBuilder();
        b.append(MAGIC).append('\n');
        b.append("# model=").append(s.model().describe()).append('\n');
        b.append("# task=").append(s.task().name().toLowerCase(Locale.ROOT)).append('\n');
        b.append("# task_size=").append(s.taskSize()).append('\n');
        b.append("# steps=").append(s.steps()).append('\n');
        b.append("# batch=").append(s.batch()).append('\n');
        b.append("# warmup_steps=").append(s.warmupSteps()).append('\n');
        b.append("# weight_decay=").append(s.weightDecay()).append('\n');
        b.append("# optimizer=adamw betas=0.9,0.95 eps=1e-8 cosine_floor=0.1 clip=0\n");
        b.append(HEADER).append('\n');
        for (Outcome o : sweep.outcomes()) {
            Cell c = o.cell();
            b.append(c.placement().label()).append(',').append(c.lr()).append(',').append(c.warmup() ? "on" : "off")
                    .append(',').append(c.seed()).append(',')
                    .append(o.diverged() ? "nan" : String.format(Locale.ROOT, "%.6g", o.finalLoss())).append(',')
                    .append(o.diverged()).append(',').append(o.divergedStep()).append(',').append(o.divergedLayer())
                    .append('\n');
        }
        return b.toString();
    }

    /** Writes the sweep atomically. */
    public static void write(Path file, Sweep sweep) throws IOException {
        AtomicFiles.write(file, format(sweep).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a sweep file; anything malformed is one line naming the file and the line. */
    public static Sweep read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not a file");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + ": " + size + " bytes is too large for a sweep file (at most "
                    + MAX_FILE_BYTES + ")");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        }
        try {
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /** Parses {@link #format}'s text. */
    public static Sweep parse(String text) {
        // a lone carriage return ends a line too, so no line (and no message quoting one) holds a break
        String[] lines = text.lines().toArray(String[]::new);
        if (lines.length == 0 || !lines[0].strip().equals(MAGIC)) {
            throw new IllegalArgumentException("not a sweep file (the first line is not '" + MAGIC + "')");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        int i = 1;
        for (; i < lines.length && lines[i].startsWith("#"); i++) {
            String kv = lines[i].substring(1).strip();
            int eq = kv.indexOf('=');
            if (eq > 0) {
                meta.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        if (i >= lines.length || !lines[i].strip().equals(HEADER)) {
            throw new IllegalArgumentException("line " + (i + 1) + ": expected the header '" + HEADER + "'");
        }
        Settings settings;
        try {
            settings = new Settings(LmConfig.parse(need(meta, "model")), SyntheticTask.parseKind(need(meta, "task")),
                    Integer.parseInt(need(meta, "task_size")), Integer.parseInt(need(meta, "steps")),
                    Integer.parseInt(need(meta, "batch")), Integer.parseInt(need(meta, "warmup_steps")),
                    Float.parseFloat(need(meta, "weight_decay")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a setting is not a number: " + e.getMessage());
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (i++; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (outcomes.size() >= MAX_RUNS) {
                throw new IllegalArgumentException("more than " + MAX_RUNS + " runs");
            }
            String[] f = line.split(",", -1);
            if (f.length != 8) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected 8 fields, got " + f.length);
            }
            try {
                boolean warm = switch (f[2].strip()) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("warm-up '" + f[2] + "' is not on or off");
                };
                float lr = Float.parseFloat(f[1]);
                if (!(lr > 0) || !Float.isFinite(lr)) {
                    throw new IllegalArgumentException("learning rate " + f[1] + " is not positive and finite");
                }
                Cell cell = new Cell(Placement.parse(f[0]), lr, warm, Long.parseLong(f[3].strip()));
                boolean diverged = Boolean.parseBoolean(f[5].strip());
                double loss = f[4].strip().equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(f[4]);
                if (!diverged && !Double.isFinite(loss)) {
                    throw new IllegalArgumentException("a run that did not diverge has loss " + f[4]);
                }
                outcomes.add(new Outcome(cell, loss, diverged ? Integer.parseInt(f[6].strip()) : -1,
                        diverged ? Integer.parseInt(f[7].strip()) : -1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": a number does not parse: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Sweep(settings, outcomes);
    }

    private static String need(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException("setting '" + key + "' is missing");
        }
        return v;
    }
}
