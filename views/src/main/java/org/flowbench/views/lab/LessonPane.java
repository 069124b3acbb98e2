package org.flowbench.views.lab;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A lesson as a reader meets it: section titles, paragraphs wrapped to the width of the pane
 * (it scrolls vertically, never sideways), and under each section with a set-up line a
 * "Set this up" button that hands the section's parameter values to the lab.
 */
public final class LessonPane extends ScrollPane {

    private final VBox content = new VBox(6);

    /**
     * @param lesson the lesson to show
     * @param setUp  receives a section's parameter values (key to text) when its button is pressed
     */
    public LessonPane(Lesson lesson, Consumer<Map<String, String>> setUp) {
        Objects.requireNonNull(setUp, "setUp");
        content.setPadding(new Insets(10, 12, 12, 10));
        content.setId("lessonPane");
        content.getStyleClass().add("lesson");
        int index = 0;
        for (Lesson.Section section : lesson.sections()) {
            Label title = ActionColumn.wrapped(section.title());
            title.getStyleClass().add("lesson-title");
            if (index > 0) {
                VBox.setMargin(title, new Insets(8, 0, 0, 0));
            }
            content.getChildren().add(title);
            for (String paragraph : section.paragraphs()) {
                Label text = ActionColumn.wrapped(paragraph);
                text.getStyleClass().add("lesson-text");
                content.getChildren().add(text);
            }
            if (!section.setup().isEmpty()) {
                Map<String, String> values = section.setup();
                Button button = new Button("Set this up");
                button.setId("lessonSetUp" + index);
                button.setMinWidth(Region.USE_PREF_SIZE);
                button.setTooltip(new Tooltip("Sets " + values.entrySet().stream()
                        .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", "))));
                button.setOnAction(e -> setUp.accept(values));
                content.getChildren().add(button);
            }
            index++;
        }
        setContent(content);
        setFitToWidth(true);
        setHbarPolicy(ScrollBarPolicy.NEVER);
        getStyleClass().add("lesson-scroll");
    }

    /** Reads {@code /assets/lessons/<labId>.md} and shows it. */
    public static LessonPane forLab(String labId, Consumer<Map<String, String>> setUp) {
        return new LessonPane(Lesson.load(labId), setUp);
    }

    /** The column of titles, paragraphs and buttons inside the scroll pane. */
    public VBox column() {
        return content;
    }

}
