package org.flowbench.views.gflownet;

import javafx.geometry.Point2D;
import javafx.stage.Stage;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.lab.PageStage;
import org.flowbench.views.lab.ScriptedDialogs;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.awt.geom.Rectangle2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab as a user meets it, headless (Monocle): train a little, step the timeline back and
 * forth, sample a trajectory, click a grid cell to inspect a path to it, replay it cut short,
 * export CSV, the animation and the figure; the layout is clean at 1280 x 800 and 1024 x 700.
 */
@ExtendWith(ApplicationExtension.class)
class GflowNetsPageFxTest {

    @TempDir
    Path dir;

    private GflowNetsLab lab;
    private GflowNetsPage page;
    private Stage stage;
    private final ScriptedDialogs dialogs = new ScriptedDialogs();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        lab = new GflowNetsLab(TestLabContexts.fx(new FxTaskExecutor(task -> { }), new DeviceSelection(), dialogs), false);
        GfnParameters p = lab.params();
        p.environment.trySet("hypergrid:D=2,H=6");
        p.trajectories.trySet(640);
        p.snapshot.trySet(128);
        p.width.trySet(32);
        page = (GflowNetsPage) lab.view();
        PageStage.show(stage, page);
    }

    private void waitUntil(String what, Callable<Boolean> condition) throws Exception {
        PageStage.waitUntil(what, 180, condition, () -> lab.problemProperty().get());
    }

    @AfterEach
    void actualSize(FxRobot robot) {
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(1));
    }

    @Test
    void aClickOnAGridCellInspectsThatCellAtDisplayScaleOneAndOneAndAHalf(FxRobot robot) throws Exception {
        robot.clickOn("#gfnTrainButton");
        waitUntil("the trained run", () -> lab.runProperty().get() != null && lab.runProperty().get().finished()
                && !lab.busyProperty().get() && lab.inspectionProperty().get() != null);
        robot.interact(() -> lab.viewProperty().set(GflowNetsLab.View.GRID));
        FigureCanvas canvas = page.canvas(GflowNetsLab.View.GRID);
        int[][] cells = {{4, 5}, {1, 0}, {5, 2}};
        for (double scale : new double[] {1, 1.5}) {
            robot.interact(() -> FigureCanvas.sharedDisplayScale().set(scale));
            for (int[] cell : cells) {
                GfnGridFigure grid = (GfnGridFigure) canvas.getFigure();
                // where the cell is painted at this scale: the figure laid out in the canvas's size over the scale
                Rectangle2D area = new Rectangle2D.Double(0, 0, canvas.canvas().getWidth() / scale, canvas.canvas().getHeight() / scale);
                java.awt.geom.Point2D centre = grid.cellCentre(area, 0, cell[0] + 6 * cell[1]);
                GfnInspection before = lab.inspectionProperty().get();
                robot.clickOn(canvas.localToScreen(centre.getX() * scale, centre.getY() * scale));
                waitUntil("the clicked path", () -> lab.inspectionProperty().get() != before);
                assertThat(lab.inspectionProperty().get().full().last()).as("cell %s at scale %s", java.util.Arrays.toString(cell), scale)
                        .containsExactly(cell[0], cell[1]);
                robot.interact(() -> lab.viewProperty().set(GflowNetsLab.View.GRID));
                robot.sleep(600); // the next click must not make a double click
            }
        }
    }

    @Test
    void trainStepInspectAndExport(FxRobot robot) throws Exception {
        robot.clickOn("#gfnTrainButton");
        waitUntil("the trained run", () -> lab.runProperty().get() != null && lab.runProperty().get().finished()
                && !lab.busyProperty().get() && lab.inspectionProperty().get() != null);
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(lab.runProperty().get().frameCount()).isEqualTo(6);
        assertThat(page.messageLabel().getText()).startsWith("Trained 640 trajectories");

        // the timeline: back one snapshot, then to the start, then forward
        assertThat(lab.frameIndex()).isEqualTo(5);
        robot.clickOn("#stepBackButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lab.frameIndex()).isEqualTo(4);
        assertThat(((GfnGridFigure) lab.figureProperty(GflowNetsLab.View.GRID).get()).subtitle()).startsWith("512 trajectories");
        robot.interact(() -> lab.positionProperty().set(0));
        assertThat(((GfnGridFigure) lab.figureProperty(GflowNetsLab.View.GRID).get()).subtitle()).startsWith("0 trajectories");
        assertThat(page.timeline().infoLabel().getText()).startsWith("Snapshot 1 of 6");
        robot.clickOn("#stepForwardButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lab.frameIndex()).isEqualTo(1);

        // the Flows tab's toggle: learned minus true, then side by side again
        robot.interact(() -> lab.viewProperty().set(GflowNetsLab.View.FLOWS));
        robot.clickOn("#gfnFlowsDifference");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lab.params().flowDisplay.get()).isEqualTo("difference");
        assertThat(((GfnFlowFigure) page.canvas(GflowNetsLab.View.FLOWS).getFigure()).difference()).isTrue();
        robot.clickOn("#gfnFlowsSideBySide");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(((GfnFlowFigure) page.canvas(GflowNetsLab.View.FLOWS).getFigure()).difference()).isFalse();

        // sample a trajectory: the Trajectory tab comes up with its credit
        GfnInspection before = lab.inspectionProperty().get();
        robot.clickOn("#gfnSampleButton");
        waitUntil("a new inspection", () -> lab.inspectionProperty().get() != before);
        assertThat(page.figureTabs().getSelectionModel().getSelectedIndex()).isEqualTo(GflowNetsLab.View.CREDIT.ordinal());
        assertThat(lab.currentFigure().orElseThrow()).isInstanceOf(GfnCreditFigure.class);

        // click the grid cell (4, 5): a path to that state is inspected
        robot.interact(() -> lab.viewProperty().set(GflowNetsLab.View.GRID));
        FigureCanvas canvas = page.canvas(GflowNetsLab.View.GRID);
        GfnGridFigure grid = (GfnGridFigure) canvas.getFigure();
        java.awt.geom.Point2D centre = grid.cellCentre(new Rectangle2D.Double(0, 0, canvas.getWidth(), canvas.getHeight()), 1, 4 + 6 * 5);
        Point2D onScreen = canvas.localToScreen(centre.getX(), centre.getY());
        GfnInspection sampled = lab.inspectionProperty().get();
        robot.clickOn(onScreen);
        waitUntil("the clicked path", () -> lab.inspectionProperty().get() != sampled);
        assertThat(lab.inspectionProperty().get().full().last()).containsExactly(4, 5);

        // replay it cut after two moves
        GfnInspection whole = lab.inspectionProperty().get();
        robot.interact(() -> lab.params().cut.trySet(2));
        waitUntil("the cut replay", () -> lab.inspectionProperty().get() != whole);
        assertThat(lab.inspectionProperty().get().shown().isComplete()).isFalse();

        // exports: CSV, the animation, the figure on screen
        dialogs.folder(dir);
        robot.clickOn("#gfnCsvButton");
        Path csv = dir.resolve(GfnExports.CSV_FOLDER);
        waitUntil("the CSV files", () -> Files.exists(csv.resolve("training.csv")) && Files.exists(csv.resolve("flows.csv")));
        List<String> distribution = Files.readAllLines(csv.resolve("distribution.csv"));
        assertThat(distribution.get(0)).isEqualTo("x0,x1,reward,target,learned");
        assertThat(distribution).hasSize(1 + 36);
        assertThat(Files.readAllLines(csv.resolve("training.csv"))).hasSize(1 + 4 * 6);
        dialogs.folder(dir);
        robot.clickOn("#gfnAnimationButton");
        Path animation = dir.resolve(GfnExports.ANIMATION_FOLDER);
        waitUntil("the animation", () -> Files.exists(animation.resolve("frame-0006.png")) && lab.statusProperty().get().contains("GIF"));
        assertThat(Files.size(animation.resolve("animation.gif"))).isGreaterThan(1000);
        Path png = dir.resolve("grid.png");
        FigureExporter.export(lab.currentFigure().orElseThrow(), org.flowbench.views.figure.ExportFormat.PNG, 1000, 560, 1.0, png);
        assertThat(Files.size(png)).isGreaterThan(2000);
    }

    @Test
    void theLayoutIsCleanAtBothSizes(FxRobot robot) throws Exception {
        robot.clickOn("#gfnTrainButton");
        waitUntil("the trained run", () -> lab.runProperty().get() != null && lab.runProperty().get().finished()
                && lab.inspectionProperty().get() != null);
        assertThat(PageStage.layoutProblemsAtBothWindowSizes(stage, page)).isEmpty();
    }
}
