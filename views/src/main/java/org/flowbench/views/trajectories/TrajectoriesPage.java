package org.flowbench.views.trajectories;

import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.PlotFrame;
import org.flowbench.views.jobs.BackgroundTask;

import java.awt.geom.Rectangle2D;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The Trajectories page: the two-panel figure with zoom (wheel), pan (drag), particle picking
 * (click) and sketching a target (Shift + drag); the timeline under it; and tabs for the particle
 * inspector, the charts, the actions and the lesson. The page only reads the lab's properties
 * and calls its methods; everything heavy runs in the lab's jobs.
 */
final class TrajectoriesPage extends BorderPane {

    /** Seconds of playback for t going from 0 to 1 at speed 1. */
    static final double SECONDS_PER_UNIT_TIME = 4.0;

    private final TrajectoriesLab lab;
    private final FigureCanvas canvas = new FigureCanvas();
    private final Slider slider = new Slider(0, 1, 0);
    private final Button play = new Button("Play");
    private final ComboBox<Double> speed = new ComboBox<>(FXCollections.observableArrayList(0.25, 0.5, 1.0, 2.0, 4.0));
    private final CheckBox loop = new CheckBox("Loop");
    private final Label timeLabel = new Label();
    private final TableView<Row> table = new TableView<>();
    private final Label particleSummary = new Label("Click a particle to inspect its path.");
    private final FigureCanvas charts = new FigureCanvas();
    private final Spinner<Integer> animationFrames = new Spinner<>(2, TrajectoryExports.MAX_FRAMES, 60, 10);
    private Function<Window, File> folderChooser = window -> new DirectoryChooser().showDialog(window);
    private boolean playing;
    private long lastFrameNanos;
    private double pressX;
    private double pressY;
    private DataBounds pressView;
    private boolean dragged;

    /** One row of the particle table. */
    record Row(String model, int step, double t, float x, float y, float vx, float vy, double error) {
    }

