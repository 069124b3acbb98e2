package org.flowbench.views.lab;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;

/**
 * The pieces of a lab's side column of actions and text: section headings, paragraphs that wrap,
 * and full-width buttons whose labels wrap onto a second line rather than being cut.
 */
public final class ActionColumn {

    private ActionColumn() {
    }

    /** A section heading that keeps its whole width. */
    public static Label heading(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("section-heading");
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }

    /** A paragraph that wraps to the column's width and keeps the height of all its lines. */
    public static Label wrapped(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.setMaxWidth(Double.MAX_VALUE);
        // a wrapped label asks for the height of all its lines; never squeeze it into fewer
        label.setMinHeight(Region.USE_PREF_SIZE);
        return label;
    }

    /** A full-width button whose label wraps onto a second line rather than being cut. */
    public static Button button(String text, String id, String tip, Runnable run) {
        Button b = new Button(text);
        b.setId(id);
        b.setMaxWidth(Double.MAX_VALUE);
        b.setWrapText(true);
        b.setMinHeight(Region.USE_PREF_SIZE);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> run.run());
        return b;
    }
}
