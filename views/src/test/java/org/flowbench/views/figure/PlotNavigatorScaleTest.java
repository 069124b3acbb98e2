package org.flowbench.views.figure;

import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.Scene;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Wheel zoom, drag pan and click pick on a plot shown at display scale 1 and 1.5: the data point
 * under the pointer is the one painted there at both scales (the wheel keeps it under the
 * pointer, a drag carries it along, a click picks it).
 */
@ExtendWith(ApplicationExtension.class)
class PlotNavigatorScaleTest {

    private static final DataBounds HOME = new DataBounds(-0.5, 10.5, -0.5, 10.5);

    private final float[] points = TestFigures.separatedPoints(20, 0.9, 3);
    private FigureCanvas canvas;
    private PlotNavigator navigator;
    private DataBounds view = HOME;
    private final List<double[]> picks = new ArrayList<>();

    @Start
    void start(Stage stage) {
        canvas = new FigureCanvas(figure());
        navigator = new PlotNavigator(canvas, () -> List.of(figure().frame(canvas.figureArea())), shown -> {
            view = shown == null ? HOME : shown;
            canvas.setFigure(figure());
        });
        navigator.setOnPick((frame, x, y) -> picks.add(new double[] {frame.dataX(x), frame.dataY(y)}));
        stage.setScene(new Scene(new StackPane(canvas), 640, 420));
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    private ScatterFigure figure() {
        int[] colours = new int[points.length / 2];
        java.util.Arrays.fill(colours, TestFigures.DOT_COLOUR);
        return new ScatterFigure("Dots", points, colours, view, FigureTheme.LIGHT);
    }

    @AfterEach
    void actualSize(FxRobot robot) {
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(1));
    }

    /** The plot frame as painted at {@code scale}, worked out here from the canvas's size. */
    private PlotFrame painted(double scale) {
        Rectangle2D area = new Rectangle2D.Double(0, 0, canvas.canvas().getWidth() / scale, canvas.canvas().getHeight() / scale);
        return figure().frame(area);
    }

    /** The screen point where data point (x, y) is painted at {@code scale}. */
    private Point2D screenOf(double scale, double x, double y) {
        PlotFrame frame = painted(scale);
        return canvas.localToScreen(frame.screenX(x) * scale, frame.screenY(y) * scale);
    }

    @Test
    void wheelPanAndPickHitThePaintedPointAtScaleOne(FxRobot robot) {
        checkAt(robot, 1);
    }

    @Test
    void wheelPanAndPickHitThePaintedPointAtScaleOneAndAHalf(FxRobot robot) {
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(1.5));
        checkAt(robot, 1.5);
    }

    private void checkAt(FxRobot robot, double scale) {
        // the wheel zooms about the data point under the pointer
        Point2D pointer = screenOf(scale, 8, 2);
        robot.moveTo(pointer).scroll(1, VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.width()).as("one wheel notch").isNotCloseTo(HOME.width(), within(1e-6));
        assertThat(screenOf(scale, 8, 2).getX()).as("the point stays under the pointer").isCloseTo(pointer.getX(), within(0.5));
        assertThat(screenOf(scale, 8, 2).getY()).isCloseTo(pointer.getY(), within(0.5));
        robot.interact(navigator::reset);

        // a drag carries the grabbed data point along with the pointer
        Point2D from = screenOf(scale, 3, 7);
        Point2D to = screenOf(scale, 6, 4);
        robot.drag(from, MouseButton.PRIMARY).moveTo(to).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        Point2D grabbed = screenOf(scale, 3, 7);
        assertThat(grabbed.getX()).as("the grabbed point follows the pointer").isCloseTo(to.getX(), within(1.5));
        assertThat(grabbed.getY()).isCloseTo(to.getY(), within(1.5));
        robot.interact(navigator::reset);
        robot.sleep(600); // the next click must not make a double click with the release

        // a click picks the data point painted under it
        picks.clear();
        robot.clickOn(screenOf(scale, 2, 9));
        assertThat(picks).hasSize(1);
        assertThat(picks.get(0)[0]).isCloseTo(2, within(0.1));
        assertThat(picks.get(0)[1]).isCloseTo(9, within(0.1));
    }
}
