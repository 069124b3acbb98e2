package org.flowbench.views.norm;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.flowbench.compute.norm.invariance.BatchNormOnlyTraining;
import org.flowbench.compute.norm.invariance.ScaleInvariantToy;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.lab.LabContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Scale invariance tab: a weight followed by a normalization, where only the weight's
 * direction matters. SGD, SGD with momentum, Adam, SGDP and AdamP run side by side on a toy loss
 * in the plane (the weight's path, ||w|| and the effective step lr / ||w||^2: Heo et al.), and a
 * random BatchNorm network is trained in gamma and beta only against the same network frozen
 * and the same network fully trained (Frankle et al.).
 *
 * <p>Set-up keys ({@link #applySetup}, lesson sections with {@code page=scale}):
 * {@code optimizer} (sgd, momentum, adam, sgdp, adamp: the one drawn on top), {@code lr},
 * {@code steps}, {@code momentum}, {@code wd} (weight decay), {@code noise}, {@code angle} (start
 * direction, degrees), {@code task} (moons, spirals), {@code width}, {@code depth},
 * {@code bn-steps}, {@code bn-lr}, {@code seed}, and {@code view} (path, norm, bn-only). For
 * example {@code optimizer=sgdp, lr=0.1, view=norm}. A bad value changes nothing and shows one
 * line naming the key.
 */
public final class ScaleInvariancePage implements NormLabPage {

    private final LabContext context;
    private final ScaleInvarianceModel model;
    private final BorderPane root = new BorderPane();
    private final FigureCanvas canvas = new FigureCanvas();
    private final ToggleGroup views = new ToggleGroup();
    /** The controls are made on the first call to {@link #node()}: the view model works without a JavaFX toolkit. */
    private boolean built;
    private boolean started;

    public ScaleInvariancePage(LabContext context) {
        this.context = context;
        this.model = new ScaleInvarianceModel(context);
    }

    /**
     * The first time the tab comes on screen its computation starts; until then the lab's opening
     * (the Depth tab and its sample runs) has the processor to itself.
     */
    @Override
    public void onShown() {
        if (!started) {
            started = true;
            model.runAll();
        }
    }

    ScaleInvarianceModel model() {
        return model;
    }

    FigureCanvas canvas() {
        return canvas;
    }

    private void build() {
        VBox controls = new VBox(6);
        controls.setPadding(new Insets(10));
        ComboBox<String> optimizer = new ComboBox<>();
        optimizer.getItems().setAll(model.optimizer().choices());
        optimizer.setId("optimizerChoice");
        optimizer.setMaxWidth(Double.MAX_VALUE);
        PlaygroundControls.bind(optimizer, model.optimizer());
        ComboBox<String> task = new ComboBox<>();
        task.getItems().setAll(model.task().choices());
        task.setId("taskChoice");
        task.setMaxWidth(Double.MAX_VALUE);
        PlaygroundControls.bind(task, model.task());
        Label toyHeader = new Label("Toy: w then a norm");
        toyHeader.setStyle("-fx-font-weight: bold;");
        toyHeader.setMinWidth(Region.USE_PREF_SIZE);
        Label bnHeader = new Label("BatchNorm only");
        bnHeader.setStyle("-fx-font-weight: bold;");
        bnHeader.setMinWidth(Region.USE_PREF_SIZE);
        controls.getChildren().addAll(
                toyHeader,
                PlaygroundControls.labelled("Highlighted optimizer", optimizer, model.optimizer().description()),
                PlaygroundControls.labelled("Learning rate", PlaygroundControls.realField(model.lr(), "lrField", model::reportProblem),
                        model.lr().description()),
                PlaygroundControls.labelled("Momentum", PlaygroundControls.realField(model.momentum(), "momentumField", model::reportProblem),
                        model.momentum().description()),
                PlaygroundControls.labelled("Weight decay", PlaygroundControls.realField(model.weightDecay(), "wdField", model::reportProblem),
                        model.weightDecay().description()),
                PlaygroundControls.labelled("Gradient noise", PlaygroundControls.realField(model.noise(), "noiseField", model::reportProblem),
                        model.noise().description()),
                PlaygroundControls.labelled("Start angle", PlaygroundControls.realField(model.angle(), "angleField", model::reportProblem),
                        model.angle().description()),
                PlaygroundControls.labelled("Steps", PlaygroundControls.spinner(model.steps(), 1, 5000, "stepsSpinner"),
                        model.steps().description()),
                bnHeader,
                PlaygroundControls.labelled("Task", task, model.task().description()),
                PlaygroundControls.labelled("Width", PlaygroundControls.spinner(model.width(), 2, 256, "widthSpinner"),
                        model.width().description()),
                PlaygroundControls.labelled("Depth", PlaygroundControls.spinner(model.depth(), 1, 4, "depthSpinner"),
                        model.depth().description()),
                PlaygroundControls.labelled("Training steps", PlaygroundControls.spinner(model.bnSteps(), 1, 3000,
                        "bnStepsSpinner"), model.bnSteps().description()),
                PlaygroundControls.labelled("Training lr", PlaygroundControls.realField(model.bnLr(), "bnLrField", model::reportProblem),
                        model.bnLr().description()),
                PlaygroundControls.labelled("Seed", PlaygroundControls.seedField(model.seed(), "scaleSeedField", model::reportProblem),
                        model.seed().description()));
        ScrollPane scroll = new ScrollPane(controls);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setPrefWidth(230);
        scroll.setMinWidth(210);
        root.setLeft(scroll);

        // wraps onto a second row on narrow pages rather than pushing the figure off the page
        javafx.scene.layout.FlowPane viewBar = new javafx.scene.layout.FlowPane(4, 4);
        viewBar.setPadding(new Insets(8, 8, 4, 8));
        viewBar.setAlignment(Pos.CENTER_LEFT);
        viewBar.setMinWidth(0);
        for (ScaleInvarianceView v : ScaleInvarianceView.values()) {
            ToggleButton b = new ToggleButton(v.label());
            b.setId("view-" + v.id());
            b.setUserData(v);
            b.setToggleGroup(views);
            b.setTooltip(new Tooltip(v.help()));
            b.setMinWidth(Region.USE_PREF_SIZE);
            viewBar.getChildren().add(b);
        }
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(22, 22);
        busy.visibleProperty().bind(model.runningProperty());
        viewBar.getChildren().add(busy);
        select(model.viewProperty().get());
        views.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                select(model.viewProperty().get());
            } else {
                model.setView((ScaleInvarianceView) now.getUserData());
            }
        });
        model.viewProperty().addListener((obs, old, now) -> select(now));
        canvas.setId("scaleInvarianceCanvas");
        canvas.figureProperty().bind(model.figureProperty());
        VBox.setVgrow(canvas, Priority.ALWAYS);
        root.setCenter(new VBox(viewBar, canvas));

        Label status = new Label();
        status.setId("scaleInvarianceStatus");
        status.setWrapText(true);
        status.setMaxWidth(Double.MAX_VALUE);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(Bindings.createStringBinding(
                () -> model.problemProperty().get() != null ? model.problemProperty().get() : model.statusProperty().get(),
                model.problemProperty(), model.statusProperty()));
        status.styleProperty().bind(Bindings.when(model.problemProperty().isNotNull())
                .then("-fx-text-fill: #cf222e;").otherwise(""));
        HBox.setHgrow(status, Priority.ALWAYS);
        Button csv = new Button("Export CSV\u2026");
        csv.setId("scaleCsvButton");
        csv.setMinWidth(Region.USE_PREF_SIZE);
        csv.setTooltip(new Tooltip("Save the numbers behind the current view as CSV"));
        csv.disableProperty().bind(model.figureProperty().isNull());
        csv.setOnAction(e -> exportCsv());
        HBox bottom = new HBox(8, status, csv);
        bottom.setAlignment(Pos.CENTER_LEFT);
        bottom.setPadding(new Insets(4, 8, 8, 8));
        root.setBottom(bottom);
    }

    private void select(ScaleInvarianceView v) {
        for (var t : views.getToggles()) {
            if (t.getUserData() == v && !t.isSelected()) {
                t.setSelected(true);
            }
        }
    }

    /** The table behind the current view: per step and optimizer, or per step and training; null before a result. */
    static String table(ScaleInvarianceFigure f) {
        StringBuilder b = new StringBuilder();
        if (f.view() == ScaleInvarianceView.BN_ONLY) {
            if (f.training() == null) {
                return null;
            }
            b.append("step,trained,accuracy,loss\n");
            for (BatchNormOnlyTraining.Result r : f.training()) {
                for (int t = 0; t < r.accuracy().length; t++) {
                    b.append(t).append(',').append(r.trained().id()).append(',')
                            .append(NormLayersCsv.num(r.accuracy()[t])).append(',').append(NormLayersCsv.num(r.loss()[t]))
                            .append('\n');
                }
            }
            return b.toString();
        }
        if (f.runs() == null) {
            return null;
        }
        b.append("step,optimizer,w1,w2,norm,effective_step,loss,projected\n");
        for (ScaleInvariantToy.Run r : f.runs()) {
            for (int t = 0; t <= r.steps(); t++) {
                b.append(t).append(',').append(r.optimizer().id()).append(',')
                        .append(NormLayersCsv.num(r.path()[2 * t])).append(',').append(NormLayersCsv.num(r.path()[2 * t + 1]))
                        .append(',').append(NormLayersCsv.num(r.norm()[t])).append(',')
                        .append(NormLayersCsv.num(r.effectiveStep()[t])).append(',').append(NormLayersCsv.num(r.loss()[t]))
                        .append(',').append(t == 0 ? "" : Boolean.toString(r.projected()[t - 1]).toLowerCase(Locale.ROOT))
                        .append('\n');
            }
        }
        return b.toString();
    }

    void exportCsv() {
        ScaleInvarianceFigure f = model.figureProperty().get();
        String table = f == null ? null : table(f);
        if (table == null) {
            context.status().accept("Nothing computed yet to export");
            return;
        }
        TableExport.save(context, ScaleInvarianceFigures.name(f.view()), table);
    }

    @Override
    public String title() {
        return "Scale invariance";
    }

    @Override
    public Node node() {
        if (!built) {
            build();
            built = true;
        }
        return root;
    }

    @Override
    public Optional<Figure> currentFigure() {
        return Optional.ofNullable(model.figureProperty().get());
    }

    @Override
    public void applySetup(Map<String, String> setup) {
        model.applySetup(setup);
    }

    @Override
    public Map<String, Object> viewState(Path sessionFolder) {
        return model.viewState();
    }

    @Override
    public void restoreViewState(Map<String, Object> state, Path sessionFolder) {
        model.restoreViewState(state);
    }

    @Override
    public void close() {
        model.close();
    }
}
