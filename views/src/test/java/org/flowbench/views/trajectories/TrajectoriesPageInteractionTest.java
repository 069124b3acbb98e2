package org.flowbench.views.trajectories;

import javafx.geometry.Point2D;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.PlotFrame;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.lab.PageStage;
import org.flowbench.views.lab.ScriptedDialogs;
import org.flowbench.views.lab.TestLabContexts;
import org.flowbench.views.layout.LayoutCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.awt.geom.Rectangle2D;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The page's keys, sketching, message line, life cycle and layout, headless (Monocle).
 */
@ExtendWith(ApplicationExtension.class)
class TrajectoriesPageInteractionTest {

    private TrajectoriesLab lab;
    private TrajectoriesPage page;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        ScriptedDialogs dialogs = new ScriptedDialogs();
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
    void keysPlayStepJumpAndZoom(FxRobot robot) throws Exception {
        waitUntil("the sample models", () -> lab.figureProperty().get() != null);
        FigureCanvas canvas = robot.lookup("#trajectoriesCanvas").queryAs(FigureCanvas.class);
        assertThat(page.isPlaying()).isTrue();
        robot.clickOn(canvas);
        robot.type(KeyCode.SPACE);
        assertThat(page.isPlaying()).as("Space pauses").isFalse();
        robot.type(KeyCode.HOME);
        assertThat(time()).isZero();
        robot.type(KeyCode.RIGHT, 2);
        assertThat(time()).as("two Euler steps of 8").isCloseTo(2.0 / 8, within(1e-12));
        robot.type(KeyCode.LEFT);
        assertThat(time()).isCloseTo(1.0 / 8, within(1e-12));
        robot.type(KeyCode.END);
        assertThat(time()).isEqualTo(1.0);
        robot.type(KeyCode.SPACE);
        assertThat(page.isPlaying()).as("Space plays again, from the start").isTrue();
        robot.type(KeyCode.SPACE);

        org.flowbench.views.figure.DataBounds fitted = lab.viewBounds();
        double width = fitted.width();
        robot.type(KeyCode.ADD);
        assertThat(lab.viewBounds().width()).as("+ zooms in").isCloseTo(width / 1.15, within(1e-9));
        robot.type(KeyCode.MINUS);
        robot.type(KeyCode.MINUS);
        assertThat(lab.viewBounds().width()).as("- zooms out").isCloseTo(width * 1.15, within(1e-9));
        robot.type(KeyCode.DIGIT0);
        assertThat(lab.viewBounds()).as("0 returns to the view fitted to the data").isEqualTo(fitted);
    }

    @Test
    void sketchedPointsAreDrawnOnEveryPanel(FxRobot robot) throws Exception {
        waitUntil("the sample models", () -> lab.figureProperty().get() != null);
        robot.interact(page::pause);
        org.flowbench.views.figure.DataBounds fitted = lab.viewBounds();
        FigureCanvas canvas = robot.lookup("#trajectoriesCanvas").queryAs(FigureCanvas.class);
        Rectangle2D area = new Rectangle2D.Double(0, 0, canvas.canvas().getWidth(), canvas.canvas().getHeight());
        PlotFrame left = lab.figureProperty().get().frames(area)[0];
        Rectangle2D inner = left.area();
        Point2D start = canvas.canvas().localToScreen(inner.getCenterX() - 40, inner.getCenterY());
        robot.press(KeyCode.SHIFT);
        robot.drag(start, MouseButton.PRIMARY).moveBy(30, 10).moveBy(30, -10).moveBy(20, 20).release(MouseButton.PRIMARY);
        robot.release(KeyCode.SHIFT);
        WaitForAsyncUtils.waitForFxEvents();
        int points = lab.training().drawnPoints().size() / 2;
        assertThat(points).as("the drag sketched points").isGreaterThanOrEqualTo(3);
        assertThat(lab.viewBounds()).as("Shift + drag does not pan").isEqualTo(fitted);
        // every point is on screen in both panels (all lie inside the shared view)
        assertThat(page.sketchOverlay().drawnCount()).isEqualTo(2 * points);
        assertThat(robot.lookup("#sketchCount").queryAs(Label.class).getText()).startsWith(points + " sketched points");

        // the overlay really has the dark dot under the first point, in the left and the right panel
        WritableImage shot = snapshot(robot);
        PlotFrame[] frames = lab.figureProperty().get().frames(area);
        for (PlotFrame frame : frames) {
            int x = (int) Math.round(frame.screenX(lab.training().drawnPoints().get(0)));
            int y = (int) Math.round(frame.screenY(lab.training().drawnPoints().get(1)));
            int argb = shot.getPixelReader().getArgb(x, y);
            assertThat(argb >>> 24).as("opaque dot at the sketched point").isGreaterThan(200);
            assertThat(argb & 0xFF).as("dark dot on the light theme").isLessThan(0x40);
        }

        robot.clickOn("Actions");
        robot.clickOn("#clearDrawingButton");
        assertThat(lab.training().drawnPoints()).isEmpty();
        assertThat(page.sketchOverlay().drawnCount()).isZero();
    }

