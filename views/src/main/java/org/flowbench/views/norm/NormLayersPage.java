package org.flowbench.views.norm;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.flowbench.compute.norm.playground.PlaygroundInput;
import org.flowbench.compute.norm.playground.PlaygroundLayer;
import org.flowbench.views.lab.LabContext;

import java.util.List;

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
public final class NormLayersPage extends PlaygroundPage<NormLayersView, NormLayersFigure, NormLayersModel> {

    public NormLayersPage(LabContext context) {
        super(context, new NormLayersModel(context), new Names("Norm layers", "normLayersCanvas", "normLayersStatus",
                "exportCsvButton", "Save the table behind the current view as CSV (the axes view has none)",
                "The axes view has no table to export"), List.of(NormLayersView.values()));
    }

    @Override
    Node settingsColumn() {
        NormLayersModel model = model();
        root().getStyleClass().add("norm-layers-page");
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
        microSpinner.disableProperty().bind(Bindings.createBooleanBinding(
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
        return controls;
    }

    /** Off while there is no figure, and in the axes view, which has no table. */
    @Override
    ObservableValue<Boolean> csvDisabled() {
        return Bindings.createBooleanBinding(
                () -> model().figureProperty().get() == null || model().viewProperty().get() == NormLayersView.AXES,
                model().figureProperty(), model().viewProperty());
    }

    @Override
    String table(NormLayersFigure figure) {
        return NormLayersCsv.table(figure);
    }

    @Override
    String tableName(NormLayersFigure figure) {
        return NormLayersFigures.name(figure.view());
    }
}
