package org.flowbench.views.gflownet;

import org.flowbench.views.lab.ActionColumn;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.lab.DialogService;
import org.flowbench.views.lab.LessonPane;
import org.flowbench.views.lab.PageHeader;
import org.flowbench.views.lab.TimelineBar;

import java.awt.geom.Point2D;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The GFlowNets lab's page: the five figures in tabs (grid, flows, credit, training,
 * DAG), beside them the lab's actions and its lesson, under them the timeline over the run's
 * snapshots. Thin: every action goes to the {@link GflowNetsLab}.
 */
final class GflowNetsPage extends BorderPane {

    private static final double SIDE_WIDTH = 250;
    /** Below this page width the side tabs join the figure tabs. */
    private static final double NARROW_WIDTH = 700;

    private final GflowNetsLab lab;
    private final DialogService dialogs;
    private final TabPane figureTabs = new TabPane();
    private final TabPane sideTabs = new TabPane();
    private final Map<GflowNetsLab.View, FigureCanvas> canvases = new EnumMap<>(GflowNetsLab.View.class);
    private final TimelineBar timeline;
    private final PageHeader header;
    private final Spinner<Integer> cut = new Spinner<>(-1, 100_000, -1);
    private final BorderPane body = new BorderPane();
    private final Tab actionsTab;
    private final Tab lessonTab;
    private boolean narrow;

