package org.flowbench.views.trajectories;

import org.flowbench.views.lab.ActionColumn;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.flowbench.views.figure.FigureAnimation;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.PlotFrame;
import org.flowbench.views.figure.PlotNavigator;
import org.flowbench.views.figure.PointsOverlay;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.lab.BusyIndicator;
import org.flowbench.views.lab.DialogService;
import org.flowbench.views.lab.LessonPane;
import org.flowbench.views.lab.PageHeader;
import org.flowbench.views.lab.TimelineBar;

import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The Trajectories page: the two-panel figure with zoom (wheel, + and -), pan (drag), particle
 * picking (click) and sketching a target (Shift + drag, the sketch drawn over the panels); the
 * timeline under it (Space, Left, Right, Home, End); and tabs for the particle inspector, the
 * charts, the actions and the lesson. The page only reads the lab's properties and calls its
 * methods; everything heavy runs in the lab's jobs. On narrow pages the tabs move under the
 * figure so the plots keep their size.
 */
final class TrajectoriesPage extends BorderPane {

    /** Seconds of playback for t going from 0 to 1 at speed 1. */
    static final double SECONDS_PER_UNIT_TIME = 4.0;
    /** Preferred width of the side tabs; the figure takes the rest. */
    static final double SIDE_WIDTH = 330;
    /** Below this page width the side tabs go under the figure. */
    static final double NARROW_WIDTH = 720;
    /** Folders the window's exports create inside the folder the user picks. */
    static final String ANIMATION_FOLDER = "trajectories-animation";
    static final String CSV_FOLDER = "trajectories-csv";

    private final TrajectoriesLab lab;
    private final DialogService dialogs;
    private final FigureCanvas canvas = new FigureCanvas();
    private final PointsOverlay sketch;
    private final PlotNavigator navigator;
    private final TimelineBar timeline;
    private final SplitPane split = new SplitPane();
    private final TabPane tabs = new TabPane();
    private final StackPane canvasPane;
    private final PageHeader header;
    private final TableView<Row> table = new TableView<>();
    private final Label particleSummary = new Label("Click a particle to inspect its path.");
    private final FigureCanvas charts = new FigureCanvas();
    private final Spinner<Integer> animationFrames = new Spinner<>(2, TrajectoryExports.MAX_FRAMES, 60, 10);
    private boolean narrow;
    private boolean sized;
    private boolean resumeWhenActive;

    /** One row of the particle table. */
    record Row(String model, int step, double t, float x, float y, float vx, float vy, double error) {
    }

