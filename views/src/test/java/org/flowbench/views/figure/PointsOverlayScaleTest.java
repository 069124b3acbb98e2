package org.flowbench.views.figure;

import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Points over a figure at display scale 1.5 sit where the figure paints those data points, 1.5 times as large. */
@ExtendWith(ApplicationExtension.class)
class PointsOverlayScaleTest {

    private final ScatterFigure figure = TestFigures.separatedDots(new float[] {1, 1}, FigureTheme.LIGHT);
    private FigureCanvas canvas;
    private PointsOverlay overlay;

    @Start
    void start(Stage stage) {
        canvas = new FigureCanvas(figure);
        overlay = new PointsOverlay(canvas, () -> List.of(figure.frame(canvas.figureArea())));
        overlay.setPoints(new float[] {3, 7});
        stage.setScene(new Scene(new StackPane(canvas, overlay), 600, 400));
        stage.show();
    }

    @AfterEach
    void actualSize(FxRobot robot) {
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(1));
    }

    @Test
    void theDotFollowsTheScale(FxRobot robot) {
        Rectangle2D atOne = dot(robot);
        PlotFrame one = figure.frame(new Rectangle2D.Double(0, 0, 600, 400));
        assertThat(atOne.getCenterX()).isCloseTo(one.screenX(3), within(1.0));
        assertThat(atOne.getCenterY()).isCloseTo(one.screenY(7), within(1.0));

        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(1.5));
        Rectangle2D atOneAndAHalf = dot(robot);
        PlotFrame scaled = figure.frame(new Rectangle2D.Double(0, 0, 600 / 1.5, 400 / 1.5));
        assertThat(atOneAndAHalf.getCenterX()).isCloseTo(scaled.screenX(3) * 1.5, within(1.0));
        assertThat(atOneAndAHalf.getCenterY()).isCloseTo(scaled.screenY(7) * 1.5, within(1.0));
        assertThat(atOneAndAHalf.getWidth() / atOne.getWidth()).isCloseTo(1.5, within(0.2));
    }

    /** The bounds of the overlay's opaque pixels: the one dot with its rim. */
    private Rectangle2D dot(FxRobot robot) {
        AtomicReference<WritableImage> image = new AtomicReference<>();
        robot.interact(() -> {
            SnapshotParameters parameters = new SnapshotParameters();
            parameters.setFill(Color.TRANSPARENT);
            image.set(overlay.canvas().snapshot(parameters, null));
        });
        Rectangle2D box = PixelBounds.of(image.get(), argb -> (argb >>> 24) > 128);
        assertThat(box).as("the dot was drawn").isNotNull();
        return box;
    }
}
