package org.flowbench.views.params;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.scene.control.Label;
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
        sheet.setPropertyEditorFactory(item -> item instanceof Item own && !own.parameter.choices().isEmpty()
                ? org.controlsfx.property.editor.Editors.createChoiceEditor(item, own.parameter.choices())
                : defaults.call(item));
        problem.setId("inspectorProblem");
        problem.getStyleClass().add("inspector-problem");
        problem.setWrapText(true);
        problem.textProperty().bind(lastProblem);
        problem.visibleProperty().bind(lastProblem.isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        setCenter(sheet);
        setBottom(problem);
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
