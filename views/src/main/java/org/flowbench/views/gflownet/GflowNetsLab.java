package org.flowbench.views.gflownet;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Node;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.gflownet.GfnModelFile;
import org.flowbench.compute.gflownet.HyperGrid;
import org.flowbench.compute.gflownet.Trajectory;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.JobContext;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.LabDescriptor;
import org.flowbench.views.lab.LazyPage;
import org.flowbench.views.params.LabParameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GFlowNets lab's view model: trains the chosen objectives side by side as one job (latest
 * wins, with progress and cancel), keeps the run's snapshots for the timeline, inspects one
 * trajectory's credit in a second job, and turns the run into the five figures the page shows.
 * Figures are built on the FX thread from the immutable run; they only project arrays.
 */
public final class GflowNetsLab implements Lab {

    public static final String ID = "gflownets";

    /** The page's views, in tab order. */
    public enum View { GRID, FLOWS, CREDIT, TRAINING, DAG }

    private final LabContext context;
    private final GfnParameters params = new GfnParameters();
    private final LatestJobSlot training;
    private final LatestJobSlot inspecting;
    private final ReadOnlyObjectWrapper<GfnRun> run = new ReadOnlyObjectWrapper<>(this, "run");
    private final ReadOnlyObjectWrapper<GfnInspection> inspection = new ReadOnlyObjectWrapper<>(this, "inspection");
    private final DoubleProperty position = new SimpleDoubleProperty(this, "position", 1);
    private final ObjectProperty<View> view = new SimpleObjectProperty<>(this, "view", View.GRID);
    private final ReadOnlyObjectWrapper<String> status = new ReadOnlyObjectWrapper<>(this, "status", "");
    private final ReadOnlyObjectWrapper<String> problem = new ReadOnlyObjectWrapper<>(this, "problem");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final Map<View, ReadOnlyObjectWrapper<Figure>> figures = new LinkedHashMap<>();
    private long generation;
    /** Trajectories sampled for inspection so far: each Sample draws with the next seed. */
    private long samples;
    /** Whether the inspected trajectory is one the user sampled or clicked: new runs of the same environment keep it. */
    private boolean userChoseTrajectory;
    /** Whether the opening trajectory of the run's environment has been asked for (once, from the first snapshot). */
    private boolean openingRequested;
    private volatile double lastProgress;
    /** Whether the timeline follows the newest snapshot while training. */
    private boolean following = true;
    private final LazyPage<GflowNetsPage> page;

    /** @param trainOnOpen start training the default setting at once (the app); tests start their own */
    public GflowNetsLab(LabContext context, boolean trainOnOpen) {
        this.context = context;
        this.page = new LazyPage<>(() -> new GflowNetsPage(this, context.dialogs()), GflowNetsPage::setActive);
        this.training = new LatestJobSlot(context.executor(), context.later());
        this.inspecting = new LatestJobSlot(context.executor(), context.later());
        for (View v : View.values()) {
            figures.put(v, new ReadOnlyObjectWrapper<>(this, v.name().toLowerCase(java.util.Locale.ROOT)));
        }
        params.view.forEach(p -> p.valueProperty().addListener((obs, before, now) -> refresh()));
        params.training.forEach(p -> p.valueProperty().addListener((obs, before, now) ->
                status.set("Parameters changed: Train to see them (the figures show the last run).")));
        params.cut.valueProperty().addListener((obs, before, now) -> reinspect());
        position.addListener((obs, before, now) -> {
            GfnRun r = run.get();
            following = r == null || now.doubleValue() >= 1 - 1e-9;
            refresh();
        });
        context.theme().addListener((obs, before, now) -> refresh());
        refresh();
        if (trainOnOpen) {
            train();
        }
    }

    /** The lab list's entry. */
    public static LabDescriptor descriptor() {
        return new LabDescriptor(ID, "GFlowNets", ctx -> new GflowNetsLab(ctx, true), GflowNetsFigures.specs(),
                List.of(GfnModelFile.KIND));
    }

    // ---- training

    /** Trains every chosen objective from scratch with the current parameters (cancels a running training). */
    public void train() {
        GfnSettings settings;
        try {
            settings = params.settings();
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
            return;
        }
        long gen = ++generation;
        String device = context.devices().selectedProperty().get();
        problem.set(null);
        following = true;
        training.request(() -> BackgroundTask.<GfnRun>of("Train GFlowNet: " + String.join(", ", settings.losses()) + " on "
                        + settings.environment(), ctx -> {
                    try (ComputeDevice on = ComputeDevices.openWithFallback(device, this::warn)) {
                        return GfnTrainer.train(on, settings, ctx::isCancelled, p -> {
                            ctx.progress(p, 1);
                            lastProgress = p;
                        },
                                r -> context.later().execute(() -> accept(gen, r)));
                    }
                })
                .onRunning(() -> {
                    busy.set(true);
                    status.set("Training " + settings.losses().size() + " objective(s) on " + settings.environment() + "\u2026");
                })
                .onSuccess(r -> {
                    accept(gen, r);
                    status.set("Trained " + GfnText.count(settings.trajectories()) + " trajectories per objective on "
                            + r.environment().spec() + ".");
                })
                .onFailure(e -> problem.set(Failures.oneLine(e)))
                .onCancelled(() -> status.set("Training cancelled; the figures keep its last snapshot."))
                .onFinished(() -> busy.set(false)));
    }

