package org.flowbench.views.trajectories;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointIndex;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.nn.CheckpointImport;
import org.flowbench.compute.nn.ImportPreset;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.TimeEmbedding;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.jobs.TaskExecutor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The import dialog's view model: for one foreign checkpoint, the tensors its header lists, the
 * preset (by default the first whose layer names match), activation and time embedding (the
 * preset's unless overridden), the source and target data sets, the architecture inferred from the
 * header, or the one-line reason none can be, and a preview of the imported model's trajectories.
 * Reading the header and the preview run as background jobs; every change of a choice infers the
 * architecture again (from the header, cheaply) and asks for a new preview, the latest wins.
 */
public final class ImportCheckpointModel {

    /** Preview: particles, Euler steps, traced paths and noise seed. */
    public static final int PREVIEW_PARTICLES = 300;
    public static final int PREVIEW_STEPS = 8;
    static final int PREVIEW_TRACED = 60;
    static final long PREVIEW_SEED = 7;
    /** Largest frequency count offered for a sinusoidal time embedding. */
    static final int OFFERED_FREQUENCIES = 8;

    /** One tensor as the header lists it. */
    public record TensorRow(String name, String shape, String dtype) {
    }

    /** What OK imports. */
    public record Request(Path file, ImportPreset preset, Activation activation, TimeEmbedding time, String source,
                          String target) {
        public Request {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(preset, "preset");
        }
    }

    private final Path file;
    private final TaskExecutor executor;
    private final LatestJobSlot previewJobs;
    private CheckpointIndex index;
    private boolean applyingPreset;

    private final ReadOnlyObjectWrapper<List<TensorRow>> tensors = new ReadOnlyObjectWrapper<>(this, "tensors", List.of());
    private final ObjectProperty<ImportPreset> preset = new SimpleObjectProperty<>(this, "preset", ImportPreset.TORCHCFM_MLP);
    private final ObjectProperty<Activation> activation = new SimpleObjectProperty<>(this, "activation",
            ImportPreset.TORCHCFM_MLP.activation());
    private final ObjectProperty<TimeEmbedding> time = new SimpleObjectProperty<>(this, "time", TimeEmbedding.RAW);
    private final ObjectProperty<String> source = new SimpleObjectProperty<>(this, "source", Datasets.NORMAL.name());
    private final ObjectProperty<String> target = new SimpleObjectProperty<>(this, "target", Datasets.MOONS.name());
    private final ReadOnlyObjectWrapper<MlpArchitecture> architecture = new ReadOnlyObjectWrapper<>(this, "architecture");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "Reading the header\u2026");
    private final ReadOnlyStringWrapper reason = new ReadOnlyStringWrapper(this, "reason");
    private final ReadOnlyObjectWrapper<TrajectoriesFigure> preview = new ReadOnlyObjectWrapper<>(this, "preview");
    private final ReadOnlyStringWrapper previewStatus = new ReadOnlyStringWrapper(this, "previewStatus", "");

    /**
     * @param later runs the coalesced preview request after the current event (Platform.runLater
     *              in the window; a direct executor in tests)
     */
    public ImportCheckpointModel(Path file, TaskExecutor executor, Executor later) {
        this.file = Objects.requireNonNull(file, "file");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.previewJobs = new LatestJobSlot(executor, later);
        preset.addListener((obs, before, now) -> presetChanged(now));
        activation.addListener((obs, before, now) -> choicesChanged());
        time.addListener((obs, before, now) -> choicesChanged());
        source.addListener((obs, before, now) -> choicesChanged());
        target.addListener((obs, before, now) -> choicesChanged());
    }

    /** The presets for foreign files (a Flowbench checkpoint opens with File > Open). */
    public static List<ImportPreset> presets() {
        return Arrays.stream(ImportPreset.values()).filter(p -> p != ImportPreset.FLOWBENCH).toList();
    }

    /** raw, then sin1 .. sin{@value #OFFERED_FREQUENCIES}. */
    public static List<TimeEmbedding> timeEmbeddings() {
        List<TimeEmbedding> all = new ArrayList<>();
        all.add(TimeEmbedding.RAW);
        for (int k = 1; k <= OFFERED_FREQUENCIES; k++) {
            all.add(TimeEmbedding.sinusoidal(k));
        }
        return List.copyOf(all);
    }

    /** Reads the file's header in the background, then picks the matching preset and infers. */
    public void open() {
        BackgroundTask.of("Read " + file.getFileName(), ctx -> CheckpointIndex.open(file))
                .onSuccess(this::indexed)
                .onFailure(error -> {
                    summary.set("");
                    reason.set(Failures.oneLine(error));
                })
                .executeWith(executor);
    }

    /** Stops a running preview; the dialog has closed. */
    public void close() {
        previewJobs.cancel();
    }

    private void indexed(CheckpointIndex opened) {
        index = opened;
        List<TensorRow> rows = new ArrayList<>();
        opened.entries().values().forEach(e -> rows.add(new TensorRow(e.name(), shape(e.shape()), e.storedType())));
        tensors.set(List.copyOf(rows));
        ImportPreset matching = presets().stream().filter(this::fits).findFirst().orElse(preset.get());
        if (matching == preset.get()) {
            presetChanged(matching);
        } else {
            preset.set(matching);
        }
    }

    /** Whether the preset's layer names and shapes fit the header with the preset's own choices. */
    private boolean fits(ImportPreset candidate) {
        try {
            CheckpointImport.plan(index, candidate, null, null);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void presetChanged(ImportPreset now) {
        if (now == null) {
            return;
        }
        applyingPreset = true;
        try {
            activation.set(now.activation());
            time.set(now.time());
        } finally {
            applyingPreset = false;
        }
        choicesChanged();
    }

    private void choicesChanged() {
        if (applyingPreset || index == null) {
            return;
        }
        infer();
        if (architecture.get() != null) {
            requestPreview();
        } else {
            previewJobs.cancel();
            preview.set(null);
            previewStatus.set("No preview: the file cannot be read with these choices");
        }
    }

    private void infer() {
        try {
            if (preset.get() == null || activation.get() == null || time.get() == null) {
                throw new IllegalArgumentException("choose a preset, an activation and a time embedding");
            }
            String kind = index.metadata().get(Checkpoint.KEY_KIND);
            if (kind != null) {
                throw new IllegalArgumentException(file.getFileName() + ": a Flowbench checkpoint (" + kind
                        + "), nothing to import: open it with File > Open");
            }
            Datasets.byName(source.get());
            Datasets.byName(target.get());
            CheckpointImport.Plan plan = CheckpointImport.plan(index, preset.get(), activation.get(), time.get());
            String why = ImportedFlows.notPlanar(plan.architecture());
            if (why != null) {
                throw new IllegalArgumentException(file.getFileName() + ": " + why);
            }
            MlpArchitecture a = plan.architecture();
            summary.set(String.format(Locale.ROOT, "%d Linear layers (%s), %d parameters: %s", a.layers(), plan.storedType(),
                    a.parameterCount(), a.spec()));
            reason.set(null);
            architecture.set(a);
        } catch (IOException | RuntimeException e) {
            summary.set("");
            reason.set(Failures.oneLine(e));
            architecture.set(null);
        }
    }

    private void requestPreview() {
        Request request = request();
        previewStatus.set("Computing the preview\u2026");
        previewJobs.request(() -> BackgroundTask.of("Preview " + file.getFileName(), ctx -> preview(request, ctx::isCancelled))
                .onSuccess(figure -> {
                    preview.set(figure);
                    previewStatus.set(String.format(Locale.ROOT, "%d particles, Euler, %d steps, from %s to %s",
                            PREVIEW_PARTICLES, PREVIEW_STEPS, request.source(), request.target()));
                })
                .onFailure(error -> {
                    preview.set(null);
                    previewStatus.set("Preview failed: " + Failures.oneLine(error));
                }));
    }

    /**
     * The preview of a request: the imported model on its own cpu device (a few hundred particles
     * need no accelerator, and the lab's device stays free), sampled as the lab samples, shown at t = 1.
     */
    static TrajectoriesFigure preview(Request request, java.util.function.BooleanSupplier cancelled) throws IOException {
        try (ComputeDevice cpu = new CpuDevice(1)) {
            LoadedFlow flow = ImportedFlows.load(cpu, request.file(), request.preset(), request.activation(), request.time(),
                    request.source(), request.target());
            try {
                SameNoiseSampling.Result sampled = SameNoiseSampling.sample(List.of(flow), previewSettings(), cancelled,
                        (done, total, what) -> { });
                return new TrajectoriesFigure(sampled.runs(), sampled.target(), 1.0, sampled.fitted(), -1,
                        TrajectoriesFigure.Options.defaults(), FigureTheme.LIGHT);
            } finally {
                flow.model().close();
            }
        }
    }

    /** Euler, {@value #PREVIEW_STEPS} uniform steps, {@value #PREVIEW_PARTICLES} particles. */
    static SamplingSettings previewSettings() {
        return new SamplingSettings("euler", PREVIEW_STEPS, 1e-5, SamplingSettings.UNIFORM, PREVIEW_PARTICLES, PREVIEW_TRACED,
                PREVIEW_SEED);
    }

    /** The choices as they stand, for OK. */
    public Request request() {
        return new Request(file, preset.get(), activation.get(), time.get(), source.get(), target.get());
    }

    private static String shape(int[] dims) {
        return Arrays.toString(dims);
    }

    public Path file() {
        return file;
    }

    public ReadOnlyObjectProperty<List<TensorRow>> tensorsProperty() {
        return tensors.getReadOnlyProperty();
    }

    public ObjectProperty<ImportPreset> presetProperty() {
        return preset;
    }

    public ObjectProperty<Activation> activationProperty() {
        return activation;
    }

    public ObjectProperty<TimeEmbedding> timeProperty() {
        return time;
    }

    public ObjectProperty<String> sourceProperty() {
        return source;
    }

    public ObjectProperty<String> targetProperty() {
        return target;
    }

    /** The architecture inferred from the header; null while none can be (see {@link #reasonProperty()}). */
    public ReadOnlyObjectProperty<MlpArchitecture> architectureProperty() {
        return architecture.getReadOnlyProperty();
    }

    /** One line: layers, stored type, parameter count and the architecture; empty when there is none. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Why no architecture can be inferred, in one line naming the file; null when one can. */
    public ReadOnlyStringProperty reasonProperty() {
        return reason.getReadOnlyProperty();
    }

    /** The imported model's trajectories at t = 1; null while none is computed. */
    public ReadOnlyObjectProperty<TrajectoriesFigure> previewProperty() {
        return preview.getReadOnlyProperty();
    }

    /** What the preview shows, that it is being computed, or why it failed. */
    public ReadOnlyStringProperty previewStatusProperty() {
        return previewStatus.getReadOnlyProperty();
    }
}
