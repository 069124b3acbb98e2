package org.flowbench.views.trajectories;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.data.PointSetDataset;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.VelocityMlp;
import org.flowbench.compute.ode.DormandPrince;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.train.ConditionalPath;
import org.flowbench.compute.train.FlowMatchingTrainer;
import org.flowbench.compute.train.FlowTraining;
import org.flowbench.compute.train.Loss;
import org.flowbench.compute.train.OptimizerConfig;
import org.flowbench.compute.train.Reflow;
import org.flowbench.compute.train.TimestepDistribution;
import org.flowbench.compute.train.TrainingPaths;
import org.flowbench.compute.ode.Solvers;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.JobHandle;
import org.flowbench.views.jobs.TaskExecutor;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Trajectories lab's view model: two model slots (curved on the left, straight on the
 * right), the sampling parameters, the shared time, view and selected particle, and the jobs
 * that turn them into immutable results. Parameter edited -> a job samples both models -> a
 * {@link TrajectoriesFigure} replaces the old one -> the canvas repaints. Time, zoom and
 * selection only rebuild the figure around the same runs, which is cheap.
 *
 * <p>Networks keep scratch buffers, so every job that evaluates one holds {@link #modelLock}.
 * A job that fails or is cancelled leaves the models and the figure on screen as they were.
 */
public final class TrajectoriesLab implements Lab {

    public static final String ID = "trajectories";
    /** Panel slots. */
    public static final int CURVED = 0;
    public static final int STRAIGHT = 1;

    private final TaskExecutor executor;

    private final Parameter<Integer> particles = Parameter.integer("particles", "Particles", "Sampling",
            "Number of noise samples carried by both models (the same noise on both sides)", 2000, 1, SamplingSettings.MAX_PARTICLES);
    private final Parameter<String> solver = Parameter.oneOf("solver", "Solver", "Sampling",
            "ODE solver: Euler (1 NFE per step), midpoint and Heun (2), RK4 (4), adaptive dopri5", Solvers.names(), "euler");
    private final Parameter<Integer> steps = Parameter.integer("steps", "Steps", "Sampling",
            "Solver steps from t = 0 to t = 1 (the grid dopri5 must land on)", 8, 1, SamplingSettings.MAX_STEPS);
    private final Parameter<Double> tolerance = Parameter.real("tolerance", "dopri5 tolerance", "Sampling",
            "Absolute and relative tolerance of the adaptive dopri5 solver", 1e-5, 1e-10, 0.1);
    private final Parameter<String> schedule = Parameter.oneOf("schedule", "Schedule", "Sampling",
            "Time grid: uniform steps, or BOSS (Bellman-optimal steps measured on each model)",
            List.of(SamplingSettings.UNIFORM, SamplingSettings.BOSS), SamplingSettings.UNIFORM);
    private final Parameter<Integer> traced = Parameter.integer("traced", "Traced paths", "Drawing",
            "How many particles are drawn with their whole path and stage points", 150, 0, 2000);
    private final Parameter<Long> seed = Parameter.seed("seed", "Seed", "Sampling",
            "Seed of the noise: the same seed gives the same picture", 7);
    private final Parameter<Boolean> showField = Parameter.of("field", "Velocity field", "Drawing",
            "Arrows of v(x, t) at the current time", Boolean.class, false, v -> v == null ? "required" : null);
    private final Parameter<Boolean> showCoupling = Parameter.of("coupling", "Coupling lines", "Drawing",
            "Dashed lines from each traced x0 to where the model sends it", Boolean.class, false, v -> v == null ? "required" : null);
    private final Parameter<Boolean> showStages = Parameter.of("stages", "Stage points", "Drawing",
            "Where a multi-stage solver evaluated v during the step just taken (when stepping)", Boolean.class, true,
            v -> v == null ? "required" : null);
    private final Parameter<Integer> trainSteps = Parameter.integer("trainSteps", "Training steps", "Training",
            "Optimiser steps of Train, Reflow and Distill", 2000, 10, 200_000);
    private final Parameter<String> trainTarget = Parameter.oneOf("trainTarget", "Train target", "Training",
            "Target distribution of Train (the source is N(0, I)); 'drawn' uses the points sketched on the canvas",
            withDrawn(Datasets.names()), "moons");
    private final Parameter<String> trainTime = Parameter.oneOf("trainTime", "Time distribution", "Training",
            "Timestep distribution of training: uniform, logit-normal(0, 1), or the U-shaped cosh density of Lee et al. 2024",
            List.of("uniform", "logit-normal", "u-shaped"), "uniform");
    private final Parameter<Double> uShapedA = Parameter.real("uShapedA", "U-shaped a", "Training",
            "Parameter a of the U-shaped time distribution, density proportional to cosh(a (t - 1/2)): larger a, more weight at both ends",
            4.0, 0.1, 50.0);
    private final Parameter<String> trainCoupling = Parameter.oneOf("trainCoupling", "Coupling", "Training",
            "How Train pairs source and target points: independently, or by minibatch exact OT",
            List.of("independent", "ot"), "independent");
    private final LabParameters parameters = new LabParameters(List.of(particles, solver, steps, tolerance, schedule,
            traced, seed, showField, showCoupling, showStages, trainSteps, trainTarget, trainTime, uShapedA, trainCoupling));

    private final ReentrantLock modelLock = new ReentrantLock();
    private final List<LoadedFlow> retired = new ArrayList<>();
    private final LoadedFlow[] slots = new LoadedFlow[2];
    private final JobDevices jobDevices;
    /** The device the user selected, read by jobs on their own threads. */
    private volatile String selectedDevice;

    private final ReadOnlyObjectWrapper<TrajectoriesFigure> figure = new ReadOnlyObjectWrapper<>(this, "figure");
    private final ReadOnlyObjectWrapper<String> problem = new ReadOnlyObjectWrapper<>(this, "problem");
    private final ReadOnlyObjectWrapper<String> status = new ReadOnlyObjectWrapper<>(this, "status", "Loading models\u2026");
    private final ReadOnlyObjectWrapper<List<ParticleInspection>> inspection = new ReadOnlyObjectWrapper<>(this, "inspection", List.of());
    private final ReadOnlyObjectWrapper<List<FlowComparison>> comparison = new ReadOnlyObjectWrapper<>(this, "comparison", List.of());
    private final ReadOnlyObjectWrapper<TimestepHistogram> timesteps = new ReadOnlyObjectWrapper<>(this, "timesteps");
    private final ReadOnlyObjectWrapper<List<BossPlan>> bossPlans = new ReadOnlyObjectWrapper<>(this, "bossPlans", List.of());
    private final ReadOnlyObjectWrapper<float[]> lossHistory = new ReadOnlyObjectWrapper<>(this, "lossHistory", new float[0]);
    private final ObservableList<double[]> straightnessByRound = FXCollections.observableArrayList();
    private final ObservableList<Float> drawnPoints = FXCollections.observableArrayList();
    private final DoubleProperty time = new SimpleDoubleProperty(this, "time", 0);
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy", false);
    private DataBounds view = TrajectoriesFigure.DEFAULT_VIEW;
    private int selected = -1;
    private FigureTheme theme = FigureTheme.LIGHT;
    private JobHandle sampling;
    private JobHandle training;
    private int runningJobs;
    private TrajectoriesPage page;

    public TrajectoriesLab(TaskExecutor executor, DeviceSelection devices) {
        this(executor, devices, true);
    }

    /** @param loadSamples open the two sample models at once (the app); tests may load their own */
    public TrajectoriesLab(TaskExecutor executor, DeviceSelection devices, boolean loadSamples) {
        this.executor = executor;
        this.jobDevices = new JobDevices(warning -> onFx(() -> status.set("Warning: " + warning)));
        this.selectedDevice = devices.selectedProperty().get();
        // A new device applies to the next job; sampling again now moves the models there.
        devices.selectedProperty().addListener((obs, before, now) -> {
            selectedDevice = now;
            recompute();
        });
        for (Parameter<?> p : List.of(particles, solver, steps, tolerance, schedule, traced, seed)) {
            p.valueProperty().addListener((obs, before, now) -> recompute());
        }
        for (Parameter<?> p : List.of(showField, showCoupling, showStages)) {
            p.valueProperty().addListener((obs, before, now) -> refigure());
        }
        time.addListener((obs, before, now) -> refigure());
        trainTime.valueProperty().addListener((obs, before, now) -> updateTimesteps());
        uShapedA.valueProperty().addListener((obs, before, now) -> updateTimesteps());
        seed.valueProperty().addListener((obs, before, now) -> updateTimesteps());
        updateTimesteps();
        if (loadSamples) {
            Path folder = SampleModels.folder();
            openModels(folder.resolve(SampleModels.CURVED), folder.resolve(SampleModels.STRAIGHT));
        }
    }

    private static List<String> withDrawn(List<String> names) {
        List<String> all = new ArrayList<>(names);
        all.add("drawn");
        return all;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Trajectories";
    }

    @Override
    public LabParameters parameters() {
        return parameters;
    }

    @Override
    public Optional<Figure> currentFigure() {
        return Optional.ofNullable(figure.get());
    }

    @Override
    public void setDarkTheme(boolean dark) {
        theme = dark ? FigureTheme.DARK : FigureTheme.LIGHT;
        refigure();
    }

    @Override
    public Node view() {
        if (page == null) {
            page = new TrajectoriesPage(this, new org.flowbench.views.lab.FxDialogService(() -> page.getScene() == null ? null : page.getScene().getWindow()));
        }
        return page;
    }

    // ---- read-only state for the view and tests ----

    public ReadOnlyObjectProperty<TrajectoriesFigure> figureProperty() {
        return figure.getReadOnlyProperty();
    }

    /** The last job's problem in one line, or null. */
    public ReadOnlyObjectProperty<String> problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<String> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<ParticleInspection>> inspectionProperty() {
        return inspection.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<FlowComparison>> comparisonProperty() {
        return comparison.getReadOnlyProperty();
    }

    /** Draws from the training timestep distribution now chosen, against its exact density. */
    public ReadOnlyObjectProperty<TimestepHistogram> timestepsProperty() {
        return timesteps.getReadOnlyProperty();
    }

    /** The BOSS schedules of the shown models with their cost matrices; empty on a uniform grid. */
    public ReadOnlyObjectProperty<List<BossPlan>> bossPlansProperty() {
        return bossPlans.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<float[]> lossHistoryProperty() {
        return lossHistory.getReadOnlyProperty();
    }

    /** (round, straightness) pairs measured with RK4, 32 steps, as models enter the lab. */
    public ObservableList<double[]> straightnessByRound() {
        return straightnessByRound;
    }

    /** Points sketched with the mouse {@code // [2k]}, the "drawn" training target. */
    public ObservableList<Float> drawnPoints() {
        return drawnPoints;
    }

    /** The shared time, 0 (noise) to 1 (data). */
    public DoubleProperty timeProperty() {
        return time;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public Parameter<String> solverParameter() {
        return solver;
    }

    public Parameter<Integer> stepsParameter() {
        return steps;
    }

    /** The model in a slot, or null. */
    public LoadedFlow model(int slot) {
        return slots[slot];
    }

    public SamplingSettings settings() {
        return new SamplingSettings(solver.get(), steps.get(), tolerance.get(), schedule.get(), particles.get(),
                traced.get(), seed.get());
    }

    // ---- time, view, selection ----

    /** Every grid time of the shown runs, sorted, without repeats. */
    public double[] gridTimes() {
        TrajectoriesFigure f = figure.get();
        if (f == null) {
            return new double[] {0, 1};
        }
        java.util.TreeSet<Double> all = new java.util.TreeSet<>();
        for (FlowRun run : f.runs()) {
            for (double t : run.times()) {
                all.add(t);
            }
        }
        double[] out = new double[all.size()];
        int i = 0;
        for (double t : all) {
            out[i++] = t;
        }
        return out;
    }

    /** Moves to the next solver state (the next grid time of either panel). */
    public void stepForward() {
        double now = time.get();
        for (double t : gridTimes()) {
            if (t > now + 1e-9) {
                time.set(t);
                return;
            }
        }
        time.set(1.0);
    }

    /** Moves to the previous solver state. */
    public void stepBack() {
        double now = time.get();
        double[] grid = gridTimes();
        for (int i = grid.length - 1; i >= 0; i--) {
            if (grid[i] < now - 1e-9) {
                time.set(grid[i]);
                return;
            }
        }
        time.set(0.0);
    }

    /** The shared zoom and pan. */
    public DataBounds viewBounds() {
        return view;
    }

    /** Shared zoom and pan; null resets to the default view. */
    public void setView(DataBounds bounds) {
        view = bounds == null ? TrajectoriesFigure.DEFAULT_VIEW : bounds;
        refigure();
    }

    public int selected() {
        return selected;
    }

    /** Selects a particle (-1 for none) and inspects it in the background. */
    public void select(int particle) {
        selected = particle;
        refigure();
        TrajectoriesFigure shown = figure.get();
        if (particle < 0 || shown == null) {
            inspection.set(List.of());
            return;
        }
        LoadedFlow[] models = slots.clone();
        List<FlowRun> runs = shown.runs();
        BackgroundTask.of("Inspect particle " + particle, ctx -> {
                    List<ParticleInspection> rows = new ArrayList<>();
                    lockModels();
                    try {
                        for (int p = 0; p < runs.size(); p++) {
                            ctx.checkCancelled();
                            rows.add(ParticleInspection.of(runs.get(p), models[p].model(), particle));
                        }
                    } finally {
                        modelLock.unlock();
                    }
                    return List.copyOf(rows);
                })
                .onSuccess(inspection::set)
                .onFailure(this::fail)
                .executeWith(executor);
    }

    private void refigure() {
        TrajectoriesFigure shown = figure.get();
        if (shown != null) {
            figure.set(shown.at(time.get()).viewing(view).selecting(selected).with(options()).themed(theme));
        }
    }

    private TrajectoriesFigure.Options options() {
        return new TrajectoriesFigure.Options(showField.get(), showCoupling.get(), showStages.get(), true);
    }

    // ---- jobs ----

    /**
     * Takes the model lock and frees the networks replaced since the last job: a replaced model
     * may still be in use by a job that started before, so it is closed only under the lock.
     */
    private void lockModels() throws InterruptedException {
        modelLock.lockInterruptibly();
        synchronized (retired) {
            for (LoadedFlow flow : retired) {
                close(flow);
            }
            retired.clear();
        }
    }

    private void fail(Throwable error) {
        problem.set(Failures.oneLine(error));
    }

    private <V> BackgroundTask<V> tracked(BackgroundTask<V> task) {
        return task.onRunning(() -> busy.set(++runningJobs > 0)).onFinished(() -> busy.set(--runningJobs > 0));
    }

    /** Runs {@code action} on the FX thread, or at once when there is none (view-model tests). */
    private static void onFx(Runnable action) {
        if (javafx.application.Platform.isFxApplicationThread()) {
            action.run();
            return;
        }
        try {
            javafx.application.Platform.runLater(action);
        } catch (IllegalStateException noToolkit) {
            action.run();
        }
    }

    /** Frees a model: it stops holding its device. */
    private void close(LoadedFlow flow) {
        flow.model().close();
        jobDevices.release(flow.model().device());
    }

    /** A model just created on {@code on} holds that device until it is closed. */
    private LoadedFlow held(LoadedFlow flow) {
        jobDevices.hold(flow.model().device());
        return flow;
    }

    /** The device of the running job, opened for the current selection; release it in a finally. */
    private ComputeDevice acquireDevice() {
        return jobDevices.acquire(selectedDevice);
    }

    /** The name of the device jobs use now (cpu, opencl:N). */
    public String deviceName() {
        return selectedDevice;
    }

    /** How many compute devices the lab holds open; for tests. */
    int openDevices() {
        return jobDevices.openCount();
    }

    /** Opens two velocity checkpoints into the curved and straight slots, then samples them. */
    public void openModels(Path curved, Path straight) {
        tracked(BackgroundTask.of("Load models " + curved.getFileName() + ", " + straight.getFileName(), ctx -> {
                    ComputeDevice on = acquireDevice();
                    try {
                            LoadedFlow a = held(load(on, curved));
                            try {
                                return new LoadedFlow[] {a, held(load(on, straight))};
                            } catch (Exception e) {
                                close(a);
                                throw e;
                            }
                    } finally {
                        jobDevices.release(on);
                    }
                }))
                .onSuccess(loaded -> {
                    replace(CURVED, loaded[0]);
                    replace(STRAIGHT, loaded[1]);
                    problem.set(null);
                    recompute();
                })
                .onFailure(this::fail)
                .executeWith(executor);
    }

    /** Opens one checkpoint into a slot; a bad file leaves the slot as it was. */
    public void openCheckpoint(int slot, Path file) {
        tracked(BackgroundTask.of("Open checkpoint " + file.getFileName(), ctx -> {
                    ComputeDevice on = acquireDevice();
                    try {
                            return held(load(on, file));
                    } finally {
                        jobDevices.release(on);
                    }
                }))
                .onSuccess(loaded -> {
                    replace(slot, loaded);
                    problem.set(null);
                    recompute();
                })
                .onFailure(this::fail)
                .executeWith(executor);
    }

    private static LoadedFlow load(ComputeDevice on, Path file) throws Exception {
        FlowModelFile.Loaded loaded = FlowModelFile.load(on, file);
        Map<String, String> meta = loaded.checkpoint().metadata();
        if (loaded.model().architecture().inputDim() != 2 || loaded.model().architecture().outputDim() != 2) {
            loaded.close();
            throw new IllegalArgumentException(file.getFileName() + " is not a 2D flow (architecture "
                    + loaded.model().architecture().spec() + ")");
        }
        String round = meta.getOrDefault(Checkpoint.KEY_REFLOW_ROUND, "1");
        String name = file.getFileName().toString().replaceFirst("\\.safetensors$", "");
        String label = round + "-RF" + (loaded.isOneStep() ? " distilled, one step" : "") + " \u00b7 " + name;
        return new LoadedFlow(label, loaded.model(), meta, loaded.isOneStep());
    }

    /** Saves the model of a slot as a Flowbench safetensors checkpoint. */
    public void saveCheckpoint(int slot, Path file) {
        LoadedFlow flow = slots[slot];
        if (flow == null) {
            problem.set("no model to save in that panel");
            return;
        }
        tracked(BackgroundTask.of("Save checkpoint " + file.getFileName(), ctx -> {
                    float[] values;
                    lockModels();
                    try {
                        values = flow.model().parameterValues();
                    } finally {
                        modelLock.unlock();
                    }
                    Map<String, String> record = new TreeMap<>(flow.metadata());
                    record.remove(Checkpoint.KEY_FORMAT);
                    record.remove(Checkpoint.KEY_FORMAT_VERSION);
                    record.remove(Checkpoint.KEY_KIND);
                    record.remove(Checkpoint.KEY_ARCHITECTURE);
                    FlowModelFile.save(file, flow.model().architecture(), values,
                            flow.oneStep() ? FlowModelFile.KIND_ONE_STEP : FlowModelFile.KIND_VELOCITY, record);
                    return file;
                }))
                .onSuccess(saved -> status.set("Saved " + saved.getFileName()))
                .onFailure(this::fail)
                .executeWith(executor);
    }

    private void replace(int slot, LoadedFlow next) {
        LoadedFlow before = slots[slot];
        slots[slot] = next;
        selected = -1;
        inspection.set(List.of());
        if (before != null) {
            retire(before);
        }
    }

    /** Samples both models with the current settings; the old figure stays until the new one is ready. */
    public void recompute() {
        if (slots[CURVED] == null || slots[STRAIGHT] == null) {
            return;
        }
        if (sampling != null) {
            sampling.cancel();
        }
        SamplingSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
            return;
        }
        LoadedFlow[] models = slots.clone();
        TrajectoriesFigure.Options drawn = options();
        sampling = tracked(BackgroundTask.of("Sample trajectories (" + settings.solver() + ", " + settings.steps() + " steps)",
                        ctx -> sample(models, settings, drawn, ctx)))
                .onSuccess(result -> {
                    adopt(models, result.models());
                    bossPlans.set(result.plans());
                    problem.set(null);
                    TrajectoriesFigure shown = result.figure();
                    figure.set(shown.at(time.get()).viewing(view).selecting(selected).themed(theme));
                    status.set(String.format(java.util.Locale.ROOT, "%s: straightness %.4f, %d NFE  |  %s: straightness %.4f, %d NFE  |  on %s",
                            shown.runs().get(0).label(), shown.runs().get(0).straightness(), shown.runs().get(0).totalNfe(),
                            shown.runs().get(1).label(), shown.runs().get(1).straightness(), shown.runs().get(1).totalNfe(),
                            result.device()));
                    if (selected >= 0) {
                        select(selected);
                    }
                })
                .onFailure(this::fail)
                .executeWith(executor);
    }

    /** A sampling job's result: the figure, the models it sampled (moved to the job's device if needed), the device. */
    private record Sampled(TrajectoriesFigure figure, LoadedFlow[] models, String device, List<BossPlan> plans) {
    }

    /**
     * Samples both models on the selected device. A model still living on another device (the
     * user switched devices) is first copied onto this job's device; the copies replace the
     * originals when the job succeeds.
     */
    private Sampled sample(LoadedFlow[] models, SamplingSettings settings, TrajectoriesFigure.Options drawn,
                           org.flowbench.views.jobs.JobContext ctx) throws Exception {
        Dataset source = Datasets.byName(models[CURVED].source());
        float[] noise = source.sample(settings.particles(), settings.seed());
        float[] target = Datasets.byName(models[CURVED].target()).sample(2000, settings.seed() + 1);
        List<FlowRun> runs = new ArrayList<>();
        List<BossPlan> plans = new ArrayList<>();
        LoadedFlow[] used = models.clone();
        ComputeDevice on = acquireDevice();
        try {
            lockModels();
            try {
                for (int p = 0; p < 2; p++) {
                    if (used[p].model().device() != on) {
                        ctx.message("moving " + used[p].label() + " to " + on.name());
                        used[p] = moved(used[p], on);
                    }
                }
                for (int p = 0; p < 2; p++) {
                    ctx.message("sampling " + used[p].label());
                    ctx.progress(p, 2);
                    LoadedFlow flow = used[p];
                    TimeGrid grid = TimeGrid.forward(settings.steps());
                    if (SamplingSettings.BOSS.equals(settings.schedule()) && !flow.oneStep()) {
                        BossPlan plan = FlowSampler.bossPlan(flow.label(), flow.model(), source, settings, ctx::isCancelled);
                        plans.add(plan);
                        grid = plan.schedule().grid();
                    }
                    runs.add(FlowSampler.run(flow.label(), flow.model(), noise, grid, settings, flow.oneStep(), ctx::isCancelled));
                }
            } finally {
                modelLock.unlock();
            }
        } catch (Exception | Error e) {
            for (int p = 0; p < 2; p++) {
                if (used[p] != models[p]) {
                    close(used[p]);
                }
            }
            throw e;
        } finally {
            jobDevices.release(on);
        }
        ctx.progress(2, 2);
        TrajectoriesFigure result = new TrajectoriesFigure(runs, target, 0, TrajectoriesFigure.DEFAULT_VIEW, -1, drawn, FigureTheme.LIGHT);
        return new Sampled(result, used, on.name(), List.copyOf(plans));
    }

    /** A copy of {@code flow} whose network lives on {@code on}. */
    private LoadedFlow moved(LoadedFlow flow, ComputeDevice on) {
        VelocityMlp copy = VelocityMlp.withParameters(on, flow.model().architecture(), flow.model().parameterValues());
        return held(new LoadedFlow(flow.label(), copy, flow.metadata(), flow.oneStep()));
    }

    /**
     * Puts the models a sampling job moved to another device into their slots, keeping the
     * selection (they are the same models); a copy whose slot has meanwhile got another model is
     * freed instead.
     */
    private void adopt(LoadedFlow[] sampled, LoadedFlow[] used) {
        for (int p = 0; p < 2; p++) {
            if (used[p] == sampled[p]) {
                continue;
            }
            LoadedFlow stale = used[p];
            if (slots[p] == sampled[p]) {
                slots[p] = used[p];
                stale = sampled[p];
            }
            retire(stale);
        }
    }

    /** Frees {@code flow} at the next job that takes the model lock, unless a slot still shows it. */
    private void retire(LoadedFlow flow) {
        if (flow == slots[0] || flow == slots[1]) {
            return;
        }
        synchronized (retired) {
            for (LoadedFlow r : retired) {
                if (r == flow) {
                    return;
                }
            }
            retired.add(flow);
        }
    }

    /** W2 against NFE for every solver, both models, on 500 particles; the result feeds the chart. */
    public void compareSolvers() {
        if (slots[CURVED] == null || slots[STRAIGHT] == null) {
            return;
        }
        LoadedFlow[] models = slots.clone();
        long s = seed.get();
        tracked(BackgroundTask.of("Measure W2 against NFE", ctx -> {
                    float[] noise = Datasets.byName(models[CURVED].source()).sample(500, s + 11);
                    float[] target = Datasets.byName(models[CURVED].target()).sample(500, s + 12);
                    List<FlowComparison> out = new ArrayList<>();
                    lockModels();
                    try {
                        for (int p = 0; p < 2; p++) {
                            ctx.progress(p, 2);
                            out.add(FlowComparison.measure(models[p].label(), models[p].model(), noise, target, ctx::isCancelled));
                        }
                    } finally {
                        modelLock.unlock();
                    }
                    return List.copyOf(out);
                }))
                .onSuccess(comparison::set)
                .onFailure(this::fail)
                .executeWith(executor);
    }

    /** The training timestep distribution the parameters describe. */
    public TimestepDistribution timestepDistribution() {
        return TimestepDistribution.parse("u-shaped".equals(trainTime.get()) ? "u-shaped:" + uShapedA.get() : trainTime.get());
    }

    /** A few milliseconds of drawing, so done at once rather than as a job. */
    private void updateTimesteps() {
        timesteps.set(TimestepHistogram.of(timestepDistribution(), TimestepHistogram.DEFAULT_SAMPLES,
                TimestepHistogram.DEFAULT_BINS, seed.get()));
    }

    private FlowMatchingTrainer.Settings trainerSettings(boolean distill) {
        TimestepDistribution t = timestepDistribution();
        FlowMatchingTrainer.Settings settings = new FlowMatchingTrainer.Settings(trainSteps.get(), 256,
                OptimizerConfig.adamW(1e-3), t, Loss.parse("l2"), 0.0, seed.get());
        return distill ? Reflow.distillationSettings(settings) : settings;
    }

    /**
     * Trains a fresh 1-RF from N(0, I) to the chosen (or drawn) target into the curved slot.
     * Cancelling stops the optimiser and keeps the model that was there.
     */
    public void train() {
        if (training != null && !training.isDone()) {
            problem.set("a training job is already running; cancel it first");
            return;
        }
        Dataset target;
        try {
            target = trainTargetDataset();
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
            return;
        }
        FlowMatchingTrainer.Settings settings = trainerSettings(false);
        String coupling = trainCoupling.get();
        MlpArchitecture architecture = MlpArchitecture.parse("mlp:in=2,out=2,time=sin4,hidden=64x64x64,activation=selu");
        training = tracked(BackgroundTask.of("Train 1-RF to " + target.name() + " (" + settings.steps() + " steps)", ctx -> {
                    ComputeDevice on = acquireDevice();
                    try {
                        FlowMatchingTrainer.Result result;
                        try (VelocityMlp model = VelocityMlp.create(on, architecture, FlowTraining.initSeed(settings.seed()))) {
                            result = new FlowMatchingTrainer(model, TrainingPaths.coupling(coupling, Datasets.NORMAL, target),
                                    ConditionalPath.STRAIGHT, settings)
                                    .train((step, total, loss) -> ctx.progress(step, total), ctx::isCancelled);
                        }
                        ctx.checkCancelled();
                        Map<String, String> meta = new LinkedHashMap<>();
                        meta.put(Checkpoint.KEY_SOURCE, "normal");
                        meta.put(Checkpoint.KEY_TARGET, target.name());
                        meta.put(Checkpoint.KEY_PATH, "rectified");
                        meta.put(Checkpoint.KEY_COUPLING, coupling);
                        meta.put(Checkpoint.KEY_REFLOW_ROUND, "1");
                        meta.put(Checkpoint.KEY_SEED, Long.toString(settings.seed()));
                        meta.put(Checkpoint.KEY_TRAINING, FlowTraining.settingsJson(settings).toString());
                        return trained("1-RF \u00b7 trained on " + target.name(), on, architecture, result, meta, false);
                    } finally {
                        jobDevices.release(on);
                    }
                }))
                .onSuccess(done -> accept(CURVED, done))
                .onCancelled(() -> status.set("Training cancelled; the previous model stays"))
                .onFailure(this::fail)
                .executeWith(executor);
    }

    /** One reflow round from the straight slot's model: simulate pairs with dopri5, retrain (warm start). */
    public void reflow() {
        rectify(false);
    }

    /** Distils the straight slot's model into a one-step generator (t fixed at 0). */
    public void distill() {
        rectify(true);
    }

    private void rectify(boolean distill) {
        LoadedFlow from = slots[STRAIGHT];
        if (from == null || from.oneStep()) {
            problem.set(from == null ? "no model to rectify" : "the right panel holds a one-step generator; open a velocity model first");
            return;
        }
        if (training != null && !training.isDone()) {
            problem.set("a training job is already running; cancel it first");
            return;
        }
        FlowMatchingTrainer.Settings settings = trainerSettings(distill);
        int round = from.round();
        long s = seed.get();
        String title = distill ? "Distill " + round + "-RF to one step" : "Reflow round: " + round + "-RF \u2192 " + (round + 1) + "-RF";
        training = tracked(BackgroundTask.of(title, ctx -> {
                    ComputeDevice on = acquireDevice();
                    try {
                        Dataset source = Datasets.byName(from.source());
                        Reflow.Pairs pairs;
                        float[] start;
                        lockModels();
                        try {
                            ctx.message("simulating 5000 pairs with dopri5");
                            DormandPrince dopri = new DormandPrince(1e-5, 1e-5);
                            pairs = Reflow.pairs(source, (z0, n) -> dopri.integrate(from.model(), z0, n, TimeGrid.forward(1)).finalState(),
                                    5000, Reflow.roundSeed(s, round), 1000, ctx::isCancelled);
                            start = from.model().parameterValues();
                        } finally {
                            modelLock.unlock();
                        }
                        ctx.message("training on straight lines between the pairs");
                        MlpArchitecture architecture = from.model().architecture();
                        FlowMatchingTrainer.Result result = Reflow.train(on, architecture, start, FlowTraining.initSeed(s + round), pairs,
                                settings, (step, total, loss) -> ctx.progress(step, total), ctx::isCancelled);
                        ctx.checkCancelled();
                        Map<String, String> meta = new LinkedHashMap<>(from.metadata());
                        meta.put(Checkpoint.KEY_COUPLING, "reflow");
                        meta.put(Checkpoint.KEY_REFLOW_ROUND, Integer.toString(distill ? round : round + 1));
                        meta.put(Checkpoint.KEY_TRAINING, FlowTraining.settingsJson(settings).toString());
                        String label = distill ? round + "-RF distilled, one step" : (round + 1) + "-RF \u00b7 reflow of " + round + "-RF";
                        return trained(label, on, architecture, result, meta, distill);
                    } finally {
                        jobDevices.release(on);
                    }
                }))
                .onSuccess(done -> accept(STRAIGHT, done))
                .onCancelled(() -> status.set((distill ? "Distillation" : "Reflow") + " cancelled; the previous model stays"))
                .onFailure(this::fail)
                .executeWith(executor);
    }

    /** Cancels a running Train, Reflow or Distill job. */
    public void cancelTraining() {
        if (training != null) {
            training.cancel();
        }
    }

    private record Trained(LoadedFlow flow, float[] losses, double straightness) {
    }

    private Trained trained(String label, ComputeDevice on, MlpArchitecture architecture, FlowMatchingTrainer.Result result,
                            Map<String, String> meta, boolean oneStep) {
        VelocityMlp model = VelocityMlp.withParameters(on, architecture, result.parameters());
        LoadedFlow flow = held(new LoadedFlow(label, model, meta, oneStep));
        float[] losses = java.util.Arrays.copyOf(result.losses(), result.steps());
        double straightness = oneStep ? 0 : probeStraightness(model, flow.source());
        return new Trained(flow, losses, straightness);
    }

    /** Straightness with RK4, 32 steps, 500 particles: the measure the chart compares across rounds. */
    static double probeStraightness(VelocityMlp model, String source) {
        float[] noise = Datasets.byName(source).sample(500, 99);
        SamplingSettings probe = new SamplingSettings("rk4", 32, 1e-5, SamplingSettings.UNIFORM, 500, 0, 99);
        return FlowSampler.run("probe", model, noise, TimeGrid.forward(32), probe, false, () -> false).straightness();
    }

    private void accept(int slot, Trained done) {
        replace(slot, done.flow());
        lossHistory.set(done.losses());
        if (!done.flow().oneStep()) {
            straightnessByRound.add(new double[] {done.flow().round(), done.straightness()});
        }
        status.set("New model in the " + (slot == CURVED ? "left" : "right") + " panel: " + done.flow().label());
        problem.set(null);
        recompute();
    }

    private Dataset trainTargetDataset() {
        if (!"drawn".equals(trainTarget.get())) {
            return Datasets.byName(trainTarget.get());
        }
        if (drawnPoints.size() < 2 * 8) {
            throw new IllegalArgumentException("draw at least 8 points on the canvas (drag with Shift held) before training on them");
        }
        float[] points = new float[drawnPoints.size()];
        for (int i = 0; i < points.length; i++) {
            points[i] = drawnPoints.get(i);
        }
        return new PointSetDataset("drawn", points, 0.05f);
    }

    /** Adds a sketched point (data coordinates) to the drawn target. */
    public void addDrawnPoint(double x, double y) {
        if (Double.isFinite(x) && Double.isFinite(y)) {
            drawnPoints.addAll((float) x, (float) y);
        }
    }

    /** Runs an export of the current figure as a job; its problem, if any, shows as one line. */
    public <V> void runExport(String title, BackgroundTask.Body<V> body) {
        tracked(BackgroundTask.of(title, body))
                .onSuccess(done -> status.set(title + ": done"))
                .onFailure(this::fail)
                .executeWith(executor);
    }

    // ---- lesson setups ----

    /** Applies a set of parameter values at once (the lesson's buttons); a bad value changes nothing. */
    public void apply(Map<String, ?> values) {
        parameters.applyAll(values);
        time.set(0);
    }

    /** Measures straightness of both shown models with the probe settings (as the chart uses). */
    public void measureStraightness() {
        if (slots[CURVED] == null || slots[STRAIGHT] == null) {
            return;
        }
        LoadedFlow[] models = slots.clone();
        tracked(BackgroundTask.of("Measure straightness per reflow round", ctx -> {
                    double[][] out = new double[2][];
                    lockModels();
                    try {
                        for (int p = 0; p < 2; p++) {
                            out[p] = new double[] {models[p].round(), models[p].oneStep() ? 0 : probeStraightness(models[p].model(), models[p].source())};
                        }
                    } finally {
                        modelLock.unlock();
                    }
                    return out;
                }))
                .onSuccess(out -> {
                    for (double[] point : out) {
                        straightnessByRound.removeIf(p -> p[0] == point[0]);
                        straightnessByRound.add(point);
                    }
                    straightnessByRound.sort((a, b) -> Double.compare(a[0], b[0]));
                })
                .onFailure(this::fail)
                .executeWith(executor);
    }
}
