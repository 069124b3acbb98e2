package org.flowbench.views.params;

import javafx.scene.Scene;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The inspector's text fields apply on Enter (the focus staying in the field), refuse bad values and restore on Escape. */
@ExtendWith(ApplicationExtension.class)
class ParameterSheetTest {

    private final Parameter<Integer> steps = Parameter.integer("steps", "Steps", "Sampling", "Solver steps", 8, 1, 100);
    private final Parameter<Double> tolerance = Parameter.real("tolerance", "dopri5 tolerance", "Sampling",
            "Tolerance", 1e-5, 1e-10, 0.1);
    private final Parameter<String> space = Parameter.oneOf("space", "Space", "Sampling", "Where", List.of("poincare", "lorentz"),
            "poincare").shownAs(id -> id.equals("poincare") ? "Poincar\u00e9" : "Lorentz");
    private ParameterSheet sheet;

    @Start
    void start(Stage stage) {
        sheet = new ParameterSheet();
        sheet.show(new LabParameters(List.of(steps, tolerance, space)));
        stage.setScene(new Scene(sheet, 360, 300));
        stage.show();
        stage.requestFocus();
    }

    @Test
    void enterAppliesAndBadValuesAreRefused(FxRobot robot) {
        TextField field = robot.lookup("#editor-steps").queryAs(TextField.class);
        robot.clickOn(field);
        robot.interact(field::selectAll);
        robot.write("12");
        assertThat(steps.get()).as("nothing applies while typing").isEqualTo(8);
        robot.type(KeyCode.ENTER);
        assertThat(steps.get()).isEqualTo(12);
        assertThat(field.isFocused()).as("applied without leaving the field").isTrue();
        assertThat(sheet.lastProblemProperty().get()).isEmpty();

        robot.interact(field::selectAll);
        robot.write("500");
        robot.type(KeyCode.ENTER);
        assertThat(steps.get()).isEqualTo(12);
        assertThat(sheet.lastProblemProperty().get()).startsWith("Steps");
        assertThat(field.getText()).as("the refused text gives way to the value in force").isEqualTo("12");

        robot.interact(field::selectAll);
        robot.write("40");
        robot.type(KeyCode.ESCAPE);
        assertThat(field.getText()).isEqualTo("12");
        assertThat(steps.get()).isEqualTo(12);

        robot.interact(() -> steps.trySet(5));
        assertThat(field.getText()).as("follows changes made elsewhere").isEqualTo("5");
    }

    @Test
    void leavingTheFieldAppliesToo(FxRobot robot) {
        TextField field = robot.lookup("#editor-tolerance").queryAs(TextField.class);
        robot.clickOn(field);
        robot.interact(field::selectAll);
        robot.write("0.001");
        robot.clickOn(robot.lookup("#editor-steps").queryAs(TextField.class));
        assertThat(tolerance.get()).isEqualTo(0.001);
    }

    @Test
    void aChoiceIsShownByItsNameAndSetByItsValue(FxRobot robot) {
        javafx.scene.control.ComboBox<?> box = robot.lookup("#editor-space").queryAs(javafx.scene.control.ComboBox.class);
        assertThat(box.lookupAll(".list-cell")).extracting(n -> ((javafx.scene.control.ListCell<?>) n).getText()).contains("Poincar\u00e9");
        robot.clickOn(box).clickOn("Lorentz");
        assertThat(space.get()).isEqualTo("lorentz");
    }
}
