package org.flowbench.views.norm;

import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.flowbench.compute.norm.invariance.InvarianceOptimizer;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.lab.ScriptedDialogs;
import org.flowbench.views.lab.TestLabContexts;
import org.flowbench.views.layout.LayoutCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Scale invariance page headless (Monocle): pick the highlighted optimizer, type a learning
 * rate (and a bad one), switch views, export the figure and its table, and check the layout at
 * 1280 x 800 and 1024 x 700 in every view.
 */
@ExtendWith(ApplicationExtension.class)
class ScaleInvariancePageFxTest {

    @TempDir
    Path dir;

    private Stage stage;
    private ScaleInvariancePage page;
    private final ScriptedDialogs dialogs = new ScriptedDialogs();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        page = new ScaleInvariancePage(TestLabContexts.fx(new FxTaskExecutor(task -> { }), new DeviceSelection(), dialogs));
        stage.setScene(new Scene((Parent) page.node(), 1260, 780));
        stage.sizeToScene();
        stage.setX(0);
        stage.setY(0);
        stage.show();
        // as the lab does when the tab comes on screen: the page computes from then on
        page.onShown();
        stage.requestFocus();
    }

    private void waitUntil(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + " (problem: "
                    + page.model().problemProperty().get() + ")", e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private boolean idle() {
        return page.model().runsProperty().get() != null && page.model().trainingProperty().get() != null
                && !page.model().runningProperty().get();
    }

    @Test
    void pickOptimizerTypeRateSwitchViewExport(FxRobot robot) throws Exception {
        waitUntil("both jobs", this::idle);
        FigureCanvas canvas = robot.lookup("#scaleInvarianceCanvas").queryAs(FigureCanvas.class);
        robot.clickOn("#optimizerChoice").clickOn("adamp");
        assertThat(page.model().figureProperty().get().highlight()).isEqualTo(InvarianceOptimizer.ADAMP);

        var before = page.model().runsProperty().get();
        robot.doubleClickOn("#lrField").eraseText(6).write("0.05").type(javafx.scene.input.KeyCode.ENTER);
        waitUntil("the runs at lr 0.05", () -> idle() && page.model().runsProperty().get() != before);
        assertThat(page.model().lr().get()).isEqualTo(0.05);

        Label status = robot.lookup("#scaleInvarianceStatus").queryAs(Label.class);
        robot.doubleClickOn("#lrField").eraseText(6).write("-3").type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(status.getText()).isEqualTo("Learning rate: must be between 1.0E-4 and 10.0 (got -3.0)");
        assertThat(page.model().lr().get()).isEqualTo(0.05);

        long paints = canvas.paintCount();
        robot.clickOn("#view-bn-only");
        assertThat(canvas.paintCount()).isGreaterThan(paints);
        assertThat(page.model().figureProperty().get().view()).isEqualTo(ScaleInvarianceView.BN_ONLY);
        for (ExportFormat format : ExportFormat.values()) {
            Path out = dir.resolve("bn." + format.name().toLowerCase(java.util.Locale.ROOT));
            FigureExporter.export(page.currentFigure().orElseThrow(), format, 1000, 620, 1.0, out);
            assertThat(Files.size(out)).isGreaterThan(1000);
        }
        Path csv = dir.resolve("bn.csv");
        dialogs.file(csv);
        robot.clickOn("#scaleCsvButton");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("step,trained,accuracy,loss");
        assertThat(lines).hasSize(1 + 3 * 301);
    }

    @Test
    void everyViewLaysOutCleanlyAtBothWindowSizes(FxRobot robot) throws Exception {
        waitUntil("both jobs", this::idle);
        List<String> problems = new ArrayList<>();
        for (ScaleInvarianceView v : ScaleInvarianceView.values()) {
            robot.interact(() -> page.applySetup(Map.of("view", v.id())));
            waitUntil(v.id(), this::idle);
            for (int[] size : new int[][] {{1280, 800}, {1024, 700}}) {
                problems.addAll(LayoutCheck.problemsAt(stage, size[0], size[1], page.node()));
                WaitForAsyncUtils.waitForFxEvents();
                robot.interact(() -> {
                    try {
                        PageShots.save(page.node(), "normplay-scale-" + v.id() + "-" + size[0] + "x" + size[1]);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }
}