    TrajectoriesPage(TrajectoriesLab lab, DialogService dialogs) {
        this.lab = Objects.requireNonNull(lab, "lab");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        setId("trajectoriesPage");
        header = new PageHeader("Trajectories", "trajectoriesStatus", lab.statusProperty(), lab.problemProperty());
        canvas.setId("trajectoriesCanvas");
        canvas.figureProperty().bind(lab.figureProperty());
        canvas.setMinSize(0, 0);
        sketch = new PointsOverlay(canvas, this::frames);
        sketch.setId("sketchOverlay");
        navigator = new PlotNavigator(canvas, this::frames, lab::setView);
        navigator.setOnPick((frame, x, y) -> {
            TrajectoriesFigure f = lab.figureProperty().get();
            if (f != null) {
                lab.select(f.particleAt(canvasArea(), x, y, 8));
            }
        });
        navigator.setOnSketch(lab.training()::addDrawnPoint);
        timeline = new TimelineBar(lab.timeProperty(), 0, 1);
        timeline.setSecondsForRange(SECONDS_PER_UNIT_TIME);
        timeline.setStepActions(lab::stepForward, lab::stepBack);
        timeline.infoLabel().textProperty().bind(Bindings.createStringBinding(this::timeText, lab.timeProperty(), lab.figureProperty()));
        timeline.infoLabel().setTooltip(new Tooltip("Each panel's solver step and the velocity evaluations (NFE) spent so far"));

        canvasPane = canvasPane();
        tabs.getTabs().setAll(new Tab("Particle", particleTab()), new Tab("Charts", chartsTab()),
                new Tab("Actions", actionsTab()), new Tab("Lesson", LessonPane.forLab(TrajectoriesLab.ID, this::setUp)));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("trajectoriesTabs");
        tabs.setMinWidth(0);
        split.setId("trajectoriesSplit");
        split.getItems().setAll(canvasPane, tabs);
        SplitPane.setResizableWithParent(tabs, false);
        widthProperty().addListener((obs, before, now) -> arrange(now.doubleValue()));

        setTop(header);
        setCenter(split);
        setBottom(timeline);

        lab.training().drawnPoints().addListener((ListChangeListener<Float>) c -> showSketch());
        lab.figureProperty().addListener((obs, before, now) -> {
            sketch.setDark(now != null && now.theme().isDark());
            showSketch();
        });
        addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
        // the figure takes the keyboard when clicked, so Space and the arrows work at once
        canvas.setFocusTraversable(true);
        canvas.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> canvas.requestFocus());
        sceneProperty().addListener((obs, before, now) -> {
            if (now != null) {
                javafx.application.Platform.runLater(canvas::requestFocus);
            }
        });
        timeline.play();
    }

    /** The line under the title: the lab's status, or its last problem (tests read it). */
    Label messageLabel() {
        return header.messageLabel();
    }

    private StackPane canvasPane() {
        ProgressIndicator busy = BusyIndicator.corner(lab.busyProperty());
        StackPane pane = new StackPane(canvas, sketch, busy);
        pane.setMinSize(0, 0);
        Tooltip.install(canvas, new Tooltip("Wheel or + / \u2212: zoom \u00b7 drag: pan \u00b7 double-click: reset \u00b7 "
                + "click: inspect a particle \u00b7 Shift + drag: sketch a target"));
        VBox.setVgrow(pane, Priority.ALWAYS);
        return pane;
    }

    /** Side by side on wide pages, the tabs under the figure on narrow ones. */
    private void arrange(double width) {
        if (width <= 0) {
            return;
        }
        boolean nowNarrow = width < NARROW_WIDTH;
        if (nowNarrow != narrow || !sized) {
            narrow = nowNarrow;
            sized = true;
            split.setOrientation(narrow ? Orientation.VERTICAL : Orientation.HORIZONTAL);
            split.setDividerPositions(narrow ? 0.62 : Math.max(0.4, 1 - SIDE_WIDTH / width));
        }
    }

    private String timeText() {
        TrajectoriesFigure f = lab.figureProperty().get();
        double t = lab.timeProperty().get();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "t = %.3f", t));
        if (f == null) {
            return s.toString();
        }
        String[] sides = {"left", "right"};
        for (int p = 0; p < f.runs().size(); p++) {
            FlowRun run = f.runs().get(p);
            int k = run.stepAt(t);
            s.append(String.format(Locale.ROOT, "  \u00b7  %s: step %d/%d, NFE %d", sides[p], k, run.steps(), run.nfe()[k]));
        }
        return s.toString();
    }

    /** Whether the timeline is animating (tests stop it to step deterministically). */
    boolean isPlaying() {
        return timeline.isPlaying();
    }

    /** Stops playing, and stays stopped when the page comes back on screen. */
    void pause() {
        timeline.stop();
        resumeWhenActive = false;
    }

    TimelineBar timeline() {
        return timeline;
    }

    PointsOverlay sketchOverlay() {
        return sketch;
    }

    /**
     * Off screen ({@code false}) the timeline stops and its animation timer with it; back on
     * screen it plays again if it was playing when it left.
     */
    void setActive(boolean active) {
        if (!active) {
            resumeWhenActive = resumeWhenActive || timeline.isPlaying();
            timeline.activeProperty().set(false);
        } else {
            timeline.activeProperty().set(true);
            canvas.requestFocus();
            if (resumeWhenActive) {
                timeline.play();
            }
            resumeWhenActive = false;
        }
    }

    private void keyPressed(KeyEvent e) {
        if (e.getTarget() instanceof TextInputControl || e.isConsumed()) {
            return;
        }
        if (!timeline.handleKey(e)) {
            navigator.handleKey(e);
        }
    }

    private Rectangle2D canvasArea() {
        return canvas.figureArea();
    }

    private List<PlotFrame> frames() {
        TrajectoriesFigure f = lab.figureProperty().get();
        return f == null || canvas.canvas().getWidth() <= 0 ? List.of() : List.of(f.frames(canvasArea()));
    }

    private void showSketch() {
        List<Float> points = lab.training().drawnPoints();
        float[] xy = new float[points.size()];
        for (int i = 0; i < xy.length; i++) {
            xy[i] = points.get(i);
        }
        sketch.setPoints(xy);
    }

    private void setUp(Map<String, String> values) {
        timeline.stop();
        try {
            lab.apply(values);
        } catch (IllegalArgumentException e) {
            header.show(Failures.oneLine(e), true);
        }
    }

    // ---- Particle tab ----

    private VBox particleTab() {
        table.setId("particleTable");
        table.getColumns().add(column("model", Row::model, 52, "Which panel's model"));
        table.getColumns().add(column("k", r -> Integer.toString(r.step()), 30, "Solver step"));
        table.getColumns().add(column("t", r -> String.format(Locale.ROOT, "%.3f", r.t()), 50, "Time of the step"));
        table.getColumns().add(column("x", r -> String.format(Locale.ROOT, "(%.2f, %.2f)", r.x(), r.y()), 92, "Position"));
        table.getColumns().add(column("v", r -> String.format(Locale.ROOT, "(%.2f, %.2f)", r.vx(), r.vy()), 92, "Velocity v(x, t)"));
        table.getColumns().add(column("local error", r -> r.step() == 0 ? "" : String.format(Locale.ROOT, "%.1e", r.error()), 84,
                "Distance of the step's end from a fine RK4 solution started at the step's start"));
        // a compact table: the side panel is narrow, and x and v are pairs; wider than the panel, it scrolls
        table.setStyle("-fx-font-size: 11px;");
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.setPlaceholder(new Label("No particle selected"));
        VBox.setVgrow(table, Priority.ALWAYS);
        particleSummary.setId("particleSummary");
        particleSummary.setWrapText(true);
        particleSummary.setMinHeight(Region.USE_PREF_SIZE);
        lab.inspectionProperty().addListener((obs, before, now) -> showInspection(now));
        Button clear = new Button("Clear selection");
        clear.setId("clearSelectionButton");
        clear.setMinWidth(Region.USE_PREF_SIZE);
        clear.setTooltip(new Tooltip("Stop highlighting the inspected particle"));
        clear.setOnAction(e -> lab.select(-1));
        VBox box = new VBox(6, particleSummary, table, clear);
        box.setPadding(new Insets(8));
        return box;
    }

    private static TableColumn<Row, String> column(String name, Function<Row, String> text, double width, String tip) {
        TableColumn<Row, String> c = new TableColumn<>();
        Label header = new Label(name);
        header.setTooltip(new Tooltip(tip));
        header.setMinWidth(Region.USE_PREF_SIZE);
        c.setGraphic(header);
        c.setPrefWidth(width);
        c.setMinWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
        c.setSortable(false);
        return c;
    }

    private void showInspection(List<ParticleInspection> inspections) {
        List<Row> rows = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        for (ParticleInspection in : inspections) {
            String model = in.label().replaceFirst(" \u00b7.*", "");
            summary.append(summary.length() == 0 ? "Particle " + in.particle() + ": " : "; ")
                    .append(String.format(Locale.ROOT, "%s straightness %.4f", model, in.straightness()));
            for (int k = 0; k <= in.steps(); k++) {
                rows.add(new Row(model, k, in.times()[k], in.xy()[2 * k], in.xy()[2 * k + 1], in.v()[2 * k], in.v()[2 * k + 1],
                        in.localError()[k]));
            }
        }
        particleSummary.setText(inspections.isEmpty() ? "Click a particle to inspect its path." : summary
                + ". Local error: distance of each step's end from a fine RK4 solution from the same start.");
        table.getItems().setAll(rows);
    }

    // ---- Charts tab ----

    /** Whether the shown runs use an adaptive solver: then BOSS sets only where it stops, not its steps. */
    private boolean adaptive() {
        TrajectoriesFigure f = lab.figureProperty().get();
        return f != null && f.runs().stream().anyMatch(run -> TrajectoriesFigure.isAdaptive(run.solver()));
    }

    private VBox chartsTab() {
        charts.setId("chartsCanvas");
        Label hint = new Label();
        hint.setId("chartsHint");
        hint.setWrapText(true);
        hint.setMinHeight(Region.USE_PREF_SIZE);
        hint.getStyleClass().add("page-text");
        Runnable redraw = () -> {
            ChartsFigure shown = new ChartsFigure(lab.charts().comparison().get(), List.copyOf(lab.charts().straightnessByRound()),
                    lab.charts().lossHistory().get(), lab.charts().timesteps().get(),
                    adaptive() ? List.of() : lab.charts().bossPlans().get(),
                    lab.figureProperty().get() == null ? FigureTheme.LIGHT : lab.figureProperty().get().theme());
            charts.setMinHeight(shown.rows() * ChartsFigure.ROW_HEIGHT);
            charts.setPrefHeight(shown.rows() * ChartsFigure.ROW_HEIGHT);
            charts.setFigure(shown);
            hint.setText(adaptive()
                    ? "dopri5 chooses its own steps, so no BOSS cost matrix is shown; the timestep chart follows "
                    + "Training \u203a Time distribution."
                    : "Set Schedule to boss (Sampling) to see each model's BOSS cost matrix and its jumps; "
                    + "the timestep chart follows Training \u203a Time distribution.");
        };
        lab.charts().comparison().addListener((o, a, b) -> redraw.run());
        lab.charts().lossHistory().addListener((o, a, b) -> redraw.run());
        lab.charts().timesteps().addListener((o, a, b) -> redraw.run());
        lab.charts().bossPlans().addListener((o, a, b) -> redraw.run());
        lab.figureProperty().addListener((o, a, b) -> {
            if (a == null || b == null || a.runs() != b.runs() || a.theme() != b.theme()) {
                redraw.run();
            }
        });
        lab.charts().straightnessByRound().addListener((ListChangeListener<double[]>) c -> redraw.run());
        redraw.run();
        Button measure = ActionColumn.button("Measure W2 vs NFE", "measureW2Button",
                "Sample both models with every solver at several step counts and plot the 2-Wasserstein distance "
                        + "to a fine reference against the evaluations spent", lab.charts()::compareSolvers);
        Button straight = ActionColumn.button("Measure straightness", "measureStraightnessButton",
                "Measure both models' straightness with RK4, 32 steps, and add it to the per-round chart",
                lab.charts()::measureStraightness);
        measure.setMaxWidth(Region.USE_PREF_SIZE);
        straight.setMaxWidth(Region.USE_PREF_SIZE);
        ScrollPane scroll = new ScrollPane(charts);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setId("chartsScroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        VBox box = new VBox(6, new FlowPane(6, 6, measure, straight), hint, scroll);
        box.setPadding(new Insets(8));
        return box;
    }

    // ---- Actions tab ----

    private ScrollPane actionsTab() {
        Button train = ActionColumn.button("Train 1-RF (left)", "trainButton",
                "Train a new flow from N(0, I) to the Training target into the left panel", lab.training()::train);
        Button reflow = ActionColumn.button("Reflow one round (right)", "reflowButton",
                "Train the right panel's next round on pairs (z0, z1) drawn by the right panel's model", lab.training()::reflow);
        Button distill = ActionColumn.button("Distill to one step (right)", "distillButton",
                "Train a one-step generator from the right panel's model into the right panel", lab.training()::distill);
        Button cancel = ActionColumn.button("Cancel training", "cancelTrainingButton",
                "Stop the running training job; the models on screen stay", lab.training()::cancel);
        Button clearDrawing = ActionColumn.button("Clear sketched points", "clearDrawingButton",
                "Forget the points sketched with Shift + drag", () -> lab.training().drawnPoints().clear());
        Label drawn = ActionColumn.wrapped("");
        drawn.setId("sketchCount");
        drawn.textProperty().bind(Bindings.createStringBinding(() -> lab.training().drawnPoints().size() / 2
                + " sketched points (Shift + drag on a panel; choose 'drawn' as Train target)", lab.training().drawnPoints()));
        DialogService.FileType checkpoints = new DialogService.FileType("Flowbench checkpoint", "*.safetensors");
        Button openLeft = ActionColumn.button("Open checkpoint (left)\u2026", "openLeftButton", "Load a flow checkpoint into the left panel",
                () -> dialogs.chooseOpenFile("Open checkpoint (left)", List.of(checkpoints))
                        .ifPresent(file -> lab.files().openCheckpoint(TrajectoriesLab.CURVED, file)));
        Button openRight = ActionColumn.button("Open checkpoint (right)\u2026", "openRightButton", "Load a flow checkpoint into the right panel",
                () -> dialogs.chooseOpenFile("Open checkpoint (right)", List.of(checkpoints))
                        .ifPresent(file -> lab.files().openCheckpoint(TrajectoriesLab.STRAIGHT, file)));
        Button saveLeft = ActionColumn.button("Save checkpoint (left)\u2026", "saveLeftButton", "Save the left panel's model as safetensors",
                () -> dialogs.chooseSaveFile("Save checkpoint (left)", "flow.safetensors", List.of(checkpoints))
                        .ifPresent(file -> lab.files().saveCheckpoint(TrajectoriesLab.CURVED, file)));
        Button saveRight = ActionColumn.button("Save checkpoint (right)\u2026", "saveRightButton", "Save the right panel's model as safetensors",
                () -> dialogs.chooseSaveFile("Save checkpoint (right)", "flow.safetensors", List.of(checkpoints))
                        .ifPresent(file -> lab.files().saveCheckpoint(TrajectoriesLab.STRAIGHT, file)));
        Button frames = ActionColumn.button("Export animation (PNG frames + GIF)\u2026", "exportAnimationButton",
                "Pick a folder; the frames and a looping GIF go into a new folder '" + ANIMATION_FOLDER + "' inside it",
                () -> dialogs.chooseFolder("Export animation into").ifPresent(folder -> exportAnimationTo(folder, animationFrames.getValue())));
        Button csv = ActionColumn.button("Export samples, trajectories, metrics (CSV)\u2026", "exportCsvButton",
                "Pick a folder; samples.csv, trajectories.csv and metrics.csv go into a new folder '" + CSV_FOLDER + "' inside it",
                () -> dialogs.chooseFolder("Export CSV into").ifPresent(this::exportCsvTo));
        animationFrames.setId("animationFrames");
        animationFrames.setEditable(true);
        animationFrames.setPrefWidth(90);
        animationFrames.setMinWidth(Region.USE_PREF_SIZE);
        animationFrames.setTooltip(new Tooltip("Frames from t = 0 to t = 1 (2 to " + TrajectoryExports.MAX_FRAMES + ")"));
        Label framesLabel = new Label("Animation frames");
        framesLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox frameCount = new HBox(6, framesLabel, animationFrames);
        frameCount.setAlignment(Pos.CENTER_LEFT);
        Label note = ActionColumn.wrapped("Training settings (steps, target, time distribution, coupling) are in the inspector under "
                + "Training. Every action runs as a job with progress and a cancel button in the jobs panel; "
                + "a cancelled or failed job leaves the models on screen.");
        VBox box = new VBox(6, ActionColumn.heading("Models"), train, reflow, distill, cancel, drawn, clearDrawing, new Separator(Orientation.HORIZONTAL),
                ActionColumn.heading("Checkpoints"), openLeft, openRight, saveLeft, saveRight, new Separator(Orientation.HORIZONTAL),
                ActionColumn.heading("Export"), frameCount, frames, csv, new Separator(Orientation.HORIZONTAL), note);
        box.setPadding(new Insets(8));
        box.setFillWidth(true);
        box.setId("actionsPane");
        ScrollPane scroll = new ScrollPane(box);
        // the column takes the tab's width, so buttons show their labels and only scroll vertically
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setId("actionsScroll");
        return scroll;
    }

    /** Writes the animation into a new folder inside {@code parent}, as a job. */
    void exportAnimationTo(Path parent, int frames) {
        TrajectoriesFigure f = lab.figureProperty().get();
        if (f == null) {
            return;
        }
        lab.runExport("Export animation to " + parent.getFileName(), ctx -> {
            Path folder = FigureAnimation.freshFolder(parent, ANIMATION_FOLDER);
            TrajectoryExports.animation(f, folder, frames, 1200, 560, 60, ctx);
            return folder;
        });
    }

    /** Writes the CSV files into a new folder inside {@code parent}, as a job. */
    void exportCsvTo(Path parent) {
        TrajectoriesFigure f = lab.figureProperty().get();
        if (f == null) {
            return;
        }
        lab.runExport("Export CSV to " + parent.getFileName(), ctx -> {
            Path folder = FigureAnimation.freshFolder(parent, CSV_FOLDER);
            TrajectoryExports.csv(f, folder);
            return folder;
        });
    }

    /** The figure's node, for tests and the layout check. */
    Node figureNode() {
        return canvas;
    }
}
