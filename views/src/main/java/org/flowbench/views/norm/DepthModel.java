package org.flowbench.views.norm;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.io.MessageText;
import org.flowbench.compute.lm.AttentionKind;
import org.flowbench.compute.lm.CheckpointProbe;
import org.flowbench.compute.lm.Gpt2Checkpoint;
import org.flowbench.compute.lm.LmActivations;
import org.flowbench.compute.lm.LmBatch;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmOptimizerConfig;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.LmRecording;
import org.flowbench.compute.lm.LmRunFile;
import org.flowbench.compute.lm.Placement;
import org.flowbench.compute.lm.SyntheticTask;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.lab.LabContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Depth page's view model: the runs side by side (recorded files or runs trained here), the
 * metric, the training step the timeline is at, and the |x| read-out of one run's stored weights.
 * Loading and training are background jobs ("latest job wins"); while a run trains, each new
 * probe replaces the run shown, so the curves grow live. Every change rebuilds the immutable
 * {@link DepthFigure} in {@link #figureProperty()}.
 */
public final class DepthModel {

    /** Most token ids the probe's input takes; the model reads at most its context of them. */
    static final int MAX_PROBE_TOKENS = 1 << 16;
    private static final java.util.regex.Pattern IDS = java.util.regex.Pattern.compile("\\d+(\\s*,\\s*\\d+)*");

    /** Most runs side by side. */
    public static final int MAX_RUNS = 5;
    /** Sequences of the batch the |x| panel reads. */
    static final int ACTIVATION_SEQUENCES = 2;

    /**
     * A training request: the placements side by side on the same data, seed and initial
     * weights (the seed draws them; every placement of one width and depth has the same layout
     * of matrices), each a run of {@code steps} AdamW steps.
     */
    public record TrainSettings(List<Placement> placements, int width, int layers, int heads, int steps, float lr,
                                boolean warmup, long seed, SyntheticTask.Kind task, int taskSize, int batch,
                                AttentionKind attention) {
        public TrainSettings {
            if (placements.isEmpty() || placements.size() > MAX_RUNS) {
                throw new IllegalArgumentException("train 1 to " + MAX_RUNS + " placements, got " + placements.size());
            }
            placements = List.copyOf(placements);
            if (attention == null) {
                attention = AttentionKind.SOFTMAX;
            }
            if (steps < 1 || steps > 100_000) {
                throw new IllegalArgumentException("steps must be in [1, 100000], got " + steps);
            }
            if (!(lr > 0) || lr > 10) {
                throw new IllegalArgumentException("learning rate must be in (0, 10], got " + lr);
            }
        }

        /** The default: width 64, 6 layers, 4 heads, 100 steps of reverse-8, lr 1e-2 with warm-up, Post/Pre/Peri-LN. */
        public static TrainSettings defaults() {
            return new TrainSettings(List.of(Placement.POST, Placement.PRE, Placement.PERI), 64, 6, 4, 100, 1e-2f, true,
                    1, SyntheticTask.Kind.REVERSE, 8, 16, AttentionKind.SOFTMAX);
        }

        public TrainSettings withPlacements(List<Placement> p) {
            return new TrainSettings(p, width, layers, heads, steps, lr, warmup, seed, task, taskSize, batch, attention);
        }

        public TrainSettings withAttention(AttentionKind a) {
            return new TrainSettings(placements, width, layers, heads, steps, lr, warmup, seed, task, taskSize, batch, a);
        }

        /** The recording of one placement (a probe about every twenty-fifth of the run). */
        public LmRecording.Settings recording(Placement p) {
            SyntheticTask data = new SyntheticTask(task, taskSize);
            LmConfig config = LmConfig.of(data.vocab(), data.seq(), width, heads, layers, p).withAttention(attention);
            LmOptimizerConfig opt = LmOptimizerConfig.adamW(lr, warmup ? steps / 10 : 0, steps);
            return new LmRecording.Settings(config, data, opt, batch, Math.max(1, steps / 25), 1, seed);
        }
    }

    private final LabContext context;
    private final LatestJobSlot loading;
    private final LatestJobSlot training;
    private final LatestJobSlot reading;
    private final ReadOnlyObjectWrapper<List<DepthRun>> runs = new ReadOnlyObjectWrapper<>(this, "runs", List.of());
    private final ObjectProperty<DepthMetric> metric = new SimpleObjectProperty<>(this, "metric", DepthMetric.VARIANCE);
    private final DoubleProperty step = new SimpleDoubleProperty(this, "step", 0);
    private final IntegerProperty activationRun = new SimpleIntegerProperty(this, "activationRun", 1);
    private final IntegerProperty activationLayer = new SimpleIntegerProperty(this, "activationLayer", -1);
    private final ReadOnlyObjectWrapper<DepthFigure.Activations> activations = new ReadOnlyObjectWrapper<>(this, "activations");
    private final ReadOnlyObjectWrapper<DepthFigure> figure = new ReadOnlyObjectWrapper<>(this, "figure");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy", false);
    private final ReadOnlyObjectWrapper<Double> progress = new ReadOnlyObjectWrapper<>(this, "progress", 0.0);
    private TrainSettings trainSettings = TrainSettings.defaults();

    public DepthModel(LabContext context) {
        this.context = context;
        this.loading = new LatestJobSlot(context.executor(), context.later());
        this.training = new LatestJobSlot(context.executor(), context.later());
        this.reading = new LatestJobSlot(context.executor(), context.later());
        metric.addListener((o, a, b) -> rebuild());
        step.addListener((o, a, b) -> rebuild());
        activationRun.addListener((o, a, b) -> readActivations());
        activationLayer.addListener((o, a, b) -> readActivations());
        activations.addListener((o, a, b) -> rebuild());
        context.theme().addListener((o, a, b) -> rebuild());
    }

    // ----------------------------------------------------------------------------------------
    // Properties

    public ReadOnlyObjectProperty<List<DepthRun>> runsProperty() {
        return runs.getReadOnlyProperty();
    }

    public List<DepthRun> runs() {
        return runs.get();
    }

    public ObjectProperty<DepthMetric> metricProperty() {
        return metric;
    }

    /** The training step shown; the timeline drives it. */
    public DoubleProperty stepProperty() {
        return step;
    }

    /** The run (index) whose stored weights the |x| panel reads. */
    public IntegerProperty activationRunProperty() {
        return activationRun;
    }

    /** The layer the |x| panel shows; -1 for the last. */
    public IntegerProperty activationLayerProperty() {
        return activationLayer;
    }

    public ReadOnlyObjectProperty<DepthFigure.Activations> activationsProperty() {
        return activations.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<DepthFigure> figureProperty() {
        return figure.getReadOnlyProperty();
    }

    /** The last thing that happened or went wrong, one line. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** True while a run trains. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The training job's progress, 0 to 1. */
    public ReadOnlyObjectProperty<Double> progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public TrainSettings trainSettings() {
        return trainSettings;
    }

    public void setTrainSettings(TrainSettings settings) {
        trainSettings = settings;
    }

    /** The last step any run reaches (the timeline's end). */
    public int maxStep() {
        int max = 0;
        for (DepthRun r : runs.get()) {
            max = Math.max(max, Math.max(r.lastStep(), r.totalSteps()));
        }
        return max;
    }

    // ----------------------------------------------------------------------------------------
    // Jobs

    /** Reads run files in the background and shows them side by side, in place of the runs shown, at their last step. */
    public void load(List<Path> files) {
        load(files, -1);
    }

    /** As {@link #load(List)}, then shows training step {@code step} (-1: the last). */
    public void load(List<Path> files, int step) {
        List<Path> chosen = List.copyOf(files);
        loading.request(() -> BackgroundTask.<List<DepthRun>>of("Read " + chosen.size() + " run file(s)", ctx -> {
            List<DepthRun> out = new ArrayList<>();
            for (Path f : chosen) {
                ctx.checkCancelled();
                out.add(DepthRun.of(LmRunFile.read(f), f));
            }
            return out;
        }).onSuccess(list -> {
            setRuns(list, true);
            if (step >= 0) {
                this.step.set(Math.min(step, maxStep()));
            }
            say("Showing " + names(list) + statisticsNotes(list));
        }).onFailure(this::fail));
    }

    /** Opens one run file: it replaces the run of the same placement, or joins the runs shown. */
    public void open(Path file) {
        loading.request(() -> BackgroundTask.<DepthRun>of("Open " + file.getFileName(), ctx ->
                DepthRun.of(LmRunFile.read(file), file)).onSuccess(run -> {
                    List<DepthRun> next = new ArrayList<>(runs.get());
                    int same = -1;
                    for (int i = 0; i < next.size(); i++) {
                        if (next.get(i).config().placement() == run.config().placement()) {
                            same = i;
                        }
                    }
                    if (same >= 0) {
                        next.set(same, run);
                    } else {
                        if (next.size() >= MAX_RUNS) {
                            next.remove(0);
                        }
                        next.add(run);
                    }
                    setRuns(next, false);
                    activationRun.set(next.indexOf(run));
                    say("Opened " + file.getFileName() + " (" + run.label() + ", " + run.lastStep() + " steps)"
                            + statisticsNotes(List.of(run)));
                }).onFailure(this::fail));
    }

    /**
     * Loads a GPT-2-style checkpoint and probes it once on {@code input} (in the background); the
     * probe joins the runs shown as one more run at step 0, labelled "GPT-2 " and the file name.
     * The input is comma-separated token ids when it parses as integers, else its UTF-8 bytes
     * (a byte-level model, vocabulary 256).
     */
    public void probeCheckpoint(Path file, String input) {
        String text = input == null ? "" : input;
        loading.request(() -> BackgroundTask.<DepthRun>of("Probe " + file.getFileName(), ctx -> {
            Gpt2Checkpoint checkpoint = Gpt2Checkpoint.read(file, null);
            int[] tokens = checkpointTokens(text, checkpoint.config().vocab());
            ctx.checkCancelled();
            try (ComputeDevice device = context.devices().open(w -> context.later().execute(() -> say(w)))) {
                LmProbe probe = CheckpointProbe.probe(checkpoint, device, tokens);
                return new DepthRun("GPT-2 " + file.getFileName(), checkpoint.config(), List.of(probe), null,
                        CheckpointProbe.withinContext(checkpoint.config(), tokens).length + " tokens of '"
                                + MessageText.abbreviate(text, 40) + "'", -1, -1, file, 0);
            }
        }).onRunning(() -> say("Probing " + file.getFileName() + " ...")).onSuccess(run -> {
            List<DepthRun> next = new ArrayList<>(runs.get());
            if (next.size() >= MAX_RUNS) {
                next.remove(0);
            }
            next.add(run);
            setRuns(next, false);
            LmConfig c = run.config();
            say(String.format(Locale.ROOT, "Probed %s: %d layers, width %d, %d heads, vocabulary %d, %s (loss %.4f)",
                    file.getFileName(), c.layers(), c.width(), c.heads(), c.vocab(), run.data(),
                    run.probes().get(0).loss()));
        }).onFailure(this::fail));
    }

    /**
     * The token ids of the probe's input: comma-separated integers as given, else the UTF-8 bytes
     * of the text for a 256-entry vocabulary; a one-line error when neither applies.
     */
    static int[] checkpointTokens(String input, int vocab) {
        String s = input.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("type a short text or comma-separated token ids to probe the checkpoint on");
        }
        if (IDS.matcher(s).matches()) {
            String[] parts = s.split("\\s*,\\s*");
            if (parts.length > MAX_PROBE_TOKENS) {
                throw new IllegalArgumentException(parts.length + " token ids, more than " + MAX_PROBE_TOKENS);
            }
            int[] ids = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                long id = parts[i].length() > 10 ? Long.MAX_VALUE : Long.parseLong(parts[i]);
                if (id >= vocab) {
                    throw new IllegalArgumentException("token id " + parts[i] + " (item " + (i + 1)
                            + ") is outside the vocabulary [0, " + vocab + ")");
                }
                ids[i] = (int) id;
            }
            return ids;
        }
        if (vocab != 256) {
            throw new IllegalArgumentException("this checkpoint's vocabulary is " + vocab + ", not bytes (256): type its "
                    + "token ids, comma-separated (norm-probe --model --text reads a tokenizer.json)");
        }
        return CheckpointProbe.utf8Bytes(input);
    }

    /** Trains the placements of {@link #trainSettings()} one after the other, the curves growing live. */
    public void train() {
        TrainSettings s = trainSettings;
        train(s.placements().stream().map(s::recording).toList());
    }

    /** Trains the given runs one after the other, the curves growing live; they replace the runs shown. */
    public void train(List<LmRecording.Settings> recordings) {
        List<LmRecording.Settings> recs = List.copyOf(recordings);
        long total = recs.stream().mapToLong(LmRecording.Settings::steps).sum();
        String title = recs.size() == 1 ? "Train " + DepthRun.placementName(recs.get(0).config()) + ", "
                + recs.get(0).steps() + " steps" : "Train " + recs.size() + " placements";
        training.request(() -> BackgroundTask.<List<DepthRun>>of(title, ctx -> {
            List<DepthRun> done = new ArrayList<>();
            long offset = 0;
            try (ComputeDevice device = context.devices().open(w -> context.later().execute(() -> say(w)))) {
                for (int i = 0; i < recs.size(); i++) {
                    LmRecording.Settings rec = recs.get(i);
                    String name = DepthRun.placementName(rec.config());
                    List<LmProbe> live = new ArrayList<>();
                    long before = offset;
                    int index = i;
                    LmRecording.Result r = LmRecording.train(device, rec, (st, steps, loss, probe) -> {
                        ctx.progress(before + st, total);
                        ctx.message(String.format(Locale.ROOT, "%s step %d/%d loss %.4f", name, st, steps, loss));
                        if (probe != null) {
                            live.add(probe);
                            DepthRun partial = new DepthRun(name, rec.config(), List.copyOf(live), null,
                                    rec.data().describe(), -1, -1, null, steps);
                            List<DepthRun> shown = new ArrayList<>(done);
                            shown.add(partial);
                            double fraction = (before + st) / (double) total;
                            context.later().execute(() -> showLive(shown, index, fraction));
                        }
                    }, ctx::isCancelled);
                    done.add(DepthRun.of(r));
                    offset += rec.steps();
                }
            }
            return done;
        }).onRunning(() -> {
            busy.set(true);
            progress.set(0.0);
            say(title + " ...");
        }).onSuccess(list -> {
            busy.set(false);
            setRuns(list, false);
            step.set(maxStep());
            long diverged = list.stream().filter(DepthRun::diverged).count();
            say("Trained " + names(list) + (diverged > 0 ? "; " + diverged + " diverged" : ""));
        }).onFailure(this::fail).onCancelled(() -> say("Training cancelled")).onFinished(() -> {
            busy.set(false);
            progress.set(1.0);
        }));
    }

    /** Stops the training or loading job. */
    public void cancel() {
        training.cancel();
        loading.cancel();
        reading.cancel();
    }

    private void showLive(List<DepthRun> shown, int index, double fraction) {
        if (!busy.get()) {
            return;
        }
        runs.set(List.copyOf(shown));
        // the |x| panel reads stored weights; a run still training has none yet
        reading.cancel();
        activations.set(null);
        progress.set(fraction);
        step.set(shown.get(index).lastStep());
        rebuild();
    }

    private void setRuns(List<DepthRun> list, boolean toEnd) {
        runs.set(List.copyOf(list));
        if (toEnd || step.get() > maxStep()) {
            step.set(maxStep());
        }
        if (activationRun.get() >= list.size()) {
            activationRun.set(Math.max(0, list.size() - 1));
        }
        rebuild();
        readActivations();
    }

    /** Reads |x| of the chosen run's stored weights by one forward pass (in the background). */
    private void readActivations() {
        List<DepthRun> list = runs.get();
        int index = activationRun.get();
        if (index < 0 || index >= list.size() || list.get(index).parameters() == null) {
            activations.set(null);
            return;
        }
        DepthRun run = list.get(index);
        int layer = activationLayer.get() < 0 ? run.config().layers()
                : Math.min(run.config().layers(), activationLayer.get());
        reading.request(() -> BackgroundTask.<DepthFigure.Activations>of("Read |x| of " + run.label(), ctx -> {
            try (ComputeDevice device = context.devices().open(w -> { })) {
                LmBatch batch = LmActivations.batchFor(run.config(), run.data(), ACTIVATION_SEQUENCES, 7);
                return new DepthFigure.Activations(run.label(), run.lastStep(), layer,
                        LmActivations.measure(device, run.config(), run.parameters(), run.normStatistics(), batch));
            }
        }).onSuccess(activations::set).onFailure(this::fail));
    }

    private void rebuild() {
        List<DepthRun> list = runs.get();
        if (list.isEmpty()) {
            figure.set(null);
            return;
        }
        FigureTheme theme = context.theme().getValue();
        figure.set(new DepthFigure(list, metric.get(), (int) Math.round(step.get()), activations.get(), theme));
    }

    private void say(String text) {
        message.set(text);
        context.status().accept(text);
    }

    private void fail(Throwable error) {
        say(Failures.oneLine(error));
    }

    /** "; " and the runs' notes about missing running statistics, or nothing. */
    private static String statisticsNotes(List<DepthRun> list) {
        StringBuilder out = new StringBuilder();
        for (DepthRun r : list) {
            String note = r.statisticsNote();
            if (note != null) {
                out.append("; ").append(note);
            }
        }
        return out.toString();
    }

    private static String names(List<DepthRun> list) {
        return String.join(", ", list.stream().map(DepthRun::label).toList());
    }

    /** Reads a run file on the calling thread (for tests and headless figures). */
    static DepthRun read(Path file) throws IOException {
        return DepthRun.of(LmRunFile.read(file), file);
    }
}
