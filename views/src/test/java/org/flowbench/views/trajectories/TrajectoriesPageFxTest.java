package org.flowbench.views.trajectories;

import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.PlotFrame;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.lab.PageStage;
import org.flowbench.views.lab.ScriptedDialogs;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The lab as a user meets it, headless (Monocle): it opens on the two sample models, animating;
 * pause, step forward and back, scrub the timeline, click a particle to inspect it, and export
 * CSV and an animation through the Actions tab (each into a new folder inside the one chosen).
 */
@ExtendWith(ApplicationExtension.class)
class TrajectoriesPageFxTest {

    @TempDir
    Path dir;

    private TrajectoriesLab lab;
    private TrajectoriesPage page;
    private final ScriptedDialogs dialogs = new ScriptedDialogs();

    @Start
    void start(Stage stage) {
        lab = new TrajectoriesLab(TestLabContexts.fx(new FxTaskExecutor(task -> { }), new DeviceSelection(), dialogs), true);
        page = new TrajectoriesPage(lab, dialogs);
        PageStage.show(stage, page);
    }

    private void waitUntil(String what, Callable<Boolean> condition) throws Exception {
        PageStage.waitUntil(what, 180, condition, () -> lab.problemProperty().get());
    }

    private double time() {
        return lab.timeProperty().get();
    }

    @Test
    void stepScrubInspectAndExport(FxRobot robot) throws Exception {
        waitUntil("the sample models", () -> lab.figureProperty().get() != null);
        assertThat(lab.problemProperty().get()).isNull();
        FigureCanvas canvas = robot.lookup("#trajectoriesCanvas").queryAs(FigureCanvas.class);
        assertThat(page.isPlaying()).as("opens animating").isTrue();

        robot.clickOn("#playButton");
        assertThat(page.isPlaying()).isFalse();
        for (int i = 0; i < 12 && time() > 0; i++) {
            robot.clickOn("#stepBackButton");
        }
        assertThat(time()).isZero();

        long paints = canvas.paintCount();
        for (int i = 0; i < 3; i++) {
            robot.clickOn("#stepForwardButton");
        }
        // Euler, 8 uniform steps on both sides: three steps land on t = 3/8
        assertThat(time()).isCloseTo(3.0 / 8, within(1e-12));
        Label timeLabel = robot.lookup("#timeLabel").queryAs(Label.class);
        assertThat(timeLabel.getText()).startsWith("t = 0.375").contains("left: step 3/8, NFE 3").contains("right: step 3/8");
        assertThat(canvas.paintCount()).isGreaterThan(paints);
        robot.clickOn("#stepBackButton");
        assertThat(time()).isCloseTo(2.0 / 8, within(1e-12));
        assertThat(timeLabel.getText()).contains("left: step 2/8");

        Slider slider = robot.lookup("#timeSlider").queryAs(Slider.class);
        Node thumb = robot.lookup("#timeSlider .thumb").query();
        robot.drag(thumb, javafx.scene.input.MouseButton.PRIMARY).moveBy(slider.getWidth() * 0.4, 0).release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(time()).as("scrubbed forward").isGreaterThan(0.45).isLessThan(0.9);
        assertThat(slider.getValue()).isEqualTo(time());
        assertThat(page.isPlaying()).isFalse();

        // click on a particle of the left panel, away from the panel's edges
        TrajectoriesFigure shown = lab.figureProperty().get();
        Rectangle2D area = new Rectangle2D.Double(0, 0, canvas.canvas().getWidth(), canvas.canvas().getHeight());
        PlotFrame left = shown.frames(area)[0];
        float[] xy = shown.runs().get(0).positionsAt(time());
        int chosen = -1;
        double room = 0;
        Rectangle2D inner = left.area();
        for (int i = 0; i < shown.runs().get(0).n(); i++) {
            double sx = left.screenX(xy[2 * i]);
            double sy = left.screenY(xy[2 * i + 1]);
            double margin = Math.min(Math.min(sx - inner.getMinX(), inner.getMaxX() - sx), Math.min(sy - inner.getMinY(), inner.getMaxY() - sy));
            if (margin > room) {
                room = margin;
                chosen = i;
            }
        }
        assertThat(room).as("a particle well inside the left panel").isGreaterThan(10);
        double sx = left.screenX(xy[2 * chosen]);
        double sy = left.screenY(xy[2 * chosen + 1]);
        int expected = shown.particleAt(area, sx, sy, 8);
        Point2D onScreen = canvas.canvas().localToScreen(sx, sy);
        robot.clickOn(onScreen);
        waitUntil("the particle inspection", () -> !lab.inspectionProperty().get().isEmpty());
        assertThat(lab.selected()).isEqualTo(expected);
        assertThat(lab.figureProperty().get().selected()).isEqualTo(expected);
        TableView<?> table = robot.lookup("#particleTable").queryAs(TableView.class);
        assertThat(table.getItems()).hasSize(2 * (8 + 1));
        assertThat(robot.lookup("#particleSummary").queryAs(Label.class).getText())
                .startsWith("Particle " + expected + ": ").contains("straightness");

        robot.clickOn("Actions");
        Path picked = dir.resolve("picked");
        Files.createDirectories(picked);
        Files.writeString(picked.resolve("notes.txt"), "the user's own file");
        dialogs.folder(picked);
        robot.clickOn("#exportCsvButton");
        waitUntil("the CSV export", () -> "Export CSV to picked: done".equals(lab.statusProperty().get()));
        Path csv = picked.resolve(TrajectoriesPage.CSV_FOLDER);
        assertThat(Files.readAllLines(csv.resolve("samples.csv"))).hasSize(1 + 2 * 2000);
        assertThat(Files.readAllLines(csv.resolve("trajectories.csv"))).hasSize(1 + 2 * 150 * 9);
        assertThat(Files.readString(csv.resolve("metrics.csv"))).contains("euler").contains("uniform");

        @SuppressWarnings("unchecked")
        Spinner<Integer> frames = robot.lookup("#animationFrames").queryAs(Spinner.class);
        robot.interact(() -> frames.getValueFactory().setValue(3));
        dialogs.folder(picked);
        robot.clickOn("#exportAnimationButton");
        waitUntil("the animation export", () -> "Export animation to picked: done".equals(lab.statusProperty().get()));
        Path animation = picked.resolve(TrajectoriesPage.ANIMATION_FOLDER);
        BufferedImage last = ImageIO.read(animation.resolve("frame-0003.png").toFile());
        assertThat(last.getWidth()).isEqualTo(1200);
        assertThat(last.getHeight()).isEqualTo(560);
        assertThat(animation.resolve("frame-0004.png")).doesNotExist();
        assertThat(animation.resolve("trajectories.gif")).isNotEmptyFile();
        // the picked folder holds the user's file and one folder per export, nothing loose
        try (var listing = Files.list(picked)) {
            assertThat(listing.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly("notes.txt", TrajectoriesPage.ANIMATION_FOLDER, TrajectoriesPage.CSV_FOLDER);
        }
        // a second export never mixes into the first
        dialogs.folder(picked);
        robot.clickOn("#exportCsvButton");
        waitUntil("the second CSV export", () -> Files.exists(picked.resolve(TrajectoriesPage.CSV_FOLDER + "-2").resolve("metrics.csv")));
        assertThat(dialogs.asked()).containsExactly("Export CSV into", "Export animation into", "Export CSV into");
        assertThat(lab.problemProperty().get()).isNull();
    }
}
