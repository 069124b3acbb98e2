package org.flowbench.views.trajectories;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.scene.Node;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.LabStatus;
import org.flowbench.views.lab.LazyPage;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Trajectories lab's view model: two model slots (curved on the left, straight on the
 * right), the parameters, the view state, and the jobs that turn them into immutable results.
 * Parameter edited -> one sampling job (the latest wins) -> a {@link TrajectoriesFigure} -> the
 * canvas repaints. Time, zoom and selection only recompose the figure, which is cheap. A job that
 * fails or is cancelled leaves the models and the figure on screen as they were.
 */
public final class TrajectoriesLab implements Lab {

    public static final String ID = "trajectories";
    /** Panel slots. */
    public static final int CURVED = 0;
    public static final int STRAIGHT = 1;

    private final LabContext context;
    private final TrajectoriesParameters params = new TrajectoriesParameters();
    private final ModelSlots slots;
    private final LatestJobSlot sampling;
    private final TrajectoriesCharts charts;
    private volatile String selectedDevice;

    private final ReadOnlyObjectWrapper<TrajectoriesFigure> figure = new ReadOnlyObjectWrapper<>(this, "figure");
    private final LabStatus line;
    private final DoubleProperty time = new SimpleDoubleProperty(this, "time", 0);
    private TrajectoriesViewState viewState = TrajectoriesViewState.initial();
    private TrajectoriesFigure sampled;
    private DataBounds fitted = TrajectoriesFigure.DEFAULT_VIEW;
    private final TrajectoriesTraining training;
    private final TrajectoriesFiles files;
    private final ParticleInspector inspector;
    private final LazyPage<TrajectoriesPage> page;

    /** @param loadSamples open the two sample models at once (the app); tests may load their own */
    public TrajectoriesLab(LabContext context, boolean loadSamples) {
        this.context = context;
        this.line = new LabStatus(this, "Loading models\u2026", context.executor());
        this.page = new LazyPage<>(() -> new TrajectoriesPage(this, context.dialogs()), TrajectoriesPage::setActive);
        this.selectedDevice = context.devices().selectedProperty().get();
        this.slots = new ModelSlots(() -> selectedDevice, warning -> context.later().execute(() -> line.say("Warning: " + warning)));
        this.sampling = new LatestJobSlot(context.executor(), context.later());
        this.charts = new TrajectoriesCharts(params, slots, context.executor(), context.later(), this::trackedAny, this::fail);
        this.files = new TrajectoriesFiles(slots, context.executor(), this::trackedAny, this::accept, line::say, line::problem,
                this::fail);
        this.inspector = new ParticleInspector(slots, context.executor(), this::fail);
        this.training = new TrajectoriesTraining(params, slots, charts, context.executor(), this::trackedAny,
                this::trained, line::problem, line::say, this::fail);
        // A new device applies to the next job; sampling again now moves the models there.
        context.devices().selectedProperty().addListener((obs, before, now) -> {
            selectedDevice = now;
            recompute();
        });
        params.sampling.forEach(p -> p.valueProperty().addListener((obs, before, now) -> recompute()));
        params.drawing.forEach(p -> p.valueProperty().addListener((obs, before, now) ->
                recompose(viewState.withOptions(params.drawingOptions()))));
        time.addListener((obs, before, now) -> recompose(viewState.withTime(now.doubleValue())));
        context.theme().addListener((obs, before, now) -> recompose(viewState.withTheme(now)));
        viewState = viewState.withOptions(params.drawingOptions()).withTheme(context.theme().getValue());
        if (loadSamples) {
            Path folder = SampleModels.folder();
            files.openModels(folder.resolve(SampleModels.CURVED), folder.resolve(SampleModels.STRAIGHT));
        }
    }

    /** The lab list's entry: the lab, built on first visit, and the figures it exports. */
    public static org.flowbench.views.lab.LabDescriptor descriptor() {
        return new org.flowbench.views.lab.LabDescriptor(ID, "Trajectories", ctx -> new TrajectoriesLab(ctx, true),
                TrajectoriesFigures.specs(), List.of(FlowModelFile.KIND_VELOCITY, FlowModelFile.KIND_ONE_STEP));
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
        return params.all;
    }

    @Override
    public Optional<Figure> currentFigure() {
        return Optional.ofNullable(figure.get());
    }

    @Override
    public Node view() {
        return page.get();
    }

    @Override
    public void onShown() {
        page.setActive(true);
    }

    @Override
    public void onHidden() {
        page.setActive(false);
    }

    /** Opens a checkpoint from File > Open or a drop into the left panel. */
    @Override
    public void open(Path file) {
        files.openCheckpoint(CURVED, file);
    }

    /** The panels' checkpoint files (relative to the session's folder), the time and the zoom. */
    @Override
    public Map<String, Object> viewState(Path sessionFolder) {
        return TrajectoriesSession.save(files.files(), time.get(), viewState.view(), sessionFolder);
    }

    /** Opens the saved panels' checkpoints that still exist, and restores the time and zoom; says what it skipped. */
    @Override
    public void restoreViewState(Map<String, Object> state, Path sessionFolder) {
        TrajectoriesSession.Restored restored = TrajectoriesSession.read(state, sessionFolder);
        files.reopen(restored.files());
        if (restored.time() != null) {
            // a session holds a moment: it opens paused there
            page.ifBuilt(TrajectoriesPage::pause);
            time.set(restored.time());
        }
        if (restored.view() != null) {
            setView(restored.view());
        }
        if (!restored.problems().isEmpty()) {
            line.problem(String.join("; ", restored.problems()));
        }
    }

