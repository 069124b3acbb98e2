package org.flowbench.views.poincare;

import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureCanvas;
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

import javax.imageio.ImageIO;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The page as a user meets it, headless (Monocle): it opens on the mammal disc; search selects
 * a node and brings it to the centre; a click selects, a drag re-centres, a double-click goes
 * back; hovering names a node; the ruler measures; a few epochs train with a live timeline;
 * figures and coordinates export; every tab lays out cleanly at 1280 x 800 and 1024 x 700.
 */
@ExtendWith(ApplicationExtension.class)
class PoincarePageFxTest {

    @TempDir
    Path dir;

    private PoincareLab lab;
    private PoincarePage page;
    private Stage stage;
    private final ScriptedDialogs dialogs = new ScriptedDialogs();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        lab = new PoincareLab(TestLabContexts.fx(new FxTaskExecutor(task -> { }), new DeviceSelection(), dialogs), true);
        page = (PoincarePage) lab.view();
        PageStage.show(stage, page);
    }

    private void waitUntil(String what, Callable<Boolean> condition) throws Exception {
        PageStage.waitUntil(what, 120, condition, () -> lab.problemProperty().get());
    }

    private FigureCanvas disc(FxRobot robot) {
        return robot.lookup("#discCanvas").queryAs(FigureCanvas.class);
    }

    @AfterEach
    void actualSize(FxRobot robot) {
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(1));
    }

    /** The screen point of a disc point given in the view's coordinates. */
    private Point2D screenOf(FxRobot robot, double x, double y) {
        return screenOf(robot, 1, x, y);
    }

    /** The screen point of a disc point when the disc is painted at display scale {@code scale}. */
    private Point2D screenOf(FxRobot robot, double scale, double x, double y) {
        FigureCanvas canvas = disc(robot);
        PoincareDiscFigure f = lab.discProperty().get();
        PoincareDiscFigure.Geometry geo = f.geometry(new Rectangle2D.Double(0, 0, canvas.canvas().getWidth() / scale,
                canvas.canvas().getHeight() / scale));
        return canvas.localToScreen(geo.screenX(x) * scale, geo.screenY(y) * scale);
    }

    /** A node off the centre whose nearest neighbour on the disc is as far as any such node's. */
    private int isolatedNode() {
        PoincareDiscFigure f = lab.discProperty().get();
        int count = lab.hierarchy().size();
        int best = -1;
        double bestGap = 0;
        for (int i = 0; i < count; i++) {
            double[] p = f.shownPoint(i);
            double r = Math.hypot(p[0], p[1]);
            if (r < 0.2 || r > 0.9) {
                continue;
            }
            double gap = Double.MAX_VALUE;
            for (int j = 0; j < count; j++) {
                double[] q = f.shownPoint(j);
                if (j != i) {
                    gap = Math.min(gap, Math.hypot(p[0] - q[0], p[1] - q[1]));
                }
            }
            if (gap > bestGap) {
                bestGap = gap;
                best = i;
            }
        }
        return best;
    }

    @Test
    void aClickAndADragHitTheSameNodeAtDisplayScaleOneAndOneAndAHalf(FxRobot robot) throws Exception {
        waitUntil("the mammal disc", () -> lab.discProperty().get() != null);
        int node = isolatedNode();
        assertThat(node).isNotNegative();
        for (double scale : new double[] {1, 1.5}) {
            robot.interact(() -> {
                FigureCanvas.sharedDisplayScale().set(scale);
                lab.setView(DiscView.IDENTITY);
                lab.select(-1);
            });
            assertThat(disc(robot).displayScale()).isEqualTo(scale);
            double[] p = lab.discProperty().get().shownPoint(node);
            robot.clickOn(screenOf(robot, scale, p[0], p[1]));
            assertThat(lab.selected()).as("the node clicked at scale %s", scale).isEqualTo(node);
            robot.sleep(800);

            robot.drag(screenOf(robot, scale, p[0], p[1]), MouseButton.PRIMARY)
                    .moveTo(screenOf(robot, scale, 0.3, -0.4)).release(MouseButton.PRIMARY);
            WaitForAsyncUtils.waitForFxEvents();
            double[] moved = lab.discProperty().get().shownPoint(node);
            assertThat(moved[0]).as("the dragged node at scale %s", scale).isCloseTo(0.3, within(0.02));
            assertThat(moved[1]).as("the dragged node at scale %s", scale).isCloseTo(-0.4, within(0.02));
            robot.sleep(800);
        }
    }

    @Test
    void searchSelectDragResetHoverAndRuler(FxRobot robot) throws Exception {
        waitUntil("the mammal disc", () -> lab.discProperty().get() != null);
        assertThat(disc(robot).paintCount()).isPositive();
        // search with completion: Enter selects and animates the node to the centre
        robot.clickOn("#searchField").write("dog");
        robot.interact(() -> page.find("dog"));
        int dog = lab.hierarchy().indexOf("dog.n.01");
        assertThat(lab.selected()).isEqualTo(dog);
        waitUntil("the re-centring animation", () -> !page.isAnimating());
        double[] p = lab.discProperty().get().shownPoint(dog);
        assertThat(Math.hypot(p[0], p[1])).as("dog at the centre").isLessThan(1e-6);

        // hover over the centre names dog
        robot.moveTo(screenOf(robot, 0, 0));
        WaitForAsyncUtils.waitForFxEvents();
        Label hover = robot.lookup("#hoverLabel").queryAs(Label.class);
        assertThat(hover.isVisible()).isTrue();
        assertThat(hover.getText()).startsWith("dog.n.01");
        // in a font too large for one line across the disc (a zoomed-in window), the card wraps inside the disc
        String style = hover.getStyle();
        robot.interact(() -> hover.setStyle(style + " -fx-font-size: 48px;"));
        robot.moveBy(2, 0);
        WaitForAsyncUtils.waitForFxEvents();
        double discWidth = disc(robot).getWidth();
        assertThat(hover.isVisible()).isTrue();
        assertThat(hover.getBoundsInParent().getMinX()).isGreaterThanOrEqualTo(0);
        assertThat(hover.getBoundsInParent().getMaxX()).as("card inside the disc").isLessThanOrEqualTo(discWidth);
        assertThat(hover.getHeight()).as("wrapped onto several lines").isGreaterThan(2 * 48);
        robot.interact(() -> hover.setStyle(style));

        // a click selects the node under the pointer
        robot.interact(() -> lab.select(-1));
        robot.clickOn(screenOf(robot, 0, 0));
        assertThat(lab.selected()).isEqualTo(dog);
        // the next press must not count as the second click of a double-click
        robot.sleep(800);

        // drag: the grabbed point follows the pointer
        Point2D from = screenOf(robot, 0, 0);
        Point2D to = screenOf(robot, 0.4, -0.3);
        robot.drag(from, MouseButton.PRIMARY).moveTo(to).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        double[] moved = lab.discProperty().get().shownPoint(dog);
        assertThat(moved[0]).isCloseTo(0.4, within(0.02));
        assertThat(moved[1]).isCloseTo(-0.3, within(0.02));

        // double-click: smoothly back to the start
        robot.doubleClickOn(screenOf(robot, 0.1, 0.1));
        waitUntil("the reset animation", () -> !page.isAnimating() && lab.discView().isIdentity());
        assertThat(lab.discView().isIdentity()).isTrue();

        // the ruler: two clicks through the centre
        robot.clickOn("#rulerToggle");
        robot.clickOn(screenOf(robot, -0.5, 0));
        robot.clickOn(screenOf(robot, 0.5, 0));
        String ruler = lab.discProperty().get().rulerText();
        assertThat(ruler).contains("hyperbolic length 2.19").contains("Euclidean length 1.00");
        robot.clickOn("#rulerToggle");
        robot.clickOn("#clearRulerButton");
        assertThat(lab.discProperty().get().rulerText()).isNull();
    }

    @Test
    void trainsAFewEpochsAndExports(FxRobot robot) throws Exception {
        waitUntil("the mammal disc", () -> lab.discProperty().get() != null);
        robot.interact(() -> lab.apply(Map.of("epochs", "4", "evalEvery", "2", "burnIn", "1", "negatives", "10")));
        robot.interact(() -> robot.lookup("#poincareTabs").queryAs(TabPane.class).getSelectionModel().select(1));
        assertThat(lab.panelProperty().get()).isEqualTo(PoincareLab.Panel.TRAINING);
        // before any run the disc's place says what to press, instead of staying blank
        Label hint = robot.lookup("#trainingHint").queryAs(Label.class);
        assertThat(hint.isVisible()).isTrue();
        assertThat(hint.getText()).contains("Train");
        robot.clickOn("#trainButton");
        waitUntil("the training run", () -> !lab.training().runningProperty().get() && lab.training().frameCount() == 5);
        assertThat(hint.isVisible()).isFalse();
        assertThat(lab.training().curves().get(0).evalEpochs()).containsExactly(2, 4);
        assertThat(robot.lookup("#trainingProgress").queryAs(Label.class).getText()).startsWith("Done: Poincar\u00e9 2-D: epoch 4");
        robot.clickOn("#stepBackButton");
        assertThat(lab.training().shownFrame().epoch()).isEqualTo(3);

        Path charts = dir.resolve("charts.svg");
        dialogs.file(charts);
        robot.clickOn("#exportChartsButton");
        waitUntil("the charts' SVG", () -> Files.exists(charts));
        assertThat(Files.readString(charts)).contains("Loss per epoch");

        robot.interact(() -> robot.lookup("#poincareTabs").queryAs(TabPane.class).getSelectionModel().select(0));
        Path png = dir.resolve("disc.png");
        dialogs.file(png);
        robot.clickOn("#exportDiscButton");
        waitUntil("the disc's PNG", () -> Files.exists(png));
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(PoincareDiscFigure.PREFERRED_WIDTH);
        Path csv = dir.resolve("coordinates.csv");
        dialogs.file(csv);
        robot.clickOn("#exportCsvButton");
        waitUntil("the CSV", () -> Files.exists(csv) && Files.readAllLines(csv).size() == 1181);
        Path tsv = dir.resolve("embedding.tsv");
        dialogs.file(tsv);
        robot.clickOn("#exportEmbeddingButton");
        waitUntil("the TSV", () -> Files.exists(tsv) && Files.readAllLines(tsv).size() == 1180);
    }

    @Test
    void everyTabLaysOutCleanlyAtBothSizes(FxRobot robot) throws Exception {
        waitUntil("the mammal disc", () -> lab.discProperty().get() != null && lab.resnetProperty().get() != null);
        assertThat(PageStage.layoutProblemsAtBothWindowSizes(stage, page)).isEmpty();
        FigureCanvas canvas = disc(robot);
        robot.interact(() -> robot.lookup("#poincareTabs").queryAs(TabPane.class).getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        Bounds b = canvas.getLayoutBounds();
        assertThat(Math.min(b.getWidth(), b.getHeight())).as("a usable disc at 1024 x 700").isGreaterThan(300);
    }
}
