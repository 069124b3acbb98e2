package org.flowbench.views.lab;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.flowbench.views.layout.LayoutCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lessons: parsing, where they live, and the pane that wraps them and hands over set-ups. */
@ExtendWith(ApplicationExtension.class)
class LessonTest {

    private static final String TEXT = "# Title\n\n## First\nline one\nline two\n\nsecond paragraph\n"
            + "setup: solver=heun, steps=3\n## Second\n" + "a long paragraph that must wrap ".repeat(12) + "\n";

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void parsesSectionsParagraphsAndSetups() {
        Lesson lesson = Lesson.parse(TEXT);
        assertThat(lesson.sections()).hasSize(2);
        Lesson.Section first = lesson.sections().get(0);
        assertThat(first.paragraphs()).containsExactly("line one line two", "second paragraph");
        assertThat(first.setup()).containsExactly(Map.entry("solver", "heun"), Map.entry("steps", "3"));
        assertThat(lesson.sections().get(1).setup()).isEmpty();
    }

    @Test
    void lessonsLiveUnderTheLabsId() {
        assertThat(Lesson.resource("gflownets")).isEqualTo("/assets/lessons/gflownets.md");
        assertThatThrownBy(() -> Lesson.resource("../secret")).hasMessageContaining("lab id");
        assertThat(Lesson.load("no-such-lab").sections().get(0).text()).contains("assets/lessons/no-such-lab.md");
    }

    @Test
    void thePaneWrapsParagraphsAndHandsOverSetups(FxRobot robot) {
        List<Map<String, String>> applied = new ArrayList<>();
        LessonPane[] pane = new LessonPane[1];
        List<String> problems = new ArrayList<>();
        robot.interact(() -> {
            pane[0] = new LessonPane(Lesson.parse(TEXT), applied::add);
            stage.setScene(new Scene(pane[0], 300, 400));
            stage.show();
        });
        problems.addAll(LayoutCheck.problemsAt(stage, 300, 400, pane[0]));
        assertThat(problems).as("no paragraph cut at the pane's edge").isEmpty();
        Label longest = (Label) pane[0].column().getChildren().stream()
                .filter(n -> n instanceof Label l && l.getText().startsWith("a long")).findFirst().orElseThrow();
        assertThat(longest.getWidth()).isLessThanOrEqualTo(300);
        assertThat(longest.getHeight()).as("wrapped onto several lines").isGreaterThan(60);
        robot.clickOn(robot.lookup("#lessonSetUp0").queryAs(Button.class));
        assertThat(applied).containsExactly(Map.of("solver", "heun", "steps", "3"));
    }
}
