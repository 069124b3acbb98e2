package org.flowbench.app.shell;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import org.controlsfx.control.PopOver;
import org.controlsfx.control.TaskProgressView;

/**
 * The running jobs in the status bar: the newest job's progress, title and message, its Cancel
 * button, and a button that opens the list of every running job (each with its own Cancel).
 * Jobs live here rather than in a panel of their own so that the page keeps the window's width
 * while nothing runs.
 */
final class JobsIndicator extends HBox {

    private static final double LIST_WIDTH = 380;
    private static final double LIST_HEIGHT = 260;
    private static final double ARROW_CLEARANCE = 14;
    /** Characters of a job's title shown in the status bar; the label is sized to hold them. */
    static final int TITLE_CHARACTERS = 44;
    /** The least of a job's title kept when its message is long. */
    private static final int MIN_TITLE_CHARACTERS = 8;

    private final TaskProgressView<Task<?>> jobs;
    private final ProgressBar progress = new ProgressBar();
    private final Label title = new Label();
    private final Button cancel = new Button("Cancel");
    private final Button list = new Button();
    private final PopOver popOver;
    private long autoHiddenAt = System.nanoTime() - 1_000_000_000L;

    JobsIndicator(TaskProgressView<Task<?>> jobs) {
        super(6);
        this.jobs = jobs;
        setId("jobsIndicator");
        setAlignment(Pos.CENTER_LEFT);
        progress.setId("jobProgress");
        progress.setPrefWidth(110);
        title.setId("jobTitle");
        title.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        cancel.setId("jobCancel");
        cancel.setTooltip(new Tooltip("Cancel the newest job"));
        list.setId("jobsList");
        list.setTooltip(new Tooltip("Every running job, each with its progress and Cancel"));
        jobs.setId("jobsPanel");
        jobs.setPrefSize(LIST_WIDTH, LIST_HEIGHT);
        popOver = new PopOver(jobs);
        popOver.setTitle("Jobs");
        popOver.setHeaderAlwaysVisible(true);
        popOver.setDetachable(false);
        // a click outside closes the list and still reaches what it was aimed at (the Cancel beside it)
        popOver.setConsumeAutoHidingEvents(false);
        popOver.setArrowLocation(PopOver.ArrowLocation.BOTTOM_RIGHT);
        // The press on this button that closes the list (auto-hide) must not open it again on release.
        popOver.setOnAutoHide(e -> autoHiddenAt = System.nanoTime());
        list.setOnAction(e -> {
            if (System.nanoTime() - autoHiddenAt > 300_000_000L) {
                toggleList();
            }
        });
        getChildren().addAll(progress, title, cancel, list);
        jobs.getTasks().addListener((ListChangeListener<Task<?>>) change -> showNewest());
        showNewest();
    }

    /** Opens the list of running jobs above the status bar, or closes it. */
    void toggleList() {
        if (popOver.isShowing()) {
            popOver.hide();
        } else {
            // The arrow's tip a little above the button, so that the list's window (shadow included)
            // leaves the button free for the click that closes it.
            javafx.geometry.Bounds button = list.localToScreen(list.getLayoutBounds());
            popOver.show(list, button.getCenterX(), button.getMinY() - ARROW_CLEARANCE);
        }
    }

    /** The job's title and, when it has one, its message. */
    static String describe(Task<?> job) {
        String message = job.getMessage();
        return message == null || message.isBlank() ? job.getTitle() : job.getTitle() + " \u2014 " + message;
    }

    /** At most {@link #TITLE_CHARACTERS} characters, the end of a longer text replaced by an ellipsis (the tooltip has it all). */
    static String shortened(String text) {
        if (text == null || text.length() <= TITLE_CHARACTERS) {
            return text;
        }
        return text.substring(0, TITLE_CHARACTERS - 1).stripTrailing() + "\u2026";
    }

    /**
     * The job's title and message in at most {@link #TITLE_CHARACTERS} characters: the title is
     * cut before the message, which says how far the job has got ("step 850 of 2000"), down to a
     * few characters; then the message's end is cut.
     */
    static String shortened(Task<?> job) {
        return shortened(job.getTitle(), job.getMessage());
    }

    /** As {@link #shortened(Task)}, for a title and a message. */
    static String shortened(String title, String message) {
        title = title == null ? "" : title;
        if (message == null || message.isBlank()) {
            return shortened(title);
        }
        String whole = title + " \u2014 " + message;
        if (whole.length() <= TITLE_CHARACTERS) {
            return whole;
        }
        int titleRoom = Math.max(MIN_TITLE_CHARACTERS, TITLE_CHARACTERS - 3 - message.length());
        String shortTitle = title.length() <= titleRoom ? title : title.substring(0, titleRoom - 1).stripTrailing() + "\u2026";
        return shortened(shortTitle + " \u2014 " + message);
    }

    private void showNewest() {
        int count = jobs.getTasks().size();
        Task<?> newest = count == 0 ? null : jobs.getTasks().get(count - 1);
        progress.progressProperty().unbind();
        title.textProperty().unbind();
        boolean running = newest != null;
        for (javafx.scene.Node n : new javafx.scene.Node[] {progress, title, cancel}) {
            n.setVisible(running);
            n.setManaged(running);
        }
        list.setText(count == 0 ? "No jobs" : count == 1 ? "1 job\u2026" : count + " jobs\u2026");
        if (running) {
            progress.progressProperty().bind(newest.progressProperty());
            title.textProperty().bind(Bindings.createStringBinding(() -> shortened(newest),
                    newest.titleProperty(), newest.messageProperty()));
            Tooltip whole = new Tooltip();
            whole.textProperty().bind(Bindings.createStringBinding(() -> describe(newest),
                    newest.titleProperty(), newest.messageProperty()));
            title.setTooltip(whole);
            cancel.setOnAction(e -> newest.cancel());
        } else {
            cancel.setOnAction(null);
            if (popOver.isShowing()) {
                popOver.hide();
            }
        }
    }
}
