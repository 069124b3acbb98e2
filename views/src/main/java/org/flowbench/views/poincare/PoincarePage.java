package org.flowbench.views.poincare;

import javafx.animation.Interpolator;
import javafx.animation.Transition;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.controlsfx.control.textfield.AutoCompletionBinding;
import org.controlsfx.control.textfield.TextFields;
import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.lab.BusyIndicator;
import org.flowbench.views.lab.DialogService;
import org.flowbench.views.lab.LessonPane;
import org.flowbench.views.lab.PageHeader;
import org.flowbench.views.lab.TimelineBar;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The Poincaré ball page: the Disc tab (drag to re-centre by a Möbius translation, double-click
 * to go back smoothly, click to select, hover for a node's numbers, search with completion, a
 * curvature slider, a geodesic ruler, the equal-area tiling), the Training tab (train, cancel,
 * replay the epochs; charts side by side), the Poincaré ResNet tab and the lesson. The page
 * reads the lab's properties and calls its methods; heavy work runs in the lab's jobs.
 */
final class PoincarePage extends BorderPane {

    /** How long re-centring animations take. */
    static final Duration ANIMATION = Duration.millis(600);
    /** A press that moves less than this many units is a click, not a drag. */
    static final double CLICK_SLOP = 4;
    /** Below this page width the Training tab stacks the disc above the charts in a scrolling column. */
    static final double NARROW_TRAINING = 900;
    static final List<DialogService.FileType> FIGURE_TYPES = List.of(new DialogService.FileType("PNG image", "*.png"),
            new DialogService.FileType("SVG drawing", "*.svg"), new DialogService.FileType("PDF document", "*.pdf"));

    private final PoincareLab lab;
    private final DialogService dialogs;
    private final FigureCanvas canvas = new FigureCanvas();
    private final FigureCanvas trainingDisc = new FigureCanvas();
    private final FigureCanvas trainingCharts = new FigureCanvas();
    private final FigureCanvas resnet = new FigureCanvas();
    private final PageHeader header;
    private final Label hover = new Label();
    private final TextField search = new TextField();
    private final Slider curvature = new Slider(DiscScene.MIN_CURVATURE, DiscScene.MAX_CURVATURE, 1);
    private final ToggleButton ruler = new ToggleButton("Ruler");
    private final TabPane tabs = new TabPane();
    private final TimelineBar timeline;
    private AutoCompletionBinding<String> completion;
    private Transition animation;
    private DiscView dragStartView;
    private double[] dragStart;
    private double pressX;
    private double pressY;
    private boolean dragging;

    PoincarePage(PoincareLab lab, DialogService dialogs) {
        this.lab = Objects.requireNonNull(lab, "lab");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        setId("poincarePage");
        header = new PageHeader("Poincar\u00e9 ball", "poincareStatus", lab.statusProperty(), lab.problemProperty());
        timeline = new TimelineBar(lab.training().positionProperty(), 0, 1);
        timeline.setSecondsForRange(6);
        timeline.setStepActions(() -> lab.training().step(1), () -> lab.training().step(-1));
        timeline.infoLabel().textProperty().bind(Bindings.createStringBinding(() -> {
            TrainingFrame f = lab.training().shownFrame();
            return f == null ? "No epochs recorded yet" : "Epoch " + f.epoch() + " of the last run (" + lab.training().frameCount() + " frames)";
        }, lab.training().positionProperty(), lab.training().discProperty()));
        Tab disc = new Tab("Disc", discTab());
        Tab training = new Tab("Training", trainingTab());
        Tab resnetTab = new Tab("Poincar\u00e9 ResNet", resnetTab());
        Tab lesson = new Tab("Lesson", LessonPane.forLab(PoincareLab.ID, this::setUp));
        disc.setId("discTab");
        training.setId("trainingTab");
        resnetTab.setId("resnetTab");
        tabs.getTabs().setAll(disc, training, resnetTab, lesson);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("poincareTabs");
        tabs.getSelectionModel().selectedIndexProperty().addListener((obs, before, now) ->
                lab.setPanel(PoincareLab.Panel.values()[now.intValue()]));
        lab.panelProperty().addListener((obs, before, now) -> tabs.getSelectionModel().select(now.ordinal()));
        setTop(header);
        setCenter(tabs);
    }