    @Override
    public void close() {
        sampling.cancel();
        training.cancel();
        onHidden();
        slots.close();
    }

    // ---- state for the view and tests ----

    public ReadOnlyObjectProperty<TrajectoriesFigure> figureProperty() {
        return figure.getReadOnlyProperty();
    }

    /** The last job's problem in one line, or null. */
    public ReadOnlyObjectProperty<String> problemProperty() {
        return line.problemProperty();
    }

    public ReadOnlyObjectProperty<String> statusProperty() {
        return line.statusProperty();
    }

    public ReadOnlyObjectProperty<List<ParticleInspection>> inspectionProperty() {
        return inspector.rows();
    }

    /** Opening, importing and saving the panels' checkpoints. */
    public TrajectoriesFiles files() {
        return files;
    }

    /** The parameters, typed, for the page and tests of this package. */
    TrajectoriesParameters params() {
        return params;
    }

    /** What the Charts tab shows and the measurements behind it. */
    public TrajectoriesCharts charts() {
        return charts;
    }

    /** Train, Reflow, Distill and the sketched target. */
    public TrajectoriesTraining training() {
        return training;
    }

    /** The shared time, 0 (noise) to 1 (data). */
    public DoubleProperty timeProperty() {
        return time;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return line.busyProperty();
    }

    /** The model in a slot, or null. */
    public LoadedFlow model(int slot) {
        return slots.get(slot);
    }

    /** How many compute devices the lab holds open; for tests. */
    int openDevices() {
        return slots.openDevices();
    }

    /** How many sampling jobs have started; for tests of the coalescing. */
    int samplingJobsStarted() {
        return sampling.startedCount();
    }

    // ---- time, view, selection ----

    /** Moves to the next solver state (the next grid time of either panel). */
    public void stepForward() {
        time.set(TrajectoriesViewState.nextGridTime(figure.get(), time.get(), true));
    }

    /** Moves to the previous solver state. */
    public void stepBack() {
        time.set(TrajectoriesViewState.nextGridTime(figure.get(), time.get(), false));
    }

    /** The shared zoom and pan as shown. */
    public DataBounds viewBounds() {
        return viewState.view() != null ? viewState.view() : fitted;
    }

    /** Shared zoom and pan; null resets to the view fitted to the sampled data. */
    public void setView(DataBounds bounds) {
        recompose(viewState.withView(bounds));
    }

    public int selected() {
        return viewState.selected();
    }

    /** Selects a particle (-1 for none) and inspects it in the background. */
    public void select(int particle) {
        recompose(viewState.withSelected(particle));
        inspector.inspect(particle, figure.get());
    }

    private void recompose(TrajectoriesViewState next) {
        viewState = next;
        if (sampled != null) {
            figure.set(viewState.applyTo(sampled, fitted));
        }
    }

    // ---- jobs ----

    void fail(Throwable error) {
        line.fail(error);
    }

    private BackgroundTask<?> trackedAny(BackgroundTask<?> task) {
        return tracked(task);
    }

    <V> BackgroundTask<V> tracked(BackgroundTask<V> task) {
        return line.tracked(task);
    }

    /** Puts a model in a panel and samples again; its selection and inspection are cleared. */
    private void accept(int slot, LoadedFlow flow) {
        slots.replace(slot, flow);
        files.forget(slot);
        viewState = viewState.withSelected(-1);
        inspector.clear();
        line.problem(null);
        recompute();
    }

    /** Samples both models with the current settings; a burst of changes starts one job, the latest wins. */
    public void recompute() {
        sampling.request(() -> {
            if (!slots.bothFilled()) {
                return null;
            }
            SamplingSettings settings;
            try {
                settings = params.sampling();
            } catch (IllegalArgumentException e) {
                line.problem(e.getMessage());
                return null;
            }
            LoadedFlow[] models = slots.snapshot();
            return tracked(BackgroundTask.of("Sample trajectories (" + settings.solver() + ", " + settings.steps() + " steps)",
                            ctx -> SamplingJob.run(slots, models, settings, ctx)))
                    .onSuccess(this::showSampled)
                    .onFailure(this::fail);
        });
    }

    private void showSampled(SamplingJob.Result result) {
        slots.adopt(result.sampled(), result.used());
        charts.showBossPlans(result.sampling().plans());
        line.problem(null);
        fitted = result.sampling().fitted();
        sampled = new TrajectoriesFigure(result.sampling().runs(), result.sampling().target(), 0, fitted, -1,
                TrajectoriesFigure.Options.defaults(), FigureTheme.LIGHT);
        recompose(viewState);
        line.say(result.summary());
        if (viewState.selected() >= 0) {
            select(viewState.selected());
        }
    }

    /** A training job's model enters its panel. */
    private void trained(int slot, TrainingJobs.Trained done) {
        accept(slot, done.flow());
        charts.showTrained(done);
        line.say("New model in the " + (slot == CURVED ? "left" : "right") + " panel: " + done.flow().label());
    }

    /** Runs an export of the current figure as a job; its problem, if any, shows as one line. */
    public <V> void runExport(String title, BackgroundTask.Body<V> body) {
        line.runExport(title, body);
    }

    /** Applies a set of parameter values at once (the lesson's buttons); a bad value changes nothing. */
    public void apply(Map<String, ?> values) {
        params.all.applyAll(values);
        time.set(0);
    }
}
