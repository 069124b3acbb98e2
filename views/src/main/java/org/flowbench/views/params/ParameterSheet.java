package org.flowbench.views.params;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import org.controlsfx.control.PropertySheet;

import java.util.Optional;

/**
 * The inspector: a ControlsFX PropertySheet over a lab's parameters. An edit that fails
 * validation is refused (the value stays as it was) and its reason is shown under the sheet.
 */
public final class ParameterSheet extends BorderPane {

    private final PropertySheet sheet = new PropertySheet();
    private final Label problem = new Label();
    private final ReadOnlyStringWrapper lastProblem = new ReadOnlyStringWrapper(this, "lastProblem", "");

    public ParameterSheet() {
        sheet.setId("inspectorSheet");
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        sheet.setMode(PropertySheet.Mode.CATEGORY);
        org.controlsfx.property.editor.DefaultPropertyEditorFactory defaults =
                new org.controlsfx.property.editor.DefaultPropertyEditorFactory();
        sheet.setPropertyEditorFactory(item -> {
            if (item instanceof Item own && !own.parameter.choices().isEmpty()) {
                var editor = org.controlsfx.property.editor.Editors.createChoiceEditor(item, own.parameter.choices());
                if (editor.getEditor() instanceof javafx.scene.control.ComboBox<?> box) {
                    box.setId("editor-" + own.parameter.key());
                    shownAs(box, own.parameter);
                }
                return editor;
            }
            if (item instanceof Item own && own.parameter.type() != Boolean.class && !own.parameter.type().isEnum()) {
                return new TextEditor(own);
            }
            return defaults.call(item);
        });
        problem.setId("inspectorProblem");
        problem.getStyleClass().add("inspector-problem");
        problem.setWrapText(true);
        problem.textProperty().bind(lastProblem);
        problem.visibleProperty().bind(lastProblem.isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        setCenter(sheet);
        setBottom(problem);
        getStylesheets().add(ParameterSheet.class.getResource("parameter-sheet.css").toExternalForm());
    }

    /** Shows these parameters (replacing the previous lab's). */
    public void show(LabParameters parameters) {
        lastProblem.set("");
        sheet.getItems().setAll(FXCollections.observableArrayList(
                parameters.all().stream().map(Item::new).toList()));
    }

    public ReadOnlyStringProperty lastProblemProperty() {
        return lastProblem.getReadOnlyProperty();
    }

    public PropertySheet sheet() {
        return sheet;
    }

    /**
     * A text field for numbers and free text that applies its value on Enter and when it loses
     * the focus; Escape puts back the value in force. A refused value is put back too, and the
     * reason shows under the sheet.
     */
    private final class TextEditor implements org.controlsfx.property.editor.PropertyEditor<Object> {
        private final Item item;
        private final TextField field = new TextField();

        TextEditor(Item item) {
            this.item = item;
            field.setId("editor-" + item.parameter.key());
            field.setTooltip(new Tooltip(item.getDescription() + " (Enter applies, Escape restores)"));
            show(item.getValue());
            field.setOnAction(e -> apply());
            field.focusedProperty().addListener((obs, was, now) -> {
                if (!now) {
                    apply();
                }
            });
            field.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == KeyCode.ESCAPE) {
                    show(item.getValue());
                    e.consume();
                }
            });
            // follow changes made elsewhere (a lesson's set-up, a session)
            item.parameter.valueProperty().addListener((obs, before, now) -> show(now));
        }

        private void apply() {
            String text = field.getText();
            if (text.equals(format(item.getValue()))) {
                return;
            }
            item.setValue(text);
            show(item.getValue());
        }

        private void show(Object value) {
            field.setText(format(value));
        }

        private String format(Object value) {
            return value == null ? "" : value.toString();
        }

        @Override
        public Node getEditor() {
            return field;
        }

        @Override
        public Object getValue() {
            return item.getValue();
        }

        @Override
        public void setValue(Object value) {
            show(value);
        }
    }

    /** The drop-down shows each choice as the parameter names it. */
    @SuppressWarnings("unchecked")
    private static <T> void shownAs(javafx.scene.control.ComboBox<?> box, Parameter<T> parameter) {
        ((javafx.scene.control.ComboBox<T>) box).setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(T value) {
                return parameter.shown(value);
            }

            @Override
            public T fromString(String text) {
                return parameter.choices().stream().filter(c -> parameter.shown(c).equals(text)).findFirst().orElse(null);
            }
        });
    }

    /** Adapts a Parameter to what the PropertySheet edits. */
    private final class Item implements PropertySheet.Item {
        private final Parameter<?> parameter;

        Item(Parameter<?> parameter) {
            this.parameter = parameter;
        }

        @Override
        public Class<?> getType() {
            return parameter.type();
        }

        @Override
        public String getCategory() {
            return parameter.category();
        }

        @Override
        public String getName() {
            return parameter.name();
        }

        @Override
        public String getDescription() {
            return parameter.description();
        }

        @Override
        public Object getValue() {
            return parameter.get();
        }

        @Override
        public void setValue(Object value) {
            if (java.util.Objects.equals(value, parameter.get())) {
                return;
            }
            String reason = parameter.trySet(value);
            lastProblem.set(reason == null ? "" : reason);
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.of(parameter.valueProperty());
        }
    }
}