    TrajectoriesPage(TrajectoriesLab lab) {
        this.lab = lab;
        setId("trajectoriesPage");
        canvas.setId("trajectoriesCanvas");
        canvas.figureProperty().bind(lab.figureProperty());
        setCenter(new SplitPane(canvasPane(), sideTabs()));
        ((SplitPane) getCenter()).setDividerPositions(0.66);
        setTop(header());
        setBottom(timeline());
        wireMouse();
        timer.start();
        togglePlay();
    }

    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            advance(now);
        }
    };
    private boolean timerRunning = true;

    /** On screen (true) the animation timer runs; off screen it stops and the timeline pauses. */
    void setActive(boolean active) {
        if (active && !timerRunning) {
            timer.start();
        } else if (!active && timerRunning) {
            timer.stop();
            stop();
        }
        timerRunning = active;
    }

    /** Whether the animation timer runs; for tests. */
    boolean isTimerRunning() {
        return timerRunning;
    }

    private VBox header() {
        Label heading = new Label("Trajectories \u2014 curved (1-RF) and straight (2-RF) flows on the same noise");
        heading.getStyleClass().add("page-title");
        Label status = new Label();
        status.setId("trajectoriesStatus");
        status.getStyleClass().add("page-text");
        status.textProperty().bind(lab.statusProperty());
        Label problem = new Label();
        problem.setId("trajectoriesProblem");
        problem.getStyleClass().add("inspector-problem");
        problem.textProperty().bind(lab.problemProperty());
        problem.visibleProperty().bind(lab.problemProperty().isNotNull());
        problem.managedProperty().bind(problem.visibleProperty());
        VBox top = new VBox(4, heading, status, problem);
        top.setPadding(new Insets(12, 16, 6, 16));
        return top;
    }

    private StackPane canvasPane() {
        ProgressIndicator busy = new ProgressIndicator();
        busy.setMaxSize(30, 30);
        busy.visibleProperty().bind(lab.busyProperty());
        StackPane.setAlignment(busy, Pos.TOP_RIGHT);
        StackPane.setMargin(busy, new Insets(8));
        Label hint = new Label("wheel: zoom \u00b7 drag: pan \u00b7 double-click: reset \u00b7 click: inspect \u00b7 Shift+drag: sketch a target");
        hint.getStyleClass().add("page-text");
        hint.setOpacity(0.7);
        StackPane.setAlignment(hint, Pos.BOTTOM_RIGHT);
        StackPane.setMargin(hint, new Insets(4, 10, 4, 4));
        hint.setMouseTransparent(true);
        return new StackPane(canvas, busy, hint);
    }

    private VBox timeline() {
        Button back = new Button("< Step");
        back.setId("stepBackButton");
        back.setTooltip(new Tooltip("Back one solver step"));
        back.setOnAction(e -> {
            stop();
            lab.stepBack();
        });
        Button forward = new Button("Step >");
        forward.setId("stepForwardButton");
        forward.setTooltip(new Tooltip("Forward one solver step (shows the step's stage points)"));
        forward.setOnAction(e -> {
            stop();
            lab.stepForward();
        });
        play.setId("playButton");
        play.setOnAction(e -> togglePlay());
        slider.setId("timeSlider");
        slider.setShowTickMarks(true);
        slider.setMajorTickUnit(0.25);
        slider.setMinorTickCount(4);
        slider.valueProperty().bindBidirectional(lab.timeProperty());
        slider.setOnMousePressed(e -> stop());
        HBox.setHgrow(slider, Priority.ALWAYS);
        speed.setId("speedBox");
        speed.setValue(1.0);
        speed.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : v + "\u00d7";
            }

            @Override
            public Double fromString(String s) {
                return Double.valueOf(s.replace("\u00d7", ""));
            }
        });
        loop.setSelected(true);
        loop.setId("loopBox");
        timeLabel.setId("timeLabel");
        timeLabel.textProperty().bind(Bindings.createStringBinding(this::timeText, lab.timeProperty(), lab.figureProperty()));
        play.setMinWidth(64);
        back.setMinWidth(Button.USE_PREF_SIZE);
        forward.setMinWidth(Button.USE_PREF_SIZE);
        loop.setMinWidth(CheckBox.USE_PREF_SIZE);
        HBox bar = new HBox(8, play, back, forward, slider, new Label("Speed"), speed, loop);
        bar.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(4, bar, timeLabel);
        box.setPadding(new Insets(6, 16, 10, 16));
        box.setId("timeline");
        return box;
    }

    private String timeText() {
        TrajectoriesFigure f = lab.figureProperty().get();
        double t = lab.timeProperty().get();
        if (f == null) {
            return String.format(Locale.ROOT, "t = %.3f", t);
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "t = %.3f", t));
        String[] sides = {"left", "right"};
        for (int p = 0; p < f.runs().size(); p++) {
            FlowRun run = f.runs().get(p);
            int k = run.stepAt(t);
            s.append(String.format(Locale.ROOT, "  \u00b7  %s: step %d/%d, NFE %d", sides[p], k, run.steps(), run.nfe()[k]));
        }
        return s.toString();
    }

    private void togglePlay() {
        playing = !playing;
        play.setText(playing ? "Pause" : "Play");
        lastFrameNanos = 0;
        if (playing && lab.timeProperty().get() >= 1.0) {
            lab.timeProperty().set(0);
        }
    }

    private void stop() {
        if (playing) {
            togglePlay();
        }
    }

    /** Whether the timeline is animating (tests stop it to step deterministically). */
    boolean isPlaying() {
        return playing;
    }

    void pause() {
        stop();
    }

    private void advance(long now) {
        if (!playing || lab.figureProperty().get() == null) {
            lastFrameNanos = 0;
            return;
        }
        if (lastFrameNanos == 0) {
            lastFrameNanos = now;
            return;
        }
        double dt = (now - lastFrameNanos) / 1e9;
        lastFrameNanos = now;
        double rate = speed.getValue() == null ? 1.0 : speed.getValue();
        double t = lab.timeProperty().get() + dt * rate / SECONDS_PER_UNIT_TIME;
        if (t >= 1.0) {
            if (loop.isSelected()) {
                t = t >= 1.25 ? 0 : 1.0;
                if (lab.timeProperty().get() >= 1.0) {
                    // hold the final state for a quarter of the cycle, then start again
                    t = 0;
                }
            } else {
                t = 1.0;
                stop();
            }
        }
        lab.timeProperty().set(Math.min(1.0, t));
    }

    private Rectangle2D canvasArea() {
        return new Rectangle2D.Double(0, 0, canvas.canvas().getWidth(), canvas.canvas().getHeight());
    }

    private PlotFrame frameAt(double x, double y) {
        TrajectoriesFigure f = lab.figureProperty().get();
        if (f == null) {
            return null;
        }
        for (PlotFrame frame : f.frames(canvasArea())) {
            if (frame.area().contains(x, y)) {
                return frame;
            }
        }
        return null;
    }

    private void wireMouse() {
        canvas.addEventHandler(ScrollEvent.SCROLL, e -> {
            PlotFrame frame = frameAt(e.getX(), e.getY());
            if (frame == null || e.getDeltaY() == 0) {
                return;
            }
            double factor = e.getDeltaY() > 0 ? 1 / 1.15 : 1.15;
            DataBounds shown = frame.shown();
            double cx = frame.dataX(e.getX());
            double cy = frame.dataY(e.getY());
            lab.setView(new DataBounds(cx + (shown.xMin() - cx) * factor, cx + (shown.xMax() - cx) * factor,
                    cy + (shown.yMin() - cy) * factor, cy + (shown.yMax() - cy) * factor));
            e.consume();
        });
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            pressX = e.getX();
            pressY = e.getY();
            PlotFrame frame = frameAt(e.getX(), e.getY());
            pressView = frame == null ? null : frame.shown();
            dragged = false;
            if (e.isShiftDown() && frame != null) {
                lab.addDrawnPoint(frame.dataX(e.getX()), frame.dataY(e.getY()));
            }
        });
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            PlotFrame frame = frameAt(pressX, pressY);
            if (frame == null || pressView == null) {
                return;
            }
            if (Math.hypot(e.getX() - pressX, e.getY() - pressY) > 3) {
                dragged = true;
            }
            if (e.isShiftDown()) {
                PlotFrame here = frameAt(e.getX(), e.getY());
                if (here != null) {
                    lab.addDrawnPoint(here.dataX(e.getX()), here.dataY(e.getY()));
                }
                return;
            }
            double dx = (e.getX() - pressX) / frame.unitsPerDataX();
            double dy = (e.getY() - pressY) / frame.unitsPerDataY();
            lab.setView(new DataBounds(pressView.xMin() - dx, pressView.xMax() - dx, pressView.yMin() + dy, pressView.yMax() + dy));
        });
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() != MouseButton.PRIMARY || dragged || e.isShiftDown()) {
                return;
            }
            if (e.getClickCount() == 2) {
                lab.setView(null);
                return;
            }
            TrajectoriesFigure f = lab.figureProperty().get();
            if (f != null) {
                lab.select(f.particleAt(canvasArea(), e.getX(), e.getY(), 8));
            }
        });
    }

    private TabPane sideTabs() {
        Tab particle = new Tab("Particle", particleTab());
        Tab chartTab = new Tab("Charts", chartsTab());
        Tab actions = new Tab("Actions", new ScrollPane(actionsTab()));
        Tab lesson = new Tab("Lesson", new ScrollPane(lessonTab()));
        TabPane tabs = new TabPane(particle, chartTab, actions, lesson);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("trajectoriesTabs");
        tabs.setMinWidth(280);
        return tabs;
    }

    private VBox particleTab() {
        table.setId("particleTable");
        table.getColumns().add(column("model", Row::model, 36));
        table.getColumns().add(column("k", r -> Integer.toString(r.step()), 20));
        table.getColumns().add(column("t", r -> String.format(Locale.ROOT, "%.3f", r.t()), 40));
        table.getColumns().add(column("x", r -> String.format(Locale.ROOT, "(%.2f, %.2f)", r.x(), r.y()), 78));
        table.getColumns().add(column("v", r -> String.format(Locale.ROOT, "(%.2f, %.2f)", r.vx(), r.vy()), 78));
        table.getColumns().add(column("local error", r -> r.step() == 0 ? "" : String.format(Locale.ROOT, "%.1e", r.error()), 50));
        // a compact table: the side panel is narrow, and x and v are pairs
        table.setStyle("-fx-font-size: 11px;");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        VBox.setVgrow(table, Priority.ALWAYS);
        particleSummary.setId("particleSummary");
        particleSummary.setWrapText(true);
        lab.inspectionProperty().addListener((obs, before, now) -> showInspection(now));
        Button clear = new Button("Clear selection");
        clear.setOnAction(e -> lab.select(-1));
        VBox box = new VBox(6, particleSummary, table, clear);
        box.setPadding(new Insets(8));
        return box;
    }

    private static TableColumn<Row, String> column(String name, java.util.function.Function<Row, String> text, double width) {
        TableColumn<Row, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
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

    private VBox chartsTab() {
        charts.setId("chartsCanvas");
        Runnable redraw = () -> {
            ChartsFigure shown = new ChartsFigure(lab.comparisonProperty().get(), List.copyOf(lab.straightnessByRound()),
                    lab.lossHistoryProperty().get(), lab.timestepsProperty().get(), lab.bossPlansProperty().get(),
                    lab.figureProperty().get() == null ? FigureTheme.LIGHT : lab.figureProperty().get().theme());
            charts.setMinHeight(shown.rows() * ChartsFigure.ROW_HEIGHT);
            charts.setPrefHeight(shown.rows() * ChartsFigure.ROW_HEIGHT);
            charts.setFigure(shown);
        };
        lab.comparisonProperty().addListener((o, a, b) -> redraw.run());
        lab.lossHistoryProperty().addListener((o, a, b) -> redraw.run());
        lab.timestepsProperty().addListener((o, a, b) -> redraw.run());
        lab.bossPlansProperty().addListener((o, a, b) -> redraw.run());
        lab.straightnessByRound().addListener((javafx.collections.ListChangeListener<double[]>) c -> redraw.run());
        redraw.run();
        Button measure = new Button("Measure W2 vs NFE");
        measure.setId("measureW2Button");
        measure.setOnAction(e -> lab.compareSolvers());
        Button straight = new Button("Measure straightness");
        straight.setOnAction(e -> lab.measureStraightness());
        Label hint = new Label("Set Schedule to boss (Sampling) to see each model's BOSS cost matrix and its jumps; "
                + "the timestep chart follows Training \u203a Time distribution.");
        hint.setWrapText(true);
        hint.getStyleClass().add("page-text");
        ScrollPane scroll = new ScrollPane(charts);
        scroll.setFitToWidth(true);
        scroll.setId("chartsScroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        VBox box = new VBox(6, new FlowPane(6, 6, measure, straight), hint, scroll);
        box.setPadding(new Insets(8));
        return box;
    }

    private VBox actionsTab() {
        Button train = action("Train 1-RF (left)", "trainButton", lab::train);
        Button reflow = action("Reflow one round (right)", "reflowButton", lab::reflow);
        Button distill = action("Distill to one step (right)", "distillButton", lab::distill);
        Button cancel = action("Cancel training", "cancelTrainingButton", lab::cancelTraining);
        Button clearDrawing = action("Clear sketched points", "clearDrawingButton", () -> lab.drawnPoints().clear());
        Label drawn = new Label();
        drawn.textProperty().bind(Bindings.createStringBinding(() -> lab.drawnPoints().size() / 2
                + " sketched points (Shift + drag on a panel; choose 'drawn' as Train target)", lab.drawnPoints()));
        drawn.setWrapText(true);
        Button openLeft = action("Open checkpoint (left)\u2026", "openLeftButton", () -> chooseOpen(TrajectoriesLab.CURVED));
        Button openRight = action("Open checkpoint (right)\u2026", "openRightButton", () -> chooseOpen(TrajectoriesLab.STRAIGHT));
        Button saveLeft = action("Save checkpoint (left)\u2026", "saveLeftButton", () -> chooseSave(TrajectoriesLab.CURVED));
        Button saveRight = action("Save checkpoint (right)\u2026", "saveRightButton", () -> chooseSave(TrajectoriesLab.STRAIGHT));
        Button frames = action("Export animation (PNG frames + GIF)\u2026", "exportAnimationButton", this::exportAnimation);
        Button csv = action("Export samples, trajectories, metrics (CSV)\u2026", "exportCsvButton", this::exportCsv);
        animationFrames.setId("animationFrames");
        animationFrames.setEditable(true);
        animationFrames.setPrefWidth(90);
        HBox frameCount = new HBox(6, new Label("Animation frames"), animationFrames);
        frameCount.setAlignment(Pos.CENTER_LEFT);
        Label note = new Label("Training settings (steps, target, time distribution, coupling) are in the inspector under "
                + "Training. Every action runs as a job with progress and a cancel button in the jobs panel; "
                + "a cancelled or failed job leaves the models on screen.");
        note.setWrapText(true);
        VBox box = new VBox(6, new Label("Models"), train, reflow, distill, cancel, drawn, clearDrawing, new Separator(Orientation.HORIZONTAL),
                new Label("Checkpoints"), openLeft, openRight, saveLeft, saveRight, new Separator(Orientation.HORIZONTAL),
                new Label("Export"), frameCount, frames, csv, new Separator(Orientation.HORIZONTAL), note);
        box.setPadding(new Insets(8));
        box.setFillWidth(true);
        return box;
    }

    private static Button action(String text, String id, Runnable run) {
        Button b = new Button(text);
        b.setId(id);
        b.setMaxWidth(Double.MAX_VALUE);
        b.setOnAction(e -> run.run());
        return b;
    }

    private void chooseOpen(int slot) {
        FileChooser chooser = new FileChooser();
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Flowbench checkpoint", "*.safetensors"));
        File folder = SampleModels.folder().toFile();
        if (folder.isDirectory()) {
            chooser.setInitialDirectory(folder);
        }
        File file = chooser.showOpenDialog(getScene().getWindow());
        if (file != null) {
            lab.openCheckpoint(slot, file.toPath());
        }
    }

    private void chooseSave(int slot) {
        FileChooser chooser = new FileChooser();
        chooser.setInitialFileName("flow.safetensors");
        File file = chooser.showSaveDialog(getScene().getWindow());
        if (file != null) {
            lab.saveCheckpoint(slot, file.toPath());
        }
    }

    /** Asks for the folder an export writes into (a directory chooser; tests give a folder of their own). */
    void setFolderChooser(Function<Window, File> chooser) {
        folderChooser = chooser;
    }

    private void exportAnimation() {
        File folder = folderChooser.apply(getScene().getWindow());
        if (folder != null) {
            exportAnimationTo(folder.toPath(), animationFrames.getValue());
        }
    }

    /** Writes the animation into {@code folder} as a job. */
    void exportAnimationTo(Path folder, int frames) {
        TrajectoriesFigure f = lab.figureProperty().get();
        if (f == null) {
            return;
        }
        lab.runExport("Export animation to " + folder.getFileName(),
                ctx -> TrajectoryExports.animation(f, folder, frames, 1200, 560, 60, ctx));
    }

    private void exportCsv() {
        File folder = folderChooser.apply(getScene().getWindow());
        TrajectoriesFigure f = lab.figureProperty().get();
        if (folder != null && f != null) {
            lab.runExport("Export CSV to " + folder.getName(), ctx -> {
                TrajectoryExports.csv(f, folder.toPath());
                return folder.toPath();
            });
        }
    }

    private VBox lessonTab() {
        Lesson lesson = Lesson.load();
        VBox box = new VBox(8);
        box.setPadding(new Insets(10));
        box.setId("lessonPane");
        for (Lesson.Section section : lesson.sections()) {
            Label title = new Label(section.title());
            title.setStyle("-fx-font-weight: bold");
            Label text = new Label(section.text());
            text.setWrapText(true);
            box.getChildren().addAll(title, text);
            if (!section.setup().isEmpty()) {
                Button setUp = new Button("Set this up");
                Map<String, String> values = section.setup();
                setUp.setOnAction(e -> {
                    stop();
                    lab.apply(values);
                });
                box.getChildren().add(setUp);
            }
        }
        return box;
    }
}
