package org.flowbench.app.shell;

import javafx.concurrent.Task;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.controlsfx.control.TaskProgressView;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.layout.LayoutCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window with each lab at 1280x800 and 1024x700 passes the layout check (every tab and
 * inspector section); a long job keeps its Cancel button in the status bar and in the jobs list; the window has a
 * minimum size; F1 lists the page keys.
 */
@ExtendWith(ApplicationExtension.class)
class MainWindowLayoutTest {

    private static final String SETTINGS_NODE = "/org/flowbench/test-" + UUID.randomUUID();

    private ShellModel model;
    private MainWindow window;
    private Stage stage;
    private TaskProgressView<Task<?>> jobs;

    @BeforeAll
    static void isolateSettings() {
        System.setProperty("flowbench.settings.node", SETTINGS_NODE);
    }

    @AfterAll
    static void dropSettings() throws Exception {
        Preferences.userRoot().node(SETTINGS_NODE).removeNode();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        jobs = new TaskProgressView<>();
        FxTaskExecutor executor = new FxTaskExecutor(task -> jobs.getTasks().add(task));
        DeviceSelection devices = new DeviceSelection();
        model = new ShellModel(Labs.descriptors(), AppTestContexts.fx(executor, devices), null);
        window = new MainWindow(stage, model, Settings.load(), jobs, devices);
        stage.setX(0);
        stage.setY(0);
        stage.show();
        stage.requestFocus();
    }

    /** The window's content without the status bar, whose device line is the shell's own (checked on its own below). */
    private Node checked() {
        return window.root().lookup("#workspace").getParent();
    }

