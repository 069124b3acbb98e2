package org.flowbench.views.lab;

import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.Objects;

/**
 * The top of a lab's page: its title and, under it, one line with the newest news. A status
 * shows until the next problem, a problem (marked as one) until the next status; when the
 * problem is cleared while it shows, the status comes back. The whole text is the line's tooltip.
 */
public final class PageHeader extends VBox {

    private static final String PROBLEM_STYLE = "inspector-problem";

    private final Label message = new Label();

    /**
     * @param title     the page's title
     * @param messageId the node id of the status line (tests and the layout check find it by it)
     * @param status    the lab's status
     * @param problem   the lab's last problem in one line, or null
     */
    public PageHeader(String title, String messageId, ObservableValue<String> status, ObservableValue<String> problem) {
        super(2);
        Objects.requireNonNull(status, "status");
        Label heading = new Label(title);
        heading.getStyleClass().add("page-title");
        heading.setMinWidth(Region.USE_PREF_SIZE);
        message.setId(messageId);
        message.getStyleClass().add("page-text");
        message.setWrapText(true);
        message.setMaxWidth(Double.MAX_VALUE);
        // two lines are reserved, so a message (or an error in its place) does not push the page down
        message.setMinHeight(2.6 * 15);
        message.setAlignment(Pos.TOP_LEFT);
        show(status.getValue(), false);
        status.addListener((obs, before, now) -> show(now, false));
        problem.addListener((obs, before, now) -> {
            if (now != null) {
                show(now, true);
            } else if (message.getStyleClass().contains(PROBLEM_STYLE)) {
                show(status.getValue(), false);
            }
        });
        getChildren().setAll(heading, message);
        setPadding(new Insets(10, 16, 4, 16));
    }

    /** Shows {@code text} on the line now (a problem marked as one); the lab's next status or problem replaces it. */
    public void show(String text, boolean problem) {
        message.setText(text == null ? "" : problem ? "Problem: " + text : text);
        message.getStyleClass().remove(PROBLEM_STYLE);
        if (problem) {
            message.getStyleClass().add(PROBLEM_STYLE);
        }
        message.setTooltip(text == null || text.isEmpty() ? null : new Tooltip(message.getText()));
    }

    /** The line under the title. */
    public Label messageLabel() {
        return message;
    }
}
