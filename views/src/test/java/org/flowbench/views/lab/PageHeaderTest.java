package org.flowbench.views.lab;

import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import static org.assertj.core.api.Assertions.assertThat;

/** The line under a page's title shows the newest news: a status, or a problem until the next status. */
@ExtendWith(ApplicationExtension.class)
class PageHeaderTest {

    private final SimpleObjectProperty<String> status = new SimpleObjectProperty<>("Loading\u2026");
    private final SimpleObjectProperty<String> problem = new SimpleObjectProperty<>();

    @Start
    void start(Stage stage) {
    }

    private static boolean marked(Label line) {
        return line.getStyleClass().contains("inspector-problem");
    }

    @Test
    void showsTheTitleAndTheStatusUnderIt(FxRobot robot) {
        robot.interact(() -> {
            PageHeader header = new PageHeader("Lab", "labStatus", status, problem);
            Label title = (Label) header.getChildren().get(0);
            assertThat(title.getText()).isEqualTo("Lab");
            assertThat(title.getStyleClass()).contains("page-title");
            Label line = header.messageLabel();
            assertThat(header.getChildren()).containsExactly(title, line);
            assertThat(line.getId()).isEqualTo("labStatus");
            assertThat(line.getText()).isEqualTo("Loading\u2026");
            assertThat(line.getTooltip().getText()).isEqualTo("Loading\u2026");
            assertThat(marked(line)).isFalse();
            status.set("Ready.");
            assertThat(line.getText()).isEqualTo("Ready.");
        });
    }

    @Test
    void aProblemShowsUntilTheNextStatusAndItsClearingBringsTheStatusBack(FxRobot robot) {
        robot.interact(() -> {
            PageHeader header = new PageHeader("Lab", "labStatus", status, problem);
            Label line = header.messageLabel();
            problem.set("bad file");
            assertThat(line.getText()).isEqualTo("Problem: bad file");
            assertThat(line.getTooltip().getText()).isEqualTo("Problem: bad file");
            assertThat(marked(line)).isTrue();
            problem.set(null);
            assertThat(line.getText()).isEqualTo("Loading\u2026");
            assertThat(marked(line)).isFalse();

            problem.set("bad value");
            status.set("Trained.");
            assertThat(line.getText()).isEqualTo("Trained.");
            assertThat(marked(line)).isFalse();
            // cleared while the newer status shows: that status stays
            status.set("Trained again.");
            problem.set(null);
            assertThat(line.getText()).isEqualTo("Trained again.");
        });
    }

    @Test
    void thePageMayShowAProblemOfItsOwnAndAnEmptyLineHasNoTooltip(FxRobot robot) {
        robot.interact(() -> {
            PageHeader header = new PageHeader("Lab", "labStatus", status, problem);
            Label line = header.messageLabel();
            header.show("nothing to export yet", true);
            assertThat(line.getText()).isEqualTo("Problem: nothing to export yet");
            assertThat(marked(line)).isTrue();
            status.set("");
            assertThat(line.getText()).isEmpty();
            assertThat(line.getTooltip()).isNull();
            assertThat(marked(line)).isFalse();
        });
    }
}