    /** Stops the running training; what it measured so far stays. */
    public void cancelTraining() {
        training.cancel();
    }

    private void accept(long gen, GfnRun r) {
        if (gen != generation) {
            return;
        }
        GfnRun before = run.get();
        run.set(r);
        if (following) {
            if (position.get() != 1) {
                position.set(1);
            } else {
                refresh();
            }
        } else {
            refresh();
        }
        progress.set(r.finished() ? 1 : lastProgress);
        boolean newEnvironment = before == null || !before.environment().spec().equals(r.environment().spec());
        if (newEnvironment) {
            userChoseTrajectory = false;
            openingRequested = false;
        }
        if (!openingRequested && (newEnvironment || (inspection.get() == null && !userChoseTrajectory))) {
            // from the first snapshot only, so the same seed always opens on the same trajectory
            openingRequested = true;
            inspectOpening();
        } else if (r.finished()) {
            reinspect();
        }
    }

    private void warn(String warning) {
        context.later().execute(() -> status.set("Warning: " + warning));
    }

    // ---- inspection

    /** Inspects the trajectory a run opens the inspector on: a seeded sample with several moves. */
    private void inspectOpening() {
        GfnRun r = run.get();
        if (r == null || r.series().get(0).policy() == null) {
            return;
        }
        long seed = params.seed.get() + 1000;
        inspect(r, "Sample a trajectory to inspect", on -> GfnInspection.sampleOpening(on, r, params.shown.get(), seed));
    }

    /** Samples one trajectory from the shown objective's network and inspects it. */
    public void sampleTrajectory() {
        GfnRun r = run.get();
        if (r == null || r.series().get(0).policy() == null) {
            return;
        }
        userChoseTrajectory = true;
        long seed = params.seed.get() + 1000 + ++samples;
        inspect(r, "Sample and inspect a trajectory", on -> GfnInspection.sample(on, r, params.shown.get(), seed));
    }

    /** Inspects a path to the terminal state of grid cell {@code cell} (2D grids: each cell one state). */
    public void inspectPathTo(int cell) {
        GfnRun r = run.get();
        if (r == null || !(r.environment() instanceof HyperGrid grid) || grid.gridDimension() != 2 || r.series().get(0).policy() == null) {
            return;
        }
        int h = grid.height();
        int[] x = new int[2];
        x[params.axisX.get() == 0 ? 0 : 1] = cell % h;
        x[params.axisX.get() == 0 ? 1 : 0] = cell / h;
        userChoseTrajectory = true;
        long seed = params.seed.get();
        inspect(r, "Inspect a path to " + GfnCreditFigure.stateText(x), on -> GfnInspection.pathTo(r.environment(), x, seed));
    }

    private void reinspect() {
        GfnRun r = run.get();
        GfnInspection current = inspection.get();
        if (r == null || current == null || r.environment().dimension() != current.full().dimension()) {
            return;
        }
        Trajectory t = current.full();
        inspect(r, "Inspect the trajectory again", on -> t);
    }

    private interface TrajectorySource {
        Trajectory get(ComputeDevice on);
    }

    private void inspect(GfnRun r, String title, TrajectorySource source) {
        String device = context.devices().selectedProperty().get();
        String shown = params.shown.get();
        int cut = params.cut.get();
        inspecting.request(() -> BackgroundTask.<GfnInspection>of(title, ctx -> {
                    try (ComputeDevice on = ComputeDevices.openWithFallback(device, this::warn)) {
                        return GfnInspection.inspect(on, r, shown, source.get(on), cut);
                    }
                })
                .onSuccess(i -> {
                    inspection.set(i);
                    refresh();
                    // asked for during a training that has finished since: inspect it again with the final networks
                    GfnRun now = run.get();
                    if (now != r && now != null && now.finished()) {
                        reinspect();
                    }
                })
                .onFailure(e -> problem.set(Failures.oneLine(e))));
    }

    // ---- figures

    /** Rebuilds the figures from the run, the timeline position, the view parameters and the inspection. */
    private void refresh() {
        GfnRun r = run.get();
        int k = frameIndex();
        for (View v : View.values()) {
            figures.get(v).set(figureAt(v, r, k));
        }
    }

