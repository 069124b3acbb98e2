package org.flowbench.views.layout;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The layout check finds each kind of broken layout it promises to, and passes a clean one. */
@ExtendWith(ApplicationExtension.class)
class LayoutCheckTest {

    private static final String LONG = "Export samples, trajectories and metrics of both models as CSV files";

    private Stage stage;
    private final StackPane root = new StackPane();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(root, 400, 300));
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    private List<String> check(FxRobot robot, Region content) {
        List<String> problems = new ArrayList<>();
        robot.interact(() -> root.getChildren().setAll(content));
        problems.addAll(LayoutCheck.problemsAt(stage, 400, 300, root));
        return problems;
    }

    private static Button fullWidth(String text) {
        Button b = new Button(text);
        b.setMaxWidth(Double.MAX_VALUE);
        return b;
    }

    @Test
    void aCleanColumnPasses(FxRobot robot) {
        Button b = fullWidth(LONG);
        b.setWrapText(true);
        b.setMinHeight(Region.USE_PREF_SIZE);
        Label text = new Label(LONG + " " + LONG);
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE);
        ScrollPane scroll = new ScrollPane(new VBox(6, b, text, new Button("OK")));
        scroll.setFitToWidth(true);
        assertThat(check(robot, scroll)).isEmpty();
    }

    @Test
    void buttonsInAScrollPaneWiderThanTheViewportAreFound(FxRobot robot) {
        // the Actions tab as it was: the column takes its widest label's width and the viewport cuts it
        Label unwrapped = new Label(LONG + " " + LONG);
        ScrollPane scroll = new ScrollPane(new VBox(6, fullWidth("Train"), unwrapped));
        assertThat(check(robot, scroll)).anyMatch(p -> p.contains("cut at the side of its scroll pane"));
    }

    @Test
    void anEllipsisedLabelIsFound(FxRobot robot) {
        Label label = new Label(LONG);
        label.setMaxWidth(120);
        assertThat(check(robot, new VBox(label))).anyMatch(p -> p.contains("is cut: shows"));
    }

    @Test
    void aButtonNarrowerThanItsLabelIsFound(FxRobot robot) {
        Button button = new Button(LONG);
        button.setTextOverrun(javafx.scene.control.OverrunStyle.CLIP);
        button.setEllipsisString("");
        button.setMaxWidth(100);
        button.setMinWidth(100);
        List<String> problems = check(robot, new VBox(button));
        assertThat(problems).anyMatch(p -> p.contains("Button") && (p.contains("narrower") || p.contains("is cut")));
    }

    @Test
    void aControlPushedOutOfTheWindowIsFound(FxRobot robot) {
        // a long job title pushing the Cancel button out of the panel
        Label title = new Label(LONG + LONG);
        title.setMinWidth(Region.USE_PREF_SIZE);
        Button cancel = new Button("Cancel");
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(6, title, cancel);
        assertThat(check(robot, new VBox(row))).anyMatch(p -> p.contains("Cancel") && p.contains("outside"));
    }

    @Test
    void problemsOnAnyTabAreFound(FxRobot robot) {
        Label cut = new Label(LONG);
        cut.setMaxWidth(90);
        TabPane tabs = new TabPane(new Tab("First", new Label("fine")), new Tab("Second", new VBox(cut)));
        List<String> problems = check(robot, tabs);
        assertThat(problems).anyMatch(p -> p.contains("[tab Second]") && p.contains("is cut"));
        assertThat(tabs.getSelectionModel().getSelectedIndex()).as("the selection is restored").isZero();
    }
}