    private WritableImage snapshot(FxRobot robot) {
        WritableImage[] image = new WritableImage[1];
        robot.interact(() -> image[0] = page.sketchOverlay().canvas().snapshot(null, null));
        return image[0];
    }

    @Test
    void aProblemTakesTheStatusLineUntilTheNextStatusWithoutMovingThePage(FxRobot robot) throws Exception {
        waitUntil("the sample models", () -> lab.figureProperty().get() != null && !page.messageLabel().getText().isEmpty());
        robot.interact(page::pause);
        Label message = page.messageLabel();
        FigureCanvas canvas = robot.lookup("#trajectoriesCanvas").queryAs(FigureCanvas.class);
        double canvasTop = canvas.localToScene(0, 0).getY();
        robot.interact(() -> {
            lab.parameters().byKey("trainTarget").trySet("drawn");
            lab.training().drawnPoints().clear();
        });
        robot.clickOn("Actions");
        robot.clickOn("#trainButton");
        waitUntil("the problem", () -> lab.problemProperty().get() != null);
        assertThat(message.getText()).startsWith("Problem: ");
        assertThat(message.getStyleClass()).contains("inspector-problem");
        assertThat(canvas.localToScene(0, 0).getY()).as("the figure stays where it was").isEqualTo(canvasTop);

        robot.interact(() -> lab.parameters().byKey("steps").trySet(6));
        waitUntil("the new sampling", () -> lab.figureProperty().get().runs().get(0).steps() == 6
                && !message.getStyleClass().contains("inspector-problem"));
        assertThat(message.getText()).isEqualTo(lab.statusProperty().get()).doesNotStartWith("Problem");
        assertThat(canvas.localToScene(0, 0).getY()).isEqualTo(canvasTop);
    }

    @Test
    void dopri5OnABossGridSaysSoAndShowsNoCostMatrices(FxRobot robot) throws Exception {
        waitUntil("the sample models", () -> lab.figureProperty().get() != null);
        robot.interact(page::pause);
        robot.interact(() -> {
            lab.parameters().byKey("particles").trySet(300);
            lab.parameters().byKey("steps").trySet(4);
            lab.parameters().byKey("schedule").trySet("boss");
        });
        waitUntil("the BOSS grid", () -> lab.figureProperty().get().runs().get(0).schedule().equals("BOSS-4"));
        FigureCanvas charts = robot.lookup("#chartsCanvas").queryAs(FigureCanvas.class);
        assertThat(((ChartsFigure) charts.getFigure()).boss()).as("Euler on BOSS: the cost matrices").hasSize(2);
        robot.interact(() -> lab.parameters().byKey("solver").trySet("dopri5"));
        waitUntil("dopri5", () -> lab.figureProperty().get().runs().get(0).solver().startsWith("dopri5"));
        FlowRun run = lab.figureProperty().get().runs().get(0);
        assertThat(TrajectoriesFigure.solverText(run)).startsWith("dopri5").endsWith(", adaptive steps, output on the BOSS-4 grid");
        assertThat(((ChartsFigure) charts.getFigure()).boss()).as("an adaptive solver does not take BOSS's steps").isEmpty();
        assertThat(robot.lookup("#chartsHint").queryAs(Label.class).getText()).startsWith("dopri5 chooses its own steps");
    }