    /** The figure of view {@code v} for snapshot {@code k} of {@code r} (null: not trained), as the page would show it. */
    Figure figureAt(View v, GfnRun r, int k) {
        return GfnViews.figure(v, r, k, params, inspection.get(), busy.get(), context.theme().getValue());
    }

    /** The snapshot index the timeline shows. */
    public int frameIndex() {
        GfnRun r = run.get();
        return r == null ? 0 : r.frameAt(position.get());
    }

    // ---- files

    @Override
    public void open(Path file) {
        long gen = ++generation;
        training.cancel();
        String device = context.devices().selectedProperty().get();
        training.request(() -> BackgroundTask.<GfnRun>of("Open " + file.getFileName(), ctx -> {
                    try (ComputeDevice on = ComputeDevices.openWithFallback(device, this::warn);
                         GfnModelFile.Loaded model = GfnModelFile.load(on, file)) {
                        return GfnTrainer.fromModel(model);
                    }
                })
                .onSuccess(r -> {
                    following = true;
                    accept(gen, r);
                    problem.set(null);
                    status.set("Opened " + file.getFileName() + ": " + r.series().get(0).label() + " on " + r.environment().spec() + ".");
                })
                .onFailure(e -> problem.set(file.getFileName() + ": " + Failures.oneLine(e))));
    }

    /** Runs an export in the background, its outcome on the status line. */
    void runExport(String title, ExportBody body) {
        BackgroundTask.<String>of(title, body::run)
                .onSuccess(status::set)
                .onFailure(e -> problem.set(Failures.oneLine(e)))
                .executeWith(context.executor());
    }

    /** An export's work; returns the status line it leaves. */
    @FunctionalInterface
    interface ExportBody {
        String run(JobContext ctx) throws Exception;
    }

    /** Keys of an environment spec that a lesson's set-up line may give after {@code env} (its commas split them off). */
    private static final List<String> ENVIRONMENT_KEYS = List.of("D", "H", "R0", "R1", "R2", "U", "S");

    /**
     * Applies a lesson section's parameter values and trains them. The set-up line splits at
     * commas, so {@code env=hypergrid:D=2, H=8} arrives as {@code env} and {@code H}: the
     * environment's own keys are joined back onto {@code env}.
     */
    public void setUp(Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        StringBuilder environmentKeys = new StringBuilder();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (ENVIRONMENT_KEYS.contains(e.getKey())) {
                environmentKeys.append(',').append(e.getKey()).append('=').append(e.getValue());
            } else {
                values.put(e.getKey(), e.getValue());
            }
        }
        if (environmentKeys.length() > 0) {
            values.put("env", values.getOrDefault("env", params.environment.get()) + environmentKeys);
        }
        String bad = params.all.problems(values);
        if (bad != null) {
            problem.set(bad);
            return;
        }
        params.all.applyAll(values);
        train();
    }

    // ---- Lab

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "GFlowNets";
    }

    @Override
    public Node view() {
        return page.get();
    }

    @Override
    public LabParameters parameters() {
        return params.all;
    }

    @Override
    public Optional<Figure> currentFigure() {
        return Optional.ofNullable(figures.get(view.get()).get());
    }

    @Override
    public void onShown() {
        page.setActive(true);
    }

    @Override
    public void onHidden() {
        page.setActive(false);
    }

    @Override
    public Map<String, Object> viewState(Path sessionFolder) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("view", view.get().name());
        state.put("position", position.get());
        return state;
    }

    /**
     * Restores the tab and the timeline position, and trains the restored parameters again (the
     * same seed gives the same run), so a reopened session shows what was saved.
     */
    @Override
    public void restoreViewState(Map<String, Object> state, Path sessionFolder) {
        if (state.get("view") instanceof String name) {
            for (View v : View.values()) {
                if (v.name().equals(name)) {
                    view.set(v);
                }
            }
        }
        double restored = state.get("position") instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1
                ? n.doubleValue() : position.get();
        train();
        position.set(restored);
        following = restored >= 1 - 1e-9;
        refresh();
    }

    @Override
    public void close() {
        training.cancel();
        inspecting.cancel();
        page.setActive(false);
    }

    // ---- properties

    GfnParameters params() {
        return params;
    }

    public ReadOnlyObjectProperty<Figure> figureProperty(View v) {
        return figures.get(v).getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<GfnRun> runProperty() {
        return run.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<GfnInspection> inspectionProperty() {
        return inspection.getReadOnlyProperty();
    }

    /** The timeline's position over the snapshots, 0 (before training) to 1 (the newest). */
    public DoubleProperty positionProperty() {
        return position;
    }

    public ObjectProperty<View> viewProperty() {
        return view;
    }

    public ReadOnlyObjectProperty<String> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<String> problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }
}
