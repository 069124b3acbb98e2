package org.flowbench.views.norm;

import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.flowbench.compute.norm.playground.NormPlayground;
import org.flowbench.compute.norm.playground.PlaygroundInput;
import org.flowbench.compute.norm.playground.PlaygroundLayer;
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
 * The Norm layers page as a user meets it, headless (Monocle): pick a preset and a layer from
 * the drop-downs, wait for the run, switch views, export the figure and its table, and check the
 * layout at 1280 x 800 and 1024 x 700 in every view.
 */
@ExtendWith(ApplicationExtension.class)
class NormLayersPageFxTest {

    @TempDir
    Path dir;

    private final PlaygroundPageFx<NormLayersPage> fx = new PlaygroundPageFx<>(NormLayersPage::new);
    private NormLayersPage page;

    @Start
    void start(Stage stage) {
        fx.start(stage);
        page = fx.page();
    }

    private boolean shows(PlaygroundLayer layer, PlaygroundInput input) {
        NormPlayground.Result r = page.model().resultProperty().get();
        return r != null && !page.model().runningProperty().get() && r.settings().layer() == layer
                && r.settings().input() == input;
    }

    @Test
    void pickPresetAndLayerRunSwitchViewExport(FxRobot robot) throws Exception {
        fx.waitUntil("the first run", () -> shows(PlaygroundLayer.BATCHNORM, PlaygroundInput.IMAGE));
        FigureCanvas canvas = robot.lookup("#normLayersCanvas").queryAs(FigureCanvas.class);
        assertThat(page.currentFigure()).isPresent();

        robot.clickOn("#presetChoice").clickOn("tokens");
        robot.clickOn("#layerChoice").clickOn("PowerNorm");
        fx.waitUntil("PowerNorm on tokens", () -> shows(PlaygroundLayer.POWERNORM, PlaygroundInput.TOKENS));
        long paints = canvas.paintCount();
        robot.clickOn("#view-fluctuation");
        assertThat(page.model().figureProperty().get().view()).isEqualTo(NormLayersView.FLUCTUATION);
        assertThat(canvas.paintCount()).isGreaterThan(paints);
        Label status = robot.lookup("#normLayersStatus").queryAs(Label.class);
        assertThat(status.getText()).startsWith("PowerNorm on tokens [256, 64]").contains("batch vs running quadratic mean");

        fx.exportsTheFigureInEveryFormat(dir, "fluctuation");
        Path csv = dir.resolve("fluctuation.csv");
        fx.dialogs().file(csv);
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
            fx.waitUntil(s[1] + " on " + s[2], () -> shows(PlaygroundLayer.byId(s[1]), PlaygroundInput.byId(s[2])));
            problems.addAll(fx.layoutProblemsAtBothWindowSizes(robot, "normplay-layers-" + s[0] + "-" + s[1]));
        }
        assertThat(problems).isEmpty();
    }
}