    @Test
    void everyLabLaysOutCleanlyAtBothSizes(FxRobot robot) throws Exception {
        Lab trajectories = model.currentLab();
        WaitForAsyncUtils.waitFor(180, java.util.concurrent.TimeUnit.SECONDS,
                () -> trajectories.currentFigure().isPresent());
        List<String> problems = new ArrayList<>();
        for (org.flowbench.views.lab.LabDescriptor lab : model.descriptors()) {
            robot.interact(() -> model.selectLab(lab.id()));
            for (String p : LayoutCheck.problemsAt(stage, 1280, 800, window.root())) {
                problems.add(lab.id() + " " + p);
            }
            for (String p : LayoutCheck.problemsAt(stage, 1024, 700, window.root())) {
                problems.add(lab.id() + " " + p);
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * Three steps of View > Zoom in (1.331, a projector's setting) at 1280 x 800: the inspector and
     * the navigator widen with their text and the Play button with its label, so nothing is cut.
     */
    @Test
    void everyLabLaysOutCleanlyThreeZoomStepsInAt1280x800(FxRobot robot) throws Exception {
        Lab trajectories = model.currentLab();
        WaitForAsyncUtils.waitFor(180, java.util.concurrent.TimeUnit.SECONDS,
                () -> trajectories.currentFigure().isPresent());
        List<String> problems = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                robot.interact(window.actions()::zoomIn);
            }
            for (org.flowbench.views.lab.LabDescriptor lab : model.descriptors()) {
                robot.interact(() -> model.selectLab(lab.id()));
                for (String p : LayoutCheck.problemsAt(stage, 1280, 800, window.root())) {
                    problems.add(lab.id() + " " + p);
                }
            }
            Node side = window.root().lookup("#sidePanels");
            assertThat(side.getLayoutBounds().getWidth()).as("inspector widened with the zoom")
                    .isGreaterThan(MainWindow.SIDE_PANELS_WIDTH);
        } finally {
            robot.interact(window.actions()::zoomReset);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aLongJobTitleKeepsCancelInThePanel(FxRobot robot) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch titled = new CountDownLatch(1);
        Task<Void> job = new Task<>() {
            @Override
            protected Void call() throws Exception {
                updateTitle("Export animation to /home/someone/a/very/long/folder/name/that/goes/on/and/on/for/ever/trajectories");
                updateMessage("frame 3 of 60");
                titled.countDown();
                release.await();
                return null;
            }
        };
        robot.interact(() -> jobs.getTasks().add(job));
        Thread worker = new Thread(job);
        worker.setDaemon(true);
        worker.start();
        assertThat(titled.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        LayoutCheck.problemsAt(stage, 1024, 700, window.root());
        WaitForAsyncUtils.waitForFxEvents();
        // The status bar shows the newest job, its title cut before its progress message, with its Cancel inside the window.
        String shown = robot.lookup("#jobTitle").queryLabeled().getText();
        assertThat(shown).startsWith("Export animation").endsWith(" \u2014 frame 3 of 60");
        assertThat(shown.length()).isLessThanOrEqualTo(JobsIndicator.TITLE_CHARACTERS);
        assertThat(JobsIndicator.shortened("Train 1-RF to moons (20000 steps)", "step 3200 of 20000, loss 0.9123"))
                .isEqualTo("Train 1-R\u2026 \u2014 step 3200 of 20000, loss 0.9123");
        Node statusCancel = robot.lookup("#jobCancel").query();
        Bounds statusButton = statusCancel.localToScene(statusCancel.getLayoutBounds());
        assertThat(statusCancel.isVisible()).isTrue();
        assertThat(statusButton.getMaxX()).as("Cancel inside the window").isLessThanOrEqualTo(stage.getScene().getWidth());
        assertThat(statusButton.getMinX()).isGreaterThanOrEqualTo(0);
        assertThat(robot.lookup("#jobsList").queryButton().getText()).isEqualTo("1 job\u2026");
        // The list of jobs keeps each job's Cancel inside it, however long the title.
        robot.clickOn("#jobsList");
        WaitForAsyncUtils.waitForFxEvents();
        Node cancel = robot.lookup("#jobsPanel .task-cancel-button").query();
        Node panel = robot.lookup("#jobsPanel").query();
        Bounds button = cancel.localToScene(cancel.getLayoutBounds());
        Bounds area = panel.localToScene(panel.getLayoutBounds());
        assertThat(button.getMaxX()).as("Cancel inside the jobs list").isLessThanOrEqualTo(area.getMaxX());
        assertThat(button.getMinX()).isGreaterThanOrEqualTo(area.getMinX());
        assertThat(cancel.isVisible()).isTrue();
        robot.clickOn("#jobsList");
        // a second click closes the list (after its fade-out)
        WaitForAsyncUtils.waitFor(5, java.util.concurrent.TimeUnit.SECONDS,
                () -> robot.lookup("#jobsPanel").tryQuery().isEmpty());
        robot.clickOn("#jobCancel");
        WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS, job::isCancelled);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#jobsList").queryButton().getText()).isEqualTo("No jobs");
        assertThat(robot.lookup("#jobCancel").query().isVisible()).isFalse();
        release.countDown();
    }

    @Test
    void aLongFailureKeepsTheStatusBarsButtonsAndLabelsWholeAndShowsAllOfItsText(FxRobot robot) throws Exception {
        Lab trajectories = model.currentLab();
        WaitForAsyncUtils.waitFor(180, java.util.concurrent.TimeUnit.SECONDS,
                () -> trajectories.currentFigure().isPresent() && jobs.getTasks().isEmpty());
        robot.interact(() -> model.showFailure("Could not open model-with-a-long-name.safetensors",
                new java.io.IOException("model-with-a-long-name.safetensors: not a safetensors file: the 8-byte header "
                        + "length is not followed by a JSON header (the file may be truncated or of another format)")));
        Node bar = robot.lookup("#statusBar").query();
        for (double[] size : new double[][] {{1280, 800}, {1024, 700}}) {
            LayoutCheck.problemsAt(stage, size[0], size[1], window.root());
            List<String> problems = new ArrayList<>();
            robot.interact(() -> problems.addAll(LayoutCheck.problems(bar)));
            assertThat(problems).as("status bar at %sx%s", size[0], size[1]).isEmpty();
            assertThat(bar.getLayoutBounds().getHeight()).as("at most three lines").isLessThan(80);
        }
        robot.interact(() -> model.showMessage("Ready"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(bar.getLayoutBounds().getHeight()).as("one line again").isLessThan(40);
    }

    @Test
    void aLabWithoutParametersGivesThePageTheInspectorsWidth(FxRobot robot) {
        robot.interact(() -> model.selectLab("normalization"));
        assertThat(robot.lookup("#sidePanels").tryQuery()).as("no empty inspector beside the page").isEmpty();
        double alone = robot.lookup("#workspace").query().getLayoutBounds().getWidth();
        robot.interact(() -> model.selectLab("poincare"));
        assertThat(robot.lookup("#sidePanels").tryQuery()).isPresent();
        double beside = robot.lookup("#workspace").query().getLayoutBounds().getWidth();
        assertThat(alone).isGreaterThan(beside + MainWindow.SIDE_PANELS_MIN_WIDTH - 1);
        robot.interact(() -> model.selectLab("trajectories"));
    }

    @Test
    void theWindowHasAMinimumSizeAndShrinksTheSidePanelsFirst(FxRobot robot) {
        assertThat(stage.getMinWidth()).isEqualTo(MainWindow.MIN_WIDTH);
        assertThat(stage.getMinHeight()).isEqualTo(MainWindow.MIN_HEIGHT);
        List<String> small = new ArrayList<>();
        small.addAll(LayoutCheck.problemsAt(stage, 800, 600, window.root()));
        assertThat(small).noneMatch(p -> p.contains("the window shows"));
        Node side = robot.lookup("#sidePanels").query();
        Node workspace = robot.lookup("#workspace").query();
        assertThat(side.getLayoutBounds().getWidth()).isLessThan(MainWindow.SIDE_PANELS_WIDTH);
        assertThat(workspace.getLayoutBounds().getWidth()).as("the page keeps most of the width").isGreaterThan(330);
        // (Monocle's headless screen is 1280x800: the window cannot grow beyond it here)
        List<String> large = new ArrayList<>();
        large.addAll(LayoutCheck.problemsAt(stage, 1280, 800, window.root()));
        assertThat(large).noneMatch(p -> p.contains("the window shows"));
        assertThat(side.getLayoutBounds().getWidth()).isLessThanOrEqualTo(MainWindow.SIDE_PANELS_WIDTH + 1);
        assertThat(workspace.getLayoutBounds().getWidth()).as("the page takes what the window gains (window %s, scene %s, center %s)",
                stage.getWidth(), stage.getScene().getWidth(), workspace.getParent().getParent().getLayoutBounds())
                .isGreaterThan(700);
    }

    @Test
    void theShortcutListNamesThePageKeys() {
        List<String> keys = Shortcut.ALL.stream().map(Shortcut::getKeys).toList();
        assertThat(keys).contains("Space", "Left / Right", "Home / End", "+ / \u2212", "0");
    }
}
