package org.flowbench.views.norm;

import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.flowbench.compute.norm.invariance.InvarianceOptimizer;
import org.flowbench.views.figure.FigureCanvas;
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

    private final PlaygroundPageFx<ScaleInvariancePage> fx = new PlaygroundPageFx<>(ScaleInvariancePage::new);
    private ScaleInvariancePage page;

    @Start
    void start(Stage stage) {
        fx.start(stage);
        page = fx.page();
    }

    private boolean idle() {
        return page.model().runsProperty().get() != null && page.model().trainingProperty().get() != null
                && !page.model().runningProperty().get();
    }

    @Test
    void pickOptimizerTypeRateSwitchViewExport(FxRobot robot) throws Exception {
        fx.waitUntil("both jobs", this::idle);
        FigureCanvas canvas = robot.lookup("#scaleInvarianceCanvas").queryAs(FigureCanvas.class);
        // the choices are named as the legend names them
        assertThat(robot.lookup("#optimizerChoice").lookup(".list-cell").queryAllAs(javafx.scene.control.ListCell.class))
                .extracting(javafx.scene.control.ListCell::getText).contains("SGDP");
        robot.clickOn("#optimizerChoice").clickOn("AdamP");
        assertThat(page.model().figureProperty().get().highlight()).isEqualTo(InvarianceOptimizer.ADAMP);

        var before = page.model().runsProperty().get();
        robot.doubleClickOn("#lrField").eraseText(6).write("0.05").type(javafx.scene.input.KeyCode.ENTER);
        fx.waitUntil("the runs at lr 0.05", () -> idle() && page.model().runsProperty().get() != before);
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
        fx.exportsTheFigureInEveryFormat(dir, "bn");
        Path csv = dir.resolve("bn.csv");
        fx.dialogs().file(csv);
        robot.clickOn("#scaleCsvButton");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("step,trained,accuracy,loss");
        assertThat(lines).hasSize(1 + 3 * 301);
    }

    @Test
    void everyViewLaysOutCleanlyAtBothWindowSizes(FxRobot robot) throws Exception {
        fx.waitUntil("both jobs", this::idle);
        List<String> problems = new ArrayList<>();
        for (ScaleInvarianceView v : ScaleInvarianceView.values()) {
            robot.interact(() -> page.applySetup(Map.of("view", v.id())));
            fx.waitUntil(v.id(), this::idle);
            problems.addAll(fx.layoutProblemsAtBothWindowSizes(robot, "normplay-scale-" + v.id()));
        }
        assertThat(problems).isEmpty();
    }
}
