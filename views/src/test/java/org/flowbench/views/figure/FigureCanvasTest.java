package org.flowbench.views.figure;

import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class FigureCanvasTest {

    private final float[] points = TestFigures.separatedPoints(40, 0.9, 5);
    private FigureCanvas canvas;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        canvas = new FigureCanvas(TestFigures.separatedDots(points, FigureTheme.LIGHT));
        stage.setScene(new Scene(new StackPane(canvas), 400, 300));
        stage.show();
        stage.requestFocus();
    }

    @Test
    void paintsTheFigureAtTheSizeOfItsParentAndAgainAfterAResize(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(canvas.canvas().getWidth()).isEqualTo(400);
        assertThat(canvas.canvas().getHeight()).isEqualTo(300);
        WritableImage small = snapshot(robot);
        assertThat(colours(small)).hasSizeGreaterThan(10);
        assertThat(dotPixels(small)).isGreaterThan(40 * 8);
        long paintsBefore = canvas.paintCount();

        robot.interact(() -> {
            stage.setWidth(700);
            stage.setHeight(500);
        });
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(canvas.canvas().getWidth()).isEqualTo(canvas.getWidth()).isGreaterThan(400);
        assertThat(canvas.canvas().getHeight()).isEqualTo(canvas.getHeight()).isGreaterThan(300);
        assertThat(canvas.paintCount()).isGreaterThan(paintsBefore);
        WritableImage large = snapshot(robot);
        assertThat((int) large.getWidth()).isEqualTo((int) canvas.canvas().getWidth());
        assertThat(colours(large)).hasSizeGreaterThan(10);
        assertThat(dotPixels(large)).isGreaterThan(40 * 8);
    }

    @Test
    void clearsWhenTheFigureIsRemovedAndRepaintsOnDemand(FxRobot robot) {
        robot.interact(() -> canvas.setFigure(null));
        assertThat(colours(snapshot(robot))).hasSize(1);

        robot.interact(() -> canvas.setFigure(TestFigures.separatedDots(points, FigureTheme.DARK)));
        long painted = canvas.paintCount();
        robot.interact(canvas::repaint);
        assertThat(canvas.paintCount()).isEqualTo(painted + 1);
        WritableImage dark = snapshot(robot);
        int corner = dark.getPixelReader().getArgb(1, 1) & 0xFFFFFF;
        assertThat(corner).isEqualTo(FigureTheme.DARK.background().getRGB() & 0xFFFFFF);
    }

    @Test
    void isResizableWithinLayouts() {
        assertThat(canvas.isResizable()).isTrue();
        assertThat(canvas.minWidth(-1)).isZero();
        assertThat(canvas.prefWidth(-1)).isPositive();
    }

    private WritableImage snapshot(FxRobot robot) {
        AtomicReference<WritableImage> image = new AtomicReference<>();
        robot.interact(() -> image.set(canvas.canvas().snapshot(new SnapshotParameters(), null)));
        return image.get();
    }

    private static Set<Integer> colours(WritableImage image) {
        PixelReader reader = image.getPixelReader();
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(reader.getArgb(x, y));
            }
        }
        return colours;
    }

    /** Pixels within a small distance of the dot colour. */
    private static int dotPixels(WritableImage image) {
        PixelReader reader = image.getPixelReader();
        int r0 = (TestFigures.DOT_COLOUR >> 16) & 0xFF;
        int g0 = (TestFigures.DOT_COLOUR >> 8) & 0xFF;
        int b0 = TestFigures.DOT_COLOUR & 0xFF;
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int argb = reader.getArgb(x, y);
                int dr = ((argb >> 16) & 0xFF) - r0;
                int dg = ((argb >> 8) & 0xFF) - g0;
                int db = (argb & 0xFF) - b0;
                if (dr * dr + dg * dg + db * db < 30 * 30) {
                    count++;
                }
            }
        }
        return count;
    }
}
