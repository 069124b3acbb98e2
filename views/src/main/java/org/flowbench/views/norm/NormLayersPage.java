package org.flowbench.views.norm;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.flowbench.compute.norm.playground.PlaygroundInput;
import org.flowbench.compute.norm.playground.PlaygroundLayer;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.lab.LabContext;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The Norm layers tab: a normalization layer with no network around it. Pick an input and a
 * layer; a background job runs the layer in training mode over a stream of batches and the page
 * shows one of five views: the axes it normalises over, histograms of four channels before and
 * after, the statistics batch after batch (PowerNorm's fluctuation), running against batch
 * statistics with the train/eval mismatch, and folded against unfolded inference.
 *
 * <p>Set-up keys ({@link #applySetup}, lesson sections with {@code page=layers}):
 * <ul>
 *   <li>{@code layer}: batchnorm, groupnorm, layernorm, rmsnorm, powernorm, unified, evonorm-b0,
 *       evonorm-s0, batch-channel, weight-standardization (or bn, gn, ln, rms, power, un, b0, s0,
 *       bcn, ws);</li>
 *   <li>{@code preset}: image, tokens, micro; {@code micro}: images per micro-batch, 1 to 4;</li>
 *   <li>{@code batches} (2 to 2000), {@code groups} (dividing the channels), {@code channel},
 *       {@code seed};</li>
 *   <li>{@code view}: axes, histograms, fluctuation, running, folding.</li>
 * </ul>
 * For example {@code layer=powernorm, preset=tokens, view=fluctuation}. A bad value changes
 * nothing and shows one line naming the key.
 */
public final class NormLayersPage implements NormLabPage {

    private final LabContext context;
    private final NormLayersModel model;
    private final BorderPane root = new BorderPane();
    private final FigureCanvas canvas = new FigureCanvas();
    private final ToggleGroup views = new ToggleGroup();
    /** The controls are made on the first call to {@link #node()}: the view model works without a JavaFX toolkit. */
    private boolean built;
    private boolean started;

    public NormLayersPage(LabContext context) {
        this.context = context;
        this.model = new NormLayersModel(context);
    }

    /**
     * The first time the tab comes on screen its computation starts; until then the lab's opening
     * (the Depth tab and its sample runs) has the processor to itself.
     */
    @Override
    public void onShown() {
        if (!started) {
            started = true;
            model.run();
        }
    }

    NormLayersModel model() {
        return model;
    }

    FigureCanvas canvas() {
        return canvas;
    }

    private void build() {
        root.getStyleClass().add("norm-layers-page");
        VBox controls = new VBox(6);
        controls.setPadding(new Insets(10));
        controls.setPrefWidth(220);
        controls.setMinWidth(200);

        ComboBox<String> preset = new ComboBox<>();
        preset.getItems().setAll(model.preset().choices());
        preset.setId("presetChoice");
        PlaygroundControls.bind(preset, model.preset());
        preset.setMaxWidth(Double.MAX_VALUE);

        ComboBox<String> layer = new ComboBox<>();
        layer.getItems().setAll(model.layer().choices());
        layer.setId("layerChoice");
        layer.setConverter(new StringConverter<>() {
            @Override
            public String toString(String id) {
                return id == null ? "" : PlaygroundLayer.byId(id).label();
            }

            @Override
            public String fromString(String text) {
                for (PlaygroundLayer l : PlaygroundLayer.values()) {
                    if (l.label().equals(text)) {
                        return l.id();
                    }
                }
                return null;
            }
        });
        PlaygroundControls.bind(layer, model.layer());
        layer.setMaxWidth(Double.MAX_VALUE);

        Node microSpinner = PlaygroundControls.spinner(model.micro(), 1, PlaygroundInput.MAX_MICRO_BATCH, "microSpinner");
        // only the micro preset takes its batch size from here
        microSpinner.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> !PlaygroundInput.MICRO.id().equals(model.preset().get()), model.preset().valueProperty()));
        Node batches = PlaygroundControls.spinner(model.batches(), 2, 2000, "batchesSpinner");
        Node groups = PlaygroundControls.spinner(model.groups(), 1, 64, "groupsSpinner");
        Node channel = PlaygroundControls.spinner(model.channel(), 0, 63, "channelSpinner");
        Node seed = PlaygroundControls.seedField(model.seed(), "seedField", model::reportProblem);

        Button run = new Button("Run again");
        run.setId("runButton");
        run.setTooltip(new Tooltip("Run the layer over the batches again with the current settings"));
        run.setOnAction(e -> model.run());
        run.setMaxWidth(Double.MAX_VALUE);
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(model.progressProperty());
        progress.visibleProperty().bind(model.runningProperty());
        progress.setMaxWidth(Double.MAX_VALUE);

        controls.getChildren().addAll(
                PlaygroundControls.labelled("Input preset", preset, model.preset().description()),
                PlaygroundControls.labelled("Micro-batch N", microSpinner, model.micro().description()),
                PlaygroundControls.labelled("Layer", layer, model.layer().description()),
                PlaygroundControls.labelled("Groups", groups, model.groups().description()),
                PlaygroundControls.labelled("Channel shown", channel, model.channel().description()),
                PlaygroundControls.labelled("Batches", batches, model.batches().description()),
                PlaygroundControls.labelled("Seed", seed, model.seed().description()),
                run, progress);
        root.setLeft(controls);

        // wraps onto a second row on narrow pages rather than pushing the figure off the page
        javafx.scene.layout.FlowPane viewBar = new javafx.scene.layout.FlowPane(4, 4);
        viewBar.setPadding(new Insets(8, 8, 4, 8));
        viewBar.setAlignment(Pos.CENTER_LEFT);
        viewBar.setMinWidth(0);
        for (NormLayersView v : NormLayersView.values()) {
            ToggleButton b = new ToggleButton(v.label());
            b.setId("view-" + v.id());
            b.setUserData(v);
            b.setToggleGroup(views);
            b.setTooltip(new Tooltip(v.help()));
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            viewBar.getChildren().add(b);
        }
        selectToggle(model.viewProperty().get());
        views.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                // a view is always chosen: clicking the selected one keeps it
                selectToggle(model.viewProperty().get());
            } else {
                model.setView((NormLayersView) now.getUserData());
            }
        });
        model.viewProperty().addListener((obs, old, now) -> selectToggle(now));

        canvas.setId("normLayersCanvas");
        canvas.figureProperty().bind(model.figureProperty());
        VBox.setVgrow(canvas, Priority.ALWAYS);
        VBox centre = new VBox(viewBar, canvas);
        root.setCenter(centre);

        Label status = new Label();
        status.setId("normLayersStatus");
        status.setWrapText(true);
        status.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> model.problemProperty().get() != null ? model.problemProperty().get() : model.statusProperty().get(),
                model.problemProperty(), model.statusProperty()));
        status.styleProperty().bind(javafx.beans.binding.Bindings.when(model.problemProperty().isNotNull())
                .then("-fx-text-fill: #cf222e;").otherwise(""));
        status.setMaxWidth(Double.MAX_VALUE);
        status.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox.setHgrow(status, Priority.ALWAYS);
        Button csv = new Button("Export CSV\u2026");
        csv.setId("exportCsvButton");
        csv.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        csv.setTooltip(new Tooltip("Save the table behind the current view as CSV (the axes view has none)"));
        csv.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> model.figureProperty().get() == null || model.viewProperty().get() == NormLayersView.AXES,
                model.figureProperty(), model.viewProperty()));
        csv.setOnAction(e -> exportCsv());
        HBox bottom = new HBox(8, status, csv);
        bottom.setAlignment(Pos.CENTER_LEFT);
        bottom.setPadding(new Insets(4, 8, 8, 8));
        root.setBottom(bottom);
    }

    private void selectToggle(NormLayersView v) {
        for (var t : views.getToggles()) {
            if (t.getUserData() == v && !t.isSelected()) {
                t.setSelected(true);
            }
        }
    }

    /** Asks where to save the current view's table and writes it atomically; a failure shows as the problem line. */
    void exportCsv() {
        NormLayersFigure f = model.figureProperty().get();
        String table = f == null ? null : NormLayersCsv.table(f);
        if (table == null) {
            context.status().accept("The axes view has no table to export");
            return;
        }
        TableExport.save(context, NormLayersFigures.name(f.view()), table);
    }

    @Override
    public String title() {
        return "Norm layers";
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
