package org.flowbench.views.norm;

import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.flowbench.compute.norm.playground.NormPlayground;
import org.flowbench.compute.norm.playground.PlaygroundInput;
import org.flowbench.compute.norm.playground.PlaygroundLayer;
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
 * The Norm layers page as a user meets it, headless (Monocle): pick a preset and a layer from
 * the drop-downs, wait for the run, switch views, export the figure and its table, and check the
 * layout at 1280 x 800 and 1024 x 700 in every view.
 */
@ExtendWith(ApplicationExtension.class)
class NormLayersPageFxTest {

    @TempDir
    Path dir;

    private Stage stage;
    private NormLayersPage page;
    private final ScriptedDialogs dialogs = new ScriptedDialogs();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        page = new NormLayersPage(TestLabContexts.fx(new FxTaskExecutor(task -> { }), new DeviceSelection(), dialogs));
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

    private boolean shows(PlaygroundLayer layer, PlaygroundInput input) {
        NormPlayground.Result r = page.model().resultProperty().get();
        return r != null && !page.model().runningProperty().get() && r.settings().layer() == layer
                && r.settings().input() == input;
    }

    @Test
    void pickPresetAndLayerRunSwitchViewExport(FxRobot robot) throws Exception {
        waitUntil("the first run", () -> shows(PlaygroundLayer.BATCHNORM, PlaygroundInput.IMAGE));
        FigureCanvas canvas = robot.lookup("#normLayersCanvas").queryAs(FigureCanvas.class);
        assertThat(page.currentFigure()).isPresent();

        robot.clickOn("#presetChoice").clickOn("tokens");
        robot.clickOn("#layerChoice").clickOn("PowerNorm");
        waitUntil("PowerNorm on tokens", () -> shows(PlaygroundLayer.POWERNORM, PlaygroundInput.TOKENS));
        long paints = canvas.paintCount();
        robot.clickOn("#view-fluctuation");
        assertThat(page.model().figureProperty().get().view()).isEqualTo(NormLayersView.FLUCTUATION);
        assertThat(canvas.paintCount()).isGreaterThan(paints);
        Label status = robot.lookup("#normLayersStatus").queryAs(Label.class);
        assertThat(status.getText()).startsWith("PowerNorm on tokens [256, 64]").contains("batch vs running quadratic mean");

        for (ExportFormat format : ExportFormat.values()) {
            Path out = dir.resolve("fluctuation." + format.name().toLowerCase(java.util.Locale.ROOT));
            FigureExporter.export(page.currentFigure().orElseThrow(), format, 1000, 620, 1.0, out);
            assertThat(Files.size(out)).isGreaterThan(1000);
        }
        Path csv = dir.resolve("fluctuation.csv");
        dialogs.file(csv);
        robot.clickOn("#exportCsvButton");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("batch,channel,batch_statistic,divided_by,running_statistic");
        assertThat(lines).hasSize(1 + 100 * 64);

        // a set-up whose values do not fit together shows one line and keeps the result
        NormPlayground.Result kept = page.model().resultProperty().get();
        robot.interact(() -> page.applySetup(Map.of("groups", "5", "layer", "gn")));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(status.getText()).isEqualTo("groups must divide the 64 channels of the tokens preset, got 5");
        assertThat(page.model().resultProperty().get()).isSameAs(kept);
    }

    @Test
    void everyViewLaysOutCleanlyAtBothWindowSizes(FxRobot robot) throws Exception {
        String[][] setups = {
                {"axes", "batchnorm", "image"},
                {"histograms", "layernorm", "tokens"},
                {"fluctuation", "powernorm", "tokens"},
                {"running", "batchnorm", "micro"},
                {"folding", "unified", "image"},
                {"axes", "batch-channel", "micro"},
        };
        List<String> problems = new ArrayList<>();
        for (String[] s : setups) {
            robot.interact(() -> page.applySetup(Map.of("view", s[0], "layer", s[1], "preset", s[2], "micro", "1")));
            waitUntil(s[1] + " on " + s[2], () -> shows(PlaygroundLayer.byId(s[1]), PlaygroundInput.byId(s[2])));
            for (int[] size : new int[][] {{1280, 800}, {1024, 700}}) {
                problems.addAll(LayoutCheck.problemsAt(stage, size[0], size[1], page.node()));
                WaitForAsyncUtils.waitForFxEvents();
                robot.interact(() -> {
                    try {
                        PageShots.save(page.node(), "normplay-layers-" + s[0] + "-" + s[1] + "-" + size[0] + "x" + size[1]);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }
}
