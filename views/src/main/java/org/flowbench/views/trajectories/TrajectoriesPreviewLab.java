package org.flowbench.views.trajectories;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.path.PathSnapshots;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.JobHandle;
import org.flowbench.views.jobs.TaskExecutor;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.util.List;
import java.util.Optional;

/**
 * The Trajectories page until the full lab exists: the probability path between a source and a
 * target under independent coupling, at five times. Parameters change -> a background job
 * samples the path -> the figure is replaced -> the canvas repaints.
 */
public final class TrajectoriesPreviewLab implements Lab {

    public static final String ID = "trajectories";

    private final TaskExecutor executor;
    private final Parameter<Integer> samples = Parameter.integer("samples", "Samples", "Data",
            "Number of particles drawn from the source and from the target", ProbabilityPathFigure.DEFAULT_COUNT, 10, 20_000);
    private final Parameter<Long> seed = Parameter.seed("seed", "Seed", "Data",
            "Seed of every random draw: the same seed gives the same picture", ProbabilityPathFigure.DEFAULT_SEED);
    private final Parameter<String> source = Parameter.oneOf("source", "Source", "Data",
            "Distribution the particles start from (t = 0)", Datasets.names(), "normal");
    private final Parameter<String> target = Parameter.oneOf("target", "Target", "Data",
            "Distribution the particles end in (t = 1)", Datasets.names(), "moons");
    private final LabParameters parameters = new LabParameters(List.of(samples, seed, source, target));

    private final ReadOnlyObjectWrapper<ProbabilityPathFigure> figure = new ReadOnlyObjectWrapper<>(this, "figure");
    private final ReadOnlyObjectWrapper<String> problem = new ReadOnlyObjectWrapper<>(this, "problem");
    private FigureTheme theme = FigureTheme.LIGHT;
    private JobHandle running;
    private Node view;
    private FigureCanvas canvas;
    private ProgressIndicator busy;

    public TrajectoriesPreviewLab(TaskExecutor executor) {
        this.executor = executor;
        parameters.addListener(this::recompute);
        recompute();
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

    /** The figure on screen; replaced (never mutated) when a new sample arrives. */
    public ReadOnlyObjectProperty<ProbabilityPathFigure> figureProperty() {
        return figure.getReadOnlyProperty();
    }

    /** The last computation's problem, or null. */
    public ReadOnlyObjectProperty<String> problemProperty() {
        return problem.getReadOnlyProperty();
    }

    @Override
    public Optional<Figure> currentFigure() {
        return Optional.ofNullable(figure.get());
    }

    @Override
    public void setDarkTheme(boolean dark) {
        theme = dark ? FigureTheme.DARK : FigureTheme.LIGHT;
        ProbabilityPathFigure shown = figure.get();
        if (shown != null) {
            figure.set(new ProbabilityPathFigure(shown.snapshots(), theme));
        }
    }

    private void recompute() {
        if (running != null) {
            running.cancel();
        }
        int n = samples.get();
        long s = seed.get();
        String from = source.get();
        String to = target.get();
        FigureTheme paintWith = theme;
        running = BackgroundTask.of("Sample probability path", ctx -> {
                    ctx.message(from + " \u2192 " + to + ", n = " + n);
                    PathSnapshots snapshots = PathSnapshots.sample(Datasets.byName(from), Datasets.byName(to), n,
                            PathSnapshots.defaultTimes(), s);
                    ctx.checkCancelled();
                    return new ProbabilityPathFigure(snapshots, paintWith);
                })
                .onRunning(() -> setBusy(true))
                .onSuccess(result -> {
                    problem.set(null);
                    figure.set(result.theme() == theme ? result : new ProbabilityPathFigure(result.snapshots(), theme));
                })
                .onFailure(error -> problem.set(Failures.oneLine(error)))
                .onFinished(() -> setBusy(false))
                .executeWith(executor);
    }

    private void setBusy(boolean value) {
        if (busy != null) {
            busy.setVisible(value);
        }
    }

    @Override
    public Node view() {
        if (view == null) {
            canvas = new FigureCanvas();
            canvas.setId("probabilityPathCanvas");
            canvas.figureProperty().bind(figure);
            busy = new ProgressIndicator();
            busy.setMaxSize(36, 36);
            busy.setVisible(false);
            StackPane.setAlignment(busy, javafx.geometry.Pos.TOP_RIGHT);
            StackPane.setMargin(busy, new Insets(12));
            StackPane stack = new StackPane(canvas, busy);
            Label heading = new Label("Trajectories \u2014 the probability path");
            heading.getStyleClass().add("page-title");
            Label note = new Label("Samples x\u209c = (1 \u2212 t) x\u2080 + t x\u2081 drawn with independent coupling. "
                    + "Change the source, the target, the number of samples or the seed in the inspector. "
                    + "Trained flows, their ODE trajectories and step-by-step solvers come with the full lab.");
            note.setWrapText(true);
            note.getStyleClass().add("page-text");
            Label error = new Label();
            error.getStyleClass().add("inspector-problem");
            error.textProperty().bind(problem);
            error.visibleProperty().bind(problem.isNotNull());
            error.managedProperty().bind(error.visibleProperty());
            VBox top = new VBox(6, heading, note, error);
            top.setPadding(new Insets(16, 16, 8, 16));
            BorderPane page = new BorderPane(stack);
            page.setTop(top);
            page.setId("trajectoriesPage");
            view = page;
        }
        return view;
    }
}