    Label messageLabel() {
        return header.messageLabel();
    }

    // ---- Disc tab ----

    private BorderPane discTab() {
        canvas.setId("discCanvas");
        canvas.figureProperty().bind(lab.discProperty());
        hover.setId("hoverLabel");
        hover.getStyleClass().add("hover-label");
        hover.setStyle("-fx-background-color: rgba(255,255,255,0.92); -fx-border-color: #8c959f; -fx-padding: 3 6 3 6;"
                + " -fx-text-fill: #1f2328;");
        hover.setManaged(false);
        hover.setWrapText(true);
        hover.setVisible(false);
        hover.setMouseTransparent(true);
        ProgressIndicator busy = BusyIndicator.corner(lab.busyProperty());
        StackPane pane = new StackPane(canvas, busy, hover);
        pane.setMinSize(0, 0);
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, this::moved);
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover.setVisible(false));

        search.setId("searchField");
        search.setPromptText("Find a node (e.g. dog)");
        search.setPrefColumnCount(14);
        search.setTooltip(new Tooltip("Type a name; Enter selects it and moves it to the centre"));
        search.setOnAction(e -> find(search.getText()));
        lab.hierarchyProperty().addListener((obs, before, now) -> bindCompletion(now));
        bindCompletion(lab.hierarchyProperty().get());
        Button reset = button("Reset view", "resetViewButton", "Back to the start: the disc's own centre (also: double-click)",
                () -> animateTo(DiscView.IDENTITY));
        Button centre = button("Centre", "centreSelectedButton", "Move the selected node to the centre",
                () -> animateTo(lab.viewCentredOn(lab.selected())));
        ruler.setId("rulerToggle");
        ruler.setTooltip(new Tooltip("Click two points of the disc: the geodesic between them, its hyperbolic and Euclidean lengths"));
        ruler.selectedProperty().bindBidirectional(lab.rulerModeProperty());
        ruler.setMinWidth(Region.USE_PREF_SIZE);
        Button clear = button("Clear", "clearRulerButton", "Remove the ruler", lab::clearRuler);
        curvature.setId("curvatureSlider");
        curvature.setPrefWidth(130);
        curvature.setMinWidth(80);
        curvature.setTooltip(new Tooltip("Curvature c of the ball (\u2212c); distances from the centre are kept"));
        curvature.setValue(lab.params().curvature.get());
        curvature.valueProperty().addListener((obs, before, now) -> {
            double rounded = Math.round(now.doubleValue() * 100) / 100.0;
            if (rounded != lab.params().curvature.get()) {
                lab.params().curvature.trySet(rounded);
            }
        });
        lab.params().curvature.valueProperty().addListener((obs, before, now) -> curvature.setValue(now));
        Label curvatureValue = new Label();
        curvatureValue.setMinWidth(Region.USE_PREF_SIZE);
        curvatureValue.textProperty().bind(Bindings.createStringBinding(() -> String.format(java.util.Locale.ROOT, "c = %.2f",
                lab.params().curvature.get()), lab.params().curvature.valueProperty()));
        CheckBox tiling = new CheckBox("Tiling");
        tiling.setId("tilingBox");
        tiling.setMinWidth(Region.USE_PREF_SIZE);
        tiling.setTooltip(new Tooltip("Shade cells of equal hyperbolic area about the centre"));
        tiling.setSelected(lab.params().tiling.get());
        tiling.selectedProperty().addListener((obs, before, now) -> lab.params().tiling.trySet(now));
        lab.params().tiling.valueProperty().addListener((obs, before, now) -> tiling.setSelected(now));
        HBox curvatureBox = new HBox(4, new Label("Curvature"), curvature, curvatureValue);
        curvatureBox.setAlignment(Pos.CENTER_LEFT);

        Button open = button("Open embedding\u2026", "openEmbeddingButton", "An embedding of this hierarchy's nodes: TSV, word2vec text or safetensors",
                () -> dialogs.chooseOpenFile("Open embedding", List.of(new DialogService.FileType("Embeddings", "*.tsv", "*.txt", "*.vec",
                        "*.w2v", "*.safetensors"))).ifPresent(lab::openEmbedding));
        Button openHierarchy = button("Open hierarchy\u2026", "openHierarchyButton", "An edge list: CSV id1,id2[,weight] or TSV pairs, id1 the hyponym",
                () -> dialogs.chooseOpenFile("Open hierarchy", List.of(new DialogService.FileType("Edge lists", "*.csv", "*.tsv")))
                        .ifPresent(file -> lab.openHierarchy(file, false)));
        Button export = button("Export figure\u2026", "exportDiscButton", "The disc as PNG, SVG or PDF, drawn by the same routine",
                () -> exportFigure(lab.discProperty()::get, "poincare-disc.png", PoincareDiscFigure.PREFERRED_WIDTH, PoincareDiscFigure.PREFERRED_HEIGHT));
        Button csv = button("Export CSV\u2026", "exportCsvButton", "One row per node: ball and view coordinates, depth, norm, distance to the root",
                () -> dialogs.chooseSaveFile("Export coordinates", "poincare-coordinates.csv", List.of(new DialogService.FileType("CSV", "*.csv")))
                        .ifPresent(this::exportCoordinates));
        Button embedding = button("Export embedding\u2026", "exportEmbeddingButton", "The shown embedding as TSV, word2vec text or safetensors",
                () -> dialogs.chooseSaveFile("Export embedding", "embedding.tsv", List.of(new DialogService.FileType("TSV", "*.tsv"),
                        new DialogService.FileType("word2vec text", "*.txt", "*.vec"), new DialogService.FileType("safetensors", "*.safetensors")))
                        .ifPresent(this::exportEmbedding));
        // one flow of controls: on a wide page it takes two rows, leaving the height to the disc
        FlowPane tools = new FlowPane(6, 6, search, centre, reset, ruler, clear, curvatureBox, tiling, open, openHierarchy, export, csv,
                embedding);
        tools.setAlignment(Pos.CENTER_LEFT);
        VBox top = new VBox(6, tools);
        top.setPadding(new Insets(6, 8, 6, 8));
        BorderPane box = new BorderPane(pane);
        box.setTop(top);
        return box;
    }

    private void bindCompletion(Hierarchy h) {
        if (completion != null) {
            completion.dispose();
            completion = null;
        }
        if (h != null) {
            String[] labels = new String[h.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = h.label(i);
            }
            completion = TextFields.bindAutoCompletion(search, Arrays.stream(labels).distinct().sorted().toList());
            completion.setOnAutoCompleted(e -> find(e.getCompletion()));
        }
    }

    /** Selects the node named {@code text} and moves it to the centre, smoothly. */
    void find(String text) {
        if (lab.search(text)) {
            animateTo(lab.viewCentredOn(lab.selected()));
        }
    }

    private Rectangle2D area() {
        return canvas.figureArea();
    }

    private void pressed(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        stopAnimation();
        pressX = e.getX();
        pressY = e.getY();
        dragging = false;
        PoincareDiscFigure f = lab.discProperty().get();
        Point2D at = canvas.toFigure(e.getX(), e.getY());
        dragStart = f == null ? null : f.viewPointAt(area(), at.getX(), at.getY());
        dragStartView = lab.discView();
        if (e.getClickCount() == 2) {
            dragStart = null;
            animateTo(DiscView.IDENTITY);
        }
    }

    private void dragged(MouseEvent e) {
        PoincareDiscFigure f = lab.discProperty().get();
        if (dragStart == null || f == null) {
            return;
        }
        if (!dragging && Math.hypot(e.getX() - pressX, e.getY() - pressY) < CLICK_SLOP) {
            return;
        }
        dragging = true;
        hover.setVisible(false);
        double[] now = f.geometry(area()).radius() > 0 ? unclamped(e.getX(), e.getY()) : null;
        if (now != null) {
            lab.setView(dragStartView.dragged(dragStart[0], dragStart[1], now[0], now[1]));
        }
    }

    /** The pointer (canvas point) in the view's disc coordinates, even outside the disc (the drag clamps it). */
    private double[] unclamped(double sx, double sy) {
        PoincareDiscFigure.Geometry geo = lab.discProperty().get().geometry(area());
        Point2D at = canvas.toFigure(sx, sy);
        return new double[] {(at.getX() - geo.cx()) / geo.radius(), (geo.cy() - at.getY()) / geo.radius()};
    }

    private void released(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY || e.getClickCount() > 1) {
            return;
        }
        PoincareDiscFigure f = lab.discProperty().get();
        if (!dragging && f != null) {
            click(e.getX(), e.getY());
        }
        dragging = false;
        dragStart = null;
    }

    /** A click at canvas point (x, y): a ruler end in ruler mode, else the node there (or none). */
    void click(double x, double y) {
        PoincareDiscFigure f = lab.discProperty().get();
        if (f == null) {
            return;
        }
        Point2D at = canvas.toFigure(x, y);
        if (lab.rulerModeProperty().get()) {
            double[] p = f.scenePointAt(area(), at.getX(), at.getY());
            if (p != null) {
                lab.rulerClick(p[0], p[1]);
            }
        } else {
            lab.select(f.nodeAt(area(), at.getX(), at.getY(), 8));
        }
    }

    private void moved(MouseEvent e) {
        PoincareDiscFigure f = lab.discProperty().get();
        Point2D at = canvas.toFigure(e.getX(), e.getY());
        int node = f == null ? -1 : f.nodeAt(area(), at.getX(), at.getY(), 8);
        if (node < 0) {
            hover.setVisible(false);
            return;
        }
        hover.setText(lab.describeNode(node));
        // a card wider than the disc (long names, a zoomed-in window) wraps instead of running off its edge
        hover.setMaxWidth(Math.max(40, canvas.getWidth() - 8));
        hover.autosize();
        double x = Math.min(e.getX() + 14, Math.max(0, canvas.getWidth() - hover.getWidth() - 4));
        double y = e.getY() + 16 + hover.getHeight() > canvas.getHeight() ? e.getY() - hover.getHeight() - 8 : e.getY() + 16;
        hover.relocate(x, y);
        hover.setVisible(true);
    }

    /** Moves the view to {@code target} along the shortest motion, smoothly. */
    void animateTo(DiscView target) {
        stopAnimation();
        DiscView from = lab.discView();
        animation = new Transition() {
            {
                setCycleDuration(ANIMATION);
                setInterpolator(Interpolator.EASE_BOTH);
            }

            @Override
            protected void interpolate(double fraction) {
                lab.setView(DiscView.between(from, target, fraction));
            }
        };
        animation.setOnFinished(e -> lab.setView(target));
        animation.play();
    }

    private void stopAnimation() {
        if (animation != null) {
            animation.stop();
            animation = null;
        }
    }

    /** Whether a re-centring animation is running (tests wait for it). */
    boolean isAnimating() {
        return animation != null && animation.getStatus() == javafx.animation.Animation.Status.RUNNING;
    }

    // ---- Training tab ----

    private BorderPane trainingTab() {
        trainingDisc.setId("trainingDisc");
        trainingDisc.figureProperty().bind(lab.training().discProperty());
        // until a run records its first epoch the disc has nothing to draw: say what to press
        Label hint = new Label("Press Train (or Train all three) to watch the points leave the centre "
                + "epoch by epoch; the manifold, dimension and epochs are in the inspector under Training.");
        hint.setId("trainingHint");
        hint.setWrapText(true);
        hint.setMaxWidth(420);
        hint.getStyleClass().add("page-text");
        hint.visibleProperty().bind(lab.training().discProperty().isNull());
        hint.setMouseTransparent(true);
        StackPane discArea = new StackPane(trainingDisc, hint);
        discArea.setMinSize(0, 0);
        trainingCharts.setId("trainingCharts");
        trainingCharts.figureProperty().bind(lab.training().chartsProperty());
        Button train = button("Train", "trainButton", "Train on the manifold chosen in the inspector (Training), with its settings",
                lab.training()::train);
        Button all = button("Train all three", "trainAllButton", "Poincar\u00e9, Euclidean and Lorentz in turn, the same settings",
                lab.training()::trainAll);
        Button cancel = button("Cancel", "cancelTrainingButton", "Stop the run; what it recorded stays", lab.training()::cancel);
        train.disableProperty().bind(lab.training().runningProperty());
        all.disableProperty().bind(lab.training().runningProperty());
        cancel.disableProperty().bind(lab.training().runningProperty().not());
        Button show = button("Show on Disc", "showTrainedButton", "Show the last run's embedding on the Disc tab", () -> {
            lab.params().source.trySet(PoincareParameters.TRAINED);
            lab.showSource();
            tabs.getSelectionModel().select(0);
        });
        Button exportCharts = button("Export charts\u2026", "exportChartsButton", "The four charts as PNG, SVG or PDF",
                () -> exportFigure(lab.training().chartsProperty()::get, "poincare-training.png", TrainingChartsFigure.PREFERRED_WIDTH,
                        TrainingChartsFigure.PREFERRED_HEIGHT));
        Button exportDisc = button("Export disc\u2026", "exportTrainingDiscButton", "The disc of the epoch on show as PNG, SVG or PDF",
                () -> exportFigure(lab.training().discProperty()::get, "poincare-epoch.png", PoincareDiscFigure.PREFERRED_WIDTH,
                        PoincareDiscFigure.PREFERRED_HEIGHT));
        Label progress = new Label();
        progress.setId("trainingProgress");
        progress.setWrapText(true);
        progress.setMinHeight(Region.USE_PREF_SIZE);
        progress.textProperty().bind(lab.training().progressProperty());
        FlowPane actions = new FlowPane(6, 6, train, all, cancel, show, exportCharts, exportDisc);
        VBox top = new VBox(4, actions, progress);
        top.setPadding(new Insets(6, 8, 6, 8));
        // wide: the disc beside the charts; narrow: one scrolling column, the disc above charts of a readable height
        SplitPane split = new SplitPane();
        split.setId("trainingSplit");
        VBox column = new VBox(4);
        column.setFillWidth(true);
        ScrollPane scroll = new ScrollPane(column);
        scroll.setId("trainingScroll");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        BorderPane box = new BorderPane();
        Runnable arrange = () -> {
            boolean narrow = getWidth() > 0 && getWidth() < NARROW_TRAINING;
            if (narrow && box.getCenter() != scroll) {
                split.getItems().clear();
                discArea.prefHeightProperty().bind(scroll.widthProperty().multiply(0.8));
                discArea.setMinHeight(260);
                trainingCharts.setMinHeight(TrainingChartsFigure.PREFERRED_HEIGHT * 0.75);
                column.getChildren().setAll(discArea, trainingCharts);
                box.setCenter(scroll);
            } else if (!narrow && box.getCenter() != split) {
                column.getChildren().clear();
                discArea.prefHeightProperty().unbind();
                discArea.setMinHeight(0);
                trainingCharts.setMinHeight(0);
                split.getItems().setAll(discArea, trainingCharts);
                split.setDividerPositions(0.4);
                box.setCenter(split);
            }
        };
        widthProperty().addListener((obs, before, now) -> arrange.run());
        arrange.run();
        box.setTop(top);
        box.setBottom(timeline);
        return box;
    }

    TimelineBar timeline() {
        return timeline;
    }

    // ---- Poincaré ResNet tab ----

    private BorderPane resnetTab() {
        resnet.setId("resnetCanvas");
        resnet.figureProperty().bind(lab.resnetProperty());
        Label note = new Label("Left: norms of 16 points through stacked hyperbolic fully connected layers (Poincar\u00e9 ResNet's "
                + "Poincar\u00e9 FC layer). Identity initialisation (weights I/2, zero bias) maps every point to itself, however deep; "
                + "standard initialisation pulls the points towards the origin. Right: midpoint batch normalisation re-centres the "
                + "batch at expmap0(b) and rescales its dispersion to s. Layers, width, batch, s and b are in the inspector.");
        note.setWrapText(true);
        note.setMinHeight(Region.USE_PREF_SIZE);
        Button export = button("Export figure\u2026", "exportResnetButton", "Both panels as PNG, SVG or PDF",
                () -> exportFigure(lab.resnetProperty()::get, "poincare-resnet.png", ResNetFigure.PREFERRED_WIDTH, ResNetFigure.PREFERRED_HEIGHT));
        VBox top = new VBox(6, note, new FlowPane(6, 6, export));
        top.setPadding(new Insets(6, 8, 6, 8));
        BorderPane box = new BorderPane(resnet);
        box.setTop(top);
        return box;
    }

    // ---- lesson, exports, lifecycle ----

    private void setUp(Map<String, String> values) {
        try {
            lab.apply(values);
        } catch (IllegalArgumentException e) {
            header.show(Failures.oneLine(e), true);
        }
    }

    /** Exports the figure {@code figure} supplies at its preferred size, in the format of the chosen file's name. */
    private void exportFigure(Supplier<? extends Figure> figure, String suggested, int width, int height) {
        Figure f = figure.get();
        if (f == null) {
            header.show("nothing to export yet", true);
            return;
        }
        dialogs.chooseSaveFile("Export figure", suggested, FIGURE_TYPES).ifPresent(file -> exportFigureTo(f, file, width, height));
    }

    void exportFigureTo(Figure f, Path file, int width, int height) {
        lab.runExport("Export " + file.getFileName(), ctx -> {
            FigureExporter.export(f, ExportFormat.fromFile(file), width, height, 1.0, file);
            return file;
        });
    }

    void exportCoordinates(Path file) {
        PoincareDiscFigure f = lab.discProperty().get();
        if (f == null) {
            header.show("nothing to export yet", true);
            return;
        }
        lab.runExport("Export " + file.getFileName(), ctx -> {
            PoincareExports.coordinates(f, file);
            return file;
        });
    }

    void exportEmbedding(Path file) {
        var e = lab.shownEmbedding();
        if (e == null) {
            header.show("no embedding to export", true);
            return;
        }
        lab.runExport("Export " + file.getFileName(), ctx -> {
            PoincareExports.embedding(e, file);
            return file;
        });
    }

    /** Off screen the re-centring animation and the timeline stop. */
    void setActive(boolean active) {
        timeline.activeProperty().set(active);
        if (!active) {
            stopAnimation();
            timeline.stop();
        }
    }

    private static Button button(String text, String id, String tip, Runnable run) {
        Button b = new Button(text);
        b.setId(id);
        b.setMinWidth(Region.USE_PREF_SIZE);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> run.run());
        return b;
    }

    Node discNode() {
        return canvas;
    }

    FigureCanvas trainingChartsNode() {
        return trainingCharts;
    }
}
