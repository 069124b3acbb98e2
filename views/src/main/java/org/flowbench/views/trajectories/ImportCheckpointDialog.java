package org.flowbench.views.trajectories;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.util.StringConverter;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.nn.ImportPreset;
import org.flowbench.compute.nn.TimeEmbedding;
import org.flowbench.views.figure.FigureCanvas;

import java.util.List;
import java.util.function.Function;

/**
 * File > Import checkpoint: shows what a foreign checkpoint holds and how it would be read (the
 * tensors, the preset, activation, time embedding, source and target, the inferred architecture or
 * in red why there is none) with a preview of the imported model's trajectories. OK is enabled
 * only while an architecture is inferred; the result is the {@link ImportCheckpointModel.Request}
 * that {@link TrajectoriesLab#importCheckpoint} loads. The dialog reads nothing itself: it opens its view
 * model, which reads the header and computes the preview as background jobs.
 *
 * <p>Control ids: {@code #importTensors}, {@code #importPreset}, {@code #importActivation},
 * {@code #importTime}, {@code #importSource}, {@code #importTarget}, {@code #importArchitecture},
 * {@code #importReason}, {@code #importPreview}, {@code #importPreviewStatus}, {@code #importOk}.
 */
public final class ImportCheckpointDialog extends Dialog<ImportCheckpointModel.Request> {

    private static final Color PROBLEM = Color.web("#c62828");

    private final ImportCheckpointModel model;

    public ImportCheckpointDialog(ImportCheckpointModel model) {
        this.model = model;
        setTitle("Import checkpoint");
        setHeaderText("Import " + model.file().getFileName() + " into the Trajectories lab's left panel");
        setResizable(true);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().setContent(new HBox(16, choices(), preview()));

        Node ok = getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("importOk");
        ok.disableProperty().bind(model.architectureProperty().isNull());
        setResultConverter(button -> button != null && button.getButtonData() == ButtonBar.ButtonData.OK_DONE
                && model.architectureProperty().get() != null ? model.request() : null);
        // Closed either way: a preview still running is of no use.
        setOnHidden(e -> model.close());
        model.open();
    }

    public ImportCheckpointModel model() {
        return model;
    }

    private VBox choices() {
        TableView<ImportCheckpointModel.TensorRow> table = new TableView<>();
        table.setId("importTensors");
        table.getColumns().add(column("Tensor", 190, ImportCheckpointModel.TensorRow::name));
        table.getColumns().add(column("Shape", 90, ImportCheckpointModel.TensorRow::shape));
        table.getColumns().add(column("Type", 60, ImportCheckpointModel.TensorRow::dtype));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.setPlaceholder(new Label("Reading the header\u2026"));
        table.setPrefSize(380, 170);
        table.setMinHeight(90);
        table.getItems().setAll(model.tensorsProperty().get());
        model.tensorsProperty().addListener((obs, before, now) -> table.getItems().setAll(now));

        ComboBox<ImportPreset> preset = combo("importPreset", ImportCheckpointModel.presets(), ImportPreset::id);
        preset.valueProperty().bindBidirectional(model.presetProperty());
        ComboBox<Activation> activation = combo("importActivation", List.of(Activation.values()), a -> a.name().toLowerCase(java.util.Locale.ROOT));
        activation.valueProperty().bindBidirectional(model.activationProperty());
        ComboBox<TimeEmbedding> time = combo("importTime", ImportCheckpointModel.timeEmbeddings(), TimeEmbedding::spec);
        time.valueProperty().bindBidirectional(model.timeProperty());
        ComboBox<String> source = combo("importSource", Datasets.names(), s -> s);
        source.valueProperty().bindBidirectional(model.sourceProperty());
        ComboBox<String> target = combo("importTarget", Datasets.names(), s -> s);
        target.valueProperty().bindBidirectional(model.targetProperty());

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, fields);
        grid.addRow(0, new Label("Preset"), preset);
        grid.addRow(1, new Label("Activation"), activation);
        grid.addRow(2, new Label("Time embedding"), time);
        grid.addRow(3, new Label("Source"), source);
        grid.addRow(4, new Label("Target"), target);

        Label architecture = new Label();
        architecture.setId("importArchitecture");
        architecture.setWrapText(true);
        // Wrapped labels keep their lines; the tensor table gives up the height.
        architecture.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        architecture.visibleProperty().bind(model.summaryProperty().isNotEmpty());
        architecture.managedProperty().bind(architecture.visibleProperty());
        architecture.textProperty().bind(breakable(model.summaryProperty()));
        Label reason = new Label();
        reason.setId("importReason");
        reason.setWrapText(true);
        reason.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        reason.setTextFill(PROBLEM);
        reason.getStyleClass().add("inspector-problem");
        reason.textProperty().bind(model.reasonProperty());
        reason.visibleProperty().bind(model.reasonProperty().isNotNull());
        reason.managedProperty().bind(reason.visibleProperty());

        VBox box = new VBox(8, table, grid, new Label("Architecture"), architecture, reason);
        box.setPrefWidth(380);
        box.setMaxWidth(380);
        VBox.setVgrow(table, Priority.ALWAYS);
        return box;
    }

    private VBox preview() {
        FigureCanvas canvas = new FigureCanvas();
        canvas.setId("importPreview");
        canvas.setPrefSize(420, 340);
        canvas.setFigure(model.previewProperty().get());
        model.previewProperty().addListener((obs, before, now) -> canvas.setFigure(now));
        Label status = new Label();
        status.setId("importPreviewStatus");
        status.setWrapText(true);
        status.textProperty().bind(model.previewStatusProperty());
        VBox box = new VBox(6, new Label("Preview (t = 1)"), canvas, status);
        box.setPadding(new Insets(0));
        VBox.setVgrow(canvas, Priority.ALWAYS);
        HBox.setHgrow(box, Priority.ALWAYS);
        return box;
    }

    /** The text with a space after every comma: an architecture spec has none, and would be cut instead of wrapped. */
    private static javafx.beans.binding.StringBinding breakable(javafx.beans.value.ObservableStringValue text) {
        return javafx.beans.binding.Bindings.createStringBinding(
                () -> text.get() == null ? null : text.get().replaceAll(",(?! )", ", "), text);
    }

    private static TableColumn<ImportCheckpointModel.TensorRow, String> column(String title, double width,
                                                                                 Function<ImportCheckpointModel.TensorRow, String> value) {
        TableColumn<ImportCheckpointModel.TensorRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(row -> new ReadOnlyObjectWrapper<>(value.apply(row.getValue())));
        return c;
    }

    private static <T> ComboBox<T> combo(String id, List<T> items, Function<T, String> text) {
        ComboBox<T> box = new ComboBox<>();
        box.setId(id);
        box.getItems().setAll(items);
        box.setMaxWidth(Double.MAX_VALUE);
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(T value) {
                return value == null ? "" : text.apply(value);
            }

            @Override
            public T fromString(String string) {
                return items.stream().filter(i -> text.apply(i).equals(string)).findFirst().orElse(null);
            }
        });
        return box;
    }
}