    @Test
    void inactivePageStopsItsTimeline(FxRobot robot) throws Exception {
        waitUntil("the sample models", () -> lab.figureProperty().get() != null);
        assertThat(page.isPlaying()).isTrue();
        robot.interact(() -> page.setActive(false));
        assertThat(page.isPlaying()).isFalse();
        double frozen = time();
        Thread.sleep(300);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(time()).as("no frame advanced the time while off screen").isEqualTo(frozen);
        robot.interact(() -> page.timeline().play());
        assertThat(page.isPlaying()).as("an inactive timeline refuses to play").isFalse();
        robot.interact(() -> page.setActive(true));
        assertThat(page.isPlaying()).as("it plays again when back on screen").isTrue();
    }

    @Test
    void everyTabLaysOutCleanlyAtBothSizes(FxRobot robot) throws Exception {
        waitUntil("the sample models", () -> lab.figureProperty().get() != null);
        robot.interact(page::pause);
        assertThat(PageStage.layoutProblemsAtBothWindowSizes(stage, page)).isEmpty();
        // the Actions tab's buttons show their whole labels inside the tab
        robot.interact(() ->
                page.lookupAll(".tab-pane").forEach(n -> ((javafx.scene.control.TabPane) n).getSelectionModel().select(2)));
        LayoutCheck.problemsAt(stage, 1024, 700, page);
        Button train = robot.lookup("#trainButton").queryAs(Button.class);
        assertThat(train.getWidth()).isGreaterThan(150);
        javafx.geometry.Bounds tabs = robot.lookup("#trajectoriesTabs").query().localToScene(
                robot.lookup("#trajectoriesTabs").query().getLayoutBounds());
        assertThat(train.localToScene(train.getLayoutBounds()).getMaxX()).isLessThanOrEqualTo(tabs.getMaxX());
    }

    @Test
    void plotsKeepTheirSizeOnANarrowPage(FxRobot robot) throws Exception {
        waitUntil("the sample models", () -> lab.figureProperty().get() != null);
        robot.interact(page::pause);
        assertThat(LayoutCheck.problemsAt(stage, 560, 520, page)).noneMatch(p -> p.contains("the window shows"));
        FigureCanvas canvas = robot.lookup("#trajectoriesCanvas").queryAs(FigureCanvas.class);
        assertThat(canvas.getWidth()).as("the tabs went under the figure").isGreaterThan(500);
        Rectangle2D area = new Rectangle2D.Double(0, 0, canvas.canvas().getWidth(), canvas.canvas().getHeight());
        for (PlotFrame frame : lab.figureProperty().get().frames(area)) {
            assertThat(Math.min(frame.area().getWidth(), frame.area().getHeight())).as("a usable panel").isGreaterThan(60);
        }
        assertThat(LayoutCheck.problemsAt(stage, 1260, 780, page)).noneMatch(p -> p.contains("the window shows"));
        assertThat(canvas.getHeight()).as("wide again: the tabs are back at the side").isGreaterThan(400);
        DataBounds shown = lab.figureProperty().get().frames(new Rectangle2D.Double(0, 0, canvas.canvas().getWidth(),
                canvas.canvas().getHeight()))[0].shown();
        assertThat(shown.width()).isPositive();
    }
}
