package org.flowbench.views.figure;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Asks where and how to export a figure: format, logical width and height, PNG scale and file.
 * OK stays disabled while the entries are invalid, and one line under the fields says why. The
 * result is an {@link ExportRequest}; the dialog writes nothing itself, the caller runs the
 * export as a background job.
 *
 * <p>Control ids for tests and styling: {@code #exportFormat}, {@code #exportWidth},
 * {@code #exportHeight}, {@code #exportScale}, {@code #exportFile}, {@code #exportBrowse},
 * {@code #exportSize}, {@code #exportMessage}, and {@code #exportOk} on the OK button.
 */
public final class ExportDialog extends Dialog<ExportRequest> {

    private final ComboBox<ExportFormat> format = new ComboBox<>();
    private final TextField width = new TextField();
    private final TextField height = new TextField();
    private final ComboBox<Double> scale = new ComboBox<>();
    private final TextField file = new TextField();
    private final Button browse = new Button("Browse\u2026");
    private final Label size = new Label();
    private final Label message = new Label();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");

    /**
     * @param figureTitle shown in the header ("Export Probability path ...")
     * @param initial     the entries to start from: the last export, or {@link ExportRequest#suggest}
     */
    public ExportDialog(String figureTitle, ExportRequest initial) {
        if (initial == null) {
            throw new IllegalArgumentException("the export dialog needs entries to start from");
        }
        setTitle("Export figure");
        setHeaderText(figureTitle == null || figureTitle.isBlank() ? "Export figure" : "Export " + figureTitle);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);

        format.getItems().setAll(ExportFormat.values());
        format.setConverter(new StringConverter<>() {
            @Override
            public String toString(ExportFormat value) {
                return value == null ? "" : value.description() + " (." + value.extension() + ")";
            }

            @Override
            public ExportFormat fromString(String text) {
                return ExportFormat.fromName(text);
            }
        });
        scale.getItems().setAll(FigureExporter.SCALES);
        scale.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double value) {
                return value == null ? "" : FigureExporter.formatScale(value) + "x";
            }

            @Override
            public Double fromString(String text) {
                return Double.valueOf(text.replace("x", "").trim());
            }
        });

        format.setId("exportFormat");
        width.setId("exportWidth");
        height.setId("exportHeight");
        scale.setId("exportScale");
        file.setId("exportFile");
        browse.setId("exportBrowse");
        size.setId("exportSize");
        message.setId("exportMessage");
        width.setPrefColumnCount(6);
        height.setPrefColumnCount(6);
        file.setPrefColumnCount(28);
        message.setWrapText(false);
        message.getStyleClass().add("validation-message");

        format.setValue(initial.format());
        width.setText(Integer.toString(initial.width()));
        height.setText(Integer.toString(initial.height()));
        scale.setValue(initial.scale());
        file.setText(initial.file().toString());

        getDialogPane().setContent(layout());

        format.valueProperty().addListener((observable, before, after) -> formatChanged(after));
        scale.disableProperty().bind(Bindings.createBooleanBinding(
                () -> format.getValue() != null && format.getValue().isVector(), format.valueProperty()));
        width.textProperty().addListener(observable -> revalidate());
        height.textProperty().addListener(observable -> revalidate());
        scale.valueProperty().addListener(observable -> revalidate());
        file.textProperty().addListener(observable -> revalidate());
        browse.setOnAction(event -> chooseFile());

        Node ok = getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("exportOk");
        ok.disableProperty().bind(problem.isNotEmpty());
        message.textProperty().bind(problem);

        setResultConverter(button -> button != null && button.getButtonData() == ButtonBar.ButtonData.OK_DONE
                ? request() : null);
        revalidate();
    }

    /** Why the entries cannot be exported, or "" when they can. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /**
     * The request the entries describe, the file given the format's extension when it has none.
     *
     * @throws IllegalArgumentException when the entries are invalid (see {@link #problemProperty()})
     */
    public ExportRequest request() {
        String why = check(format.getValue(), width.getText(), height.getText(), scale.getValue(), file.getText());
        if (!why.isEmpty()) {
            throw new IllegalArgumentException(why);
        }
        ExportFormat chosen = format.getValue();
        Path path = Path.of(file.getText().strip());
        return new ExportRequest(chosen, Integer.parseInt(width.getText().strip()),
                Integer.parseInt(height.getText().strip()), scale.getValue(), chosen.withExtension(path));
    }

    /**
     * Checks the entries as typed; returns a one-line reason they cannot be exported, or "".
     * Needs no JavaFX, so the rules are tested on their own.
     */
    static String check(ExportFormat format, String widthText, String heightText, Double scale, String fileText) {
        if (format == null) {
            return "choose a format";
        }
        Integer w = parseSide(widthText);
        if (w == null) {
            return "width must be a whole number from 1 to " + FigureExporter.MAX_SIDE;
        }
        Integer h = parseSide(heightText);
        if (h == null) {
            return "height must be a whole number from 1 to " + FigureExporter.MAX_SIDE;
        }
        if (scale == null) {
            return "choose a scale";
        }
        try {
            FigureExporter.validate(format, w, h, scale);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (fileText == null || fileText.isBlank()) {
            return "choose a file to export to";
        }
        Path path;
        try {
            path = Path.of(fileText.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return "'" + fileText.strip() + "' is not a valid file name";
        }
        for (ExportFormat other : ExportFormat.values()) {
            if (other != format && other.matches(path)) {
                return "the file name ends in ." + other.extension() + " but the format is " + format.name();
            }
        }
        Path target = format.withExtension(path);
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            return "folder " + folder + " does not exist";
        }
        if (Files.isDirectory(target)) {
            return target + " is a folder";
        }
        if (!Files.isWritable(folder)) {
            return "folder " + folder + " is not writable";
        }
        return "";
    }

    private static Integer parseSide(String text) {
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text.strip());
            return value >= 1 && value <= FigureExporter.MAX_SIDE ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private GridPane layout() {
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.setPadding(new Insets(12));
        ColumnConstraints labels = new ColumnConstraints();
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, fields);

        HBox sizeRow = new HBox(6, width, new Label("\u00d7"), height, new Label("logical units"));
        sizeRow.setAlignment(Pos.CENTER_LEFT);
        HBox scaleRow = new HBox(8, scale, size);
        scaleRow.setAlignment(Pos.CENTER_LEFT);
        HBox fileRow = new HBox(6, file, browse);
        HBox.setHgrow(file, Priority.ALWAYS);

        grid.addRow(0, new Label("Format"), format);
        grid.addRow(1, new Label("Size"), sizeRow);
        grid.addRow(2, new Label("Scale"), scaleRow);
        grid.addRow(3, new Label("File"), fileRow);
        grid.add(message, 0, 4, 2, 1);
        return grid;
    }

    private void formatChanged(ExportFormat chosen) {
        if (chosen != null) {
            String text = file.getText() == null ? "" : file.getText().strip();
            for (ExportFormat other : ExportFormat.values()) {
                if (other != chosen && text.toLowerCase(Locale.ROOT).endsWith("." + other.extension())) {
                    file.setText(text.substring(0, text.length() - other.extension().length()) + chosen.extension());
                    break;
                }
            }
        }
        revalidate();
    }

    private void revalidate() {
        String why = check(format.getValue(), width.getText(), height.getText(), scale.getValue(), file.getText());
        problem.set(why);
        Integer w = parseSide(width.getText());
        Integer h = parseSide(height.getText());
        if (format.getValue() != null && w != null && h != null && scale.getValue() != null) {
            size.setText(ExportRequest.describeSize(format.getValue(), w, h, scale.getValue()));
        } else {
            size.setText("");
        }
    }

    private void chooseFile() {
        ExportFormat chosen = format.getValue() == null ? ExportFormat.PNG : format.getValue();
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export figure as " + chosen.name());
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(chosen.description(), "*." + chosen.extension()));
        try {
            Path current = Path.of(file.getText().strip()).toAbsolutePath();
            if (current.getParent() != null && Files.isDirectory(current.getParent())) {
                chooser.setInitialDirectory(current.getParent().toFile());
            }
            if (current.getFileName() != null) {
                chooser.setInitialFileName(current.getFileName().toString());
            }
        } catch (InvalidPathException e) {
            // The typed name is unusable as a starting point; the chooser opens in its default folder.
        }
        File picked = chooser.showSaveDialog(getDialogPane().getScene() == null ? null : getDialogPane().getScene().getWindow());
        if (picked != null) {
            file.setText(chosen.withExtension(picked.toPath()).toString());
        }
    }
}