    GflowNetsPage(GflowNetsLab lab, DialogService dialogs) {
        this.lab = Objects.requireNonNull(lab, "lab");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        this.header = new PageHeader("GFlowNets", "gfnStatus", lab.statusProperty(), lab.problemProperty());
        setId("gflownetsPage");
        String[] names = {"Grid", "Flows", "Credit", "Training", "DAG"};
        String[] tips = {"R(x)/Z beside the terminal distribution the policy induces, exactly; click a cell to inspect a path to it",
                "Learned against true edge flows (arrow width) and state flows (disc area)",
                "Residual and gradient of every transition of one trajectory under TB, DB, SubTB and FL-DB",
                "Loss, L1, log Z error and modes found against trajectories seen, every objective overlaid",
                "Every state and edge of a tiny grid: in-flow = out-flow at each state"};
        for (GflowNetsLab.View v : GflowNetsLab.View.values()) {
            FigureCanvas canvas = new FigureCanvas();
            canvas.setId("gfnCanvas" + v.ordinal());
            canvas.figureProperty().bind(lab.figureProperty(v));
            canvas.setMinSize(0, 0);
            canvases.put(v, canvas);
            Tab tab = new Tab(names[v.ordinal()], v == GflowNetsLab.View.FLOWS ? withDisplayToggle(canvas) : canvas);
            tab.setTooltip(new Tooltip(tips[v.ordinal()]));
            figureTabs.getTabs().add(tab);
        }
        figureTabs.setId("gfnFigureTabs");
        figureTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        figureTabs.setMinWidth(0);
        figureTabs.getSelectionModel().select(lab.viewProperty().get().ordinal());
        figureTabs.getSelectionModel().selectedIndexProperty().addListener((obs, before, now) -> {
            // on narrow pages the actions and the lesson are tabs here too, after the figures
            if (now.intValue() >= 0 && now.intValue() < GflowNetsLab.View.values().length) {
                lab.viewProperty().set(GflowNetsLab.View.values()[now.intValue()]);
            }
        });
        lab.viewProperty().addListener((obs, before, now) -> figureTabs.getSelectionModel().select(now.ordinal()));
        canvases.get(GflowNetsLab.View.GRID).setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                clickGrid(e.getX(), e.getY());
            }
        });

        actionsTab = new Tab("Actions", actions());
        lessonTab = new Tab("Lesson", LessonPane.forLab(GflowNetsLab.ID, lab::setUp));
        sideTabs.getTabs().setAll(actionsTab, lessonTab);
        sideTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        sideTabs.setId("gfnSideTabs");
        sideTabs.setMinWidth(0);
        // tabs move between the two panes when the page narrows; without the close animation no
        // header of a moved tab lingers in the pane it left
        for (TabPane pane : new TabPane[] {figureTabs, sideTabs}) {
            pane.setStyle("-fx-open-tab-animation: NONE; -fx-close-tab-animation: NONE;");
        }
        sideTabs.setPrefWidth(SIDE_WIDTH);
        sideTabs.setMaxWidth(SIDE_WIDTH);
        body.setCenter(figureTabs);
        body.setRight(sideTabs);
        body.setId("gfnBody");
        widthProperty().addListener((obs, before, now) -> arrange(now.doubleValue()));

        timeline = new TimelineBar(lab.positionProperty(), 0, 1);
        timeline.setSecondsForRange(6);
        timeline.infoLabel().textProperty().bind(Bindings.createStringBinding(this::timelineText, lab.positionProperty(),
                lab.runProperty()));
        lab.runProperty().addListener((obs, before, now) -> {
            int n = now == null ? 0 : now.frameCount();
            timeline.setStepSize(n > 1 ? 1.0 / (n - 1) : 0);
        });
        timeline.installKeys(this);

        setTop(header());
        setCenter(body);
        setBottom(timeline);
    }

    /**
     * Side by side on wide pages; on narrow ones the actions and the lesson become tabs after the
     * figures, which keep the page's whole height.
     */
    private void arrange(double width) {
        if (width <= 0) {
            return;
        }
        boolean nowNarrow = width < NARROW_WIDTH;
        if (nowNarrow != narrow) {
            narrow = nowNarrow;
            if (narrow) {
                sideTabs.getTabs().clear();
                figureTabs.getTabs().addAll(actionsTab, lessonTab);
                body.setRight(null);
            } else {
                figureTabs.getTabs().removeAll(actionsTab, lessonTab);
                sideTabs.getTabs().setAll(actionsTab, lessonTab);
                body.setRight(sideTabs);
            }
        }
    }

    private PageHeader header() {
        return header;
    }

    private ScrollPane actions() {
        Button train = ActionColumn.button("Train", "gfnTrainButton", "Train every objective of the inspector's Training section from scratch",
                lab::train);
        Button cancel = ActionColumn.button("Cancel training", "gfnCancelButton", "Stop the training; its snapshots so far stay",
                lab::cancelTraining);
        cancel.disableProperty().bind(lab.busyProperty().not());
        ProgressBar progress = new ProgressBar();
        progress.setId("gfnProgress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(lab.progressProperty());
        Button sample = ActionColumn.button("Sample a trajectory", "gfnSampleButton",
                "Draw one trajectory from the shown objective's policy and inspect the credit of each transition",
                () -> {
                    lab.sampleTrajectory();
                    lab.viewProperty().set(GflowNetsLab.View.CREDIT);
                });
        cut.setId("gfnCut");
        cut.setEditable(true);
        cut.setPrefWidth(90);
        cut.setMinWidth(Region.USE_PREF_SIZE);
        cut.setTooltip(new Tooltip("Replay the trajectory cut after this many moves, its reward unseen; -1 keeps it whole"));
        cut.getValueFactory().setValue(lab.params().cut.get());
        cut.valueProperty().addListener((obs, before, now) -> {
            if (now != null) {
                lab.params().cut.trySet(now);
            }
        });
        lab.params().cut.valueProperty().addListener((obs, before, now) -> cut.getValueFactory().setValue(now));
        Label cutLabel = new Label("Cut after moves");
        cutLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox cutRow = new HBox(6, cutLabel, cut);
        cutRow.setAlignment(Pos.CENTER_LEFT);
        Button csv = ActionColumn.button("Export distributions, flows, curves (CSV)\u2026", "gfnCsvButton",
                "Pick a folder; distribution.csv, flows.csv and training.csv go into a new folder '" + GfnExports.CSV_FOLDER + "'",
                () -> dialogs.chooseFolder("Export CSV into").ifPresent(this::exportCsvTo));
        Button frames = ActionColumn.button("Export training animation (PNG frames + GIF)\u2026", "gfnAnimationButton",
                "Pick a folder; one frame per snapshot of the shown tab and a looping GIF go into a new folder '"
                        + GfnExports.ANIMATION_FOLDER + "'",
                () -> dialogs.chooseFolder("Export animation into").ifPresent(this::exportAnimationTo));
        VBox box = new VBox(6, ActionColumn.heading("Training"), train, cancel, progress, new Separator(Orientation.HORIZONTAL),
                ActionColumn.heading("Inspect a trajectory"), sample, cutRow,
                ActionColumn.wrapped("Click a cell of the grid to inspect a path to it (2D grids)."),
                new Separator(Orientation.HORIZONTAL), ActionColumn.heading("Export"), csv, frames,
                ActionColumn.wrapped("File \u203a Export figure writes the tab shown as PNG, SVG or PDF. Training settings and what is "
                        + "shown are in the inspector."));
        box.setPadding(new Insets(8));
        box.setFillWidth(true);
        box.setId("gfnActions");
        ScrollPane scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        return scroll;
    }

    /** The Flows canvas under a toggle between learned beside true and their difference. */
    private BorderPane withDisplayToggle(FigureCanvas canvas) {
        ToggleGroup group = new ToggleGroup();
        ToggleButton sideBySide = new ToggleButton("Side by side");
        sideBySide.setId("gfnFlowsSideBySide");
        sideBySide.setUserData(GfnFlowFigure.Display.SIDE_BY_SIDE.id);
        sideBySide.setTooltip(new Tooltip("Learned flows beside the true ones, on one scale"));
        ToggleButton difference = new ToggleButton("Difference");
        difference.setId("gfnFlowsDifference");
        difference.setUserData(GfnFlowFigure.Display.DIFFERENCE.id);
        difference.setTooltip(new Tooltip("Learned minus true flows: blue where the learned flow is larger, vermillion where smaller"));
        for (ToggleButton b : new ToggleButton[] {sideBySide, difference}) {
            b.setToggleGroup(group);
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        var display = lab.params().flowDisplay;
        group.selectToggle(display.get().equals(GfnFlowFigure.Display.DIFFERENCE.id) ? difference : sideBySide);
        group.selectedToggleProperty().addListener((obs, before, now) -> {
            if (now == null) {
                // one of the two is always chosen: clicking the chosen one keeps it
                group.selectToggle(before);
            } else {
                display.trySet(now.getUserData());
            }
        });
        display.valueProperty().addListener((obs, before, now) ->
                group.selectToggle(GfnFlowFigure.Display.DIFFERENCE.id.equals(now) ? difference : sideBySide));
        HBox bar = new HBox(0, sideBySide, difference);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 0, 8));
        BorderPane pane = new BorderPane(canvas);
        pane.setTop(bar);
        pane.setMinSize(0, 0);
        return pane;
    }

    private void clickGrid(double x, double y) {
        FigureCanvas canvas = canvases.get(GflowNetsLab.View.GRID);
        if (canvas.getFigure() instanceof GfnGridFigure grid) {
            Point2D at = canvas.toFigure(x, y);
            int cell = grid.cellAt(canvas.figureArea(), at.getX(), at.getY());
            if (cell >= 0) {
                lab.inspectPathTo(cell);
            }
        }
    }

    private String timelineText() {
        GfnRun run = lab.runProperty().get();
        if (run == null || run.frameCount() == 0) {
            return "No snapshots yet";
        }
        int k = lab.frameIndex();
        GfnRun.Series s = run.series().get(0);
        long seen = s.frame(k).snapshot().trajectoriesSeen();
        return String.format(Locale.ROOT, "Snapshot %d of %d \u00b7 %s trajectories per objective", k + 1, run.frameCount(),
                GfnText.count(seen));
    }

    void exportCsvTo(Path parent) {
        GfnRun run = lab.runProperty().get();
        if (run == null) {
            return;
        }
        String shown = lab.params().shown.get();
        int k = lab.frameIndex();
        lab.runExport("Export CSV to " + parent.getFileName(), ctx -> "Wrote " + GfnExports.csv(run, shown, k, parent));
    }

    void exportAnimationTo(Path parent) {
        GfnRun run = lab.runProperty().get();
        if (run == null) {
            return;
        }
        GflowNetsLab.View view = lab.viewProperty().get();
        int frames = run.frameCount();
        java.util.function.IntFunction<Figure> frame = k -> lab.figureAt(view, run, k);
        lab.runExport("Export animation to " + parent.getFileName(), ctx -> "Wrote " + frames + " frames and a GIF to "
                + GfnExports.animation(frames, frame, parent, 1000, 560, 250, ctx));
    }

    /** Off screen the timeline stops. */
    void setActive(boolean active) {
        timeline.activeProperty().set(active);
        if (!active) {
            timeline.stop();
        }
    }

    TimelineBar timeline() {
        return timeline;
    }

    TabPane figureTabs() {
        return figureTabs;
    }

    FigureCanvas canvas(GflowNetsLab.View v) {
        return canvases.get(v);
    }

    Label messageLabel() {
        return header.messageLabel();
    }

}
