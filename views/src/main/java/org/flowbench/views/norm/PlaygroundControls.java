package org.flowbench.views.norm;

import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.flowbench.views.params.Parameter;

/**
 * PlaygroundControls of the playground pages bound both ways to a typed {@link Parameter}: a change in the
 * control is offered to the parameter (which may refuse it), and the parameter's value shows in
 * the control. A typed value the parameter refuses is handed to {@code refused} as one line (null
 * when a value was accepted) and the field goes back to the parameter's value.
 */
final class PlaygroundControls {

    private PlaygroundControls() {
    }

    static <T> void bind(ComboBox<T> box, Parameter<T> parameter) {
        box.setValue(parameter.get());
        box.setTooltip(new Tooltip(parameter.description()));
        box.valueProperty().addListener((obs, old, now) -> {
            if (now != null && !now.equals(parameter.get()) && parameter.trySet(now) != null) {
                box.setValue(parameter.get());
            }
        });
        parameter.valueProperty().addListener((obs, old, now) -> box.setValue(now));
    }

    static Node spinner(Parameter<Integer> parameter, int min, int max, String id) {
        Spinner<Integer> spinner = new Spinner<>();
        SpinnerValueFactory.IntegerSpinnerValueFactory factory =
                new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, parameter.get());
        spinner.setValueFactory(factory);
        spinner.setId(id);
        spinner.setMaxWidth(Double.MAX_VALUE);
        spinner.setTooltip(new Tooltip(parameter.description()));
        factory.valueProperty().addListener((obs, old, now) -> {
            if (now != null && !now.equals(parameter.get()) && parameter.trySet(now) != null) {
                factory.setValue(parameter.get());
            }
        });
        parameter.valueProperty().addListener((obs, old, now) -> factory.setValue(now));
        return spinner;
    }

    static Node seedField(Parameter<Long> parameter, String id, java.util.function.Consumer<String> refused) {
        TextField field = new TextField(Long.toString(parameter.get()));
        field.setId(id);
        field.setTooltip(new Tooltip(parameter.description() + " (press Enter to apply)"));
        Runnable commit = () -> {
            String problem = parameter.trySet(field.getText().strip());
            refused.accept(problem);
            if (problem != null) {
                field.setText(Long.toString(parameter.get()));
            }
        };
        field.setOnAction(e -> commit.run());
        field.focusedProperty().addListener((obs, was, now) -> {
            if (!now) {
                commit.run();
            }
        });
        parameter.valueProperty().addListener((obs, old, now) -> field.setText(Long.toString(now)));
        return field;
    }

    static Node realField(Parameter<Double> parameter, String id, java.util.function.Consumer<String> refused) {
        TextField field = new TextField(format(parameter.get()));
        field.setId(id);
        field.setTooltip(new Tooltip(parameter.description() + " (press Enter to apply)"));
        Runnable commit = () -> {
            String problem = parameter.trySet(field.getText().strip());
            refused.accept(problem);
            if (problem != null) {
                field.setText(format(parameter.get()));
            }
        };
        field.setOnAction(e -> commit.run());
        field.focusedProperty().addListener((obs, was, now) -> {
            if (!now) {
                commit.run();
            }
        });
        parameter.valueProperty().addListener((obs, old, now) -> field.setText(format(now)));
        return field;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A label above a control; the label's tooltip is the control's help. */
    static VBox labelled(String text, Node control, String help) {
        Label label = new Label(text);
        label.setTooltip(new Tooltip(help));
        label.setLabelFor(control);
        label.setMinWidth(Control.USE_PREF_SIZE);
        VBox box = new VBox(2, label, control);
        return box;
    }
}
