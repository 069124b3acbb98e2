package org.flowbench.views.figure;

import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The display scale (View > Zoom): at scale s the figure is painted into (width / s) x (height / s)
 * figure units with the graphics scaled by s, so its text is s times as large on screen; a canvas
 * made later follows the shared scale too, and mouse positions map back through the same scale.
 */
@ExtendWith(ApplicationExtension.class)
class FigureCanvasScaleTest {

    private static final String TEXT = "HHHHHHHH";

    private final TextFigure figure = new TextFigure();
    private FigureCanvas canvas;

    /** Black text at the top left on white; remembers the area and transform of its last paint. */
    private static final class TextFigure implements Figure {
        Rectangle2D area;
        AffineTransform transform;

        @Override
        public void paint(Graphics2D g, Rectangle2D area) {
            this.area = (Rectangle2D) area.clone();
            this.transform = g.getTransform();
            g.setPaint(Color.WHITE);
            g.fill(area);
            g.setPaint(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(TEXT, 10f, 30f);
        }

        @Override
        public String title() {
            return "Text";
        }
    }

    @Start
    void start(Stage stage) {
        canvas = new FigureCanvas(figure);
        stage.setScene(new Scene(new StackPane(canvas), 600, 300));
        stage.show();
    }

    @AfterEach
    void actualSize(FxRobot robot) {
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(1));
    }

    @Test
    void atScaleOneTheFigureFillsTheCanvasUntransformed(FxRobot robot) {
        robot.interact(canvas::repaint);
        assertThat(figure.area).isEqualTo(new Rectangle2D.Double(0, 0, 600, 300));
        assertThat(figure.transform.isIdentity()).isTrue();
        assertThat(canvas.figureArea()).isEqualTo(figure.area);
        assertThat(canvas.toFigure(150, 75)).isEqualTo(new java.awt.geom.Point2D.Double(150, 75));
    }

    @Test
    void atScaleOneAndAHalfTheFigureSeesLessRoomAndItsTextIsOneAndAHalfTimesAsLarge(FxRobot robot) {
        Rectangle2D inkAtOne = ink(snapshot(robot));
        long paints = canvas.paintCount();

        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(1.5));

        assertThat(canvas.paintCount()).as("a new scale repaints").isGreaterThan(paints);
        assertThat(figure.area.getWidth()).isCloseTo(400, within(1e-9));
        assertThat(figure.area.getHeight()).isCloseTo(200, within(1e-9));
        assertThat(figure.transform.getScaleX()).isCloseTo(1.5, within(1e-9));
        assertThat(figure.transform.getScaleY()).isCloseTo(1.5, within(1e-9));
        Rectangle2D inkAtOneAndAHalf = ink(snapshot(robot));
        assertThat(inkAtOneAndAHalf.getWidth() / inkAtOne.getWidth()).isCloseTo(1.5, within(0.08));
        assertThat(inkAtOneAndAHalf.getHeight() / inkAtOne.getHeight()).isCloseTo(1.5, within(0.15));
        assertThat(inkAtOneAndAHalf.getMinX() / inkAtOne.getMinX()).isCloseTo(1.5, within(0.15));

        // a position on the canvas maps to the figure unit painted there
        assertThat(canvas.toFigure(150, 75)).isEqualTo(new java.awt.geom.Point2D.Double(100, 50));
    }

    @Test
    void aCanvasMadeLaterFollowsTheSharedScaleAndOneCanHaveItsOwn(FxRobot robot) {
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(2));
        AtomicReference<FigureCanvas> later = new AtomicReference<>();
        robot.interact(() -> later.set(new FigureCanvas()));
        assertThat(later.get().displayScale()).isEqualTo(2);
        assertThat(canvas.displayScale()).isEqualTo(2);

        robot.interact(() -> {
            later.get().displayScaleProperty().unbind();
            later.get().displayScaleProperty().set(1.25);
            FigureCanvas.sharedDisplayScale().set(1.75);
        });
        assertThat(later.get().displayScale()).isEqualTo(1.25);
        assertThat(canvas.displayScale()).isEqualTo(1.75);
        assertThat(figure.area.getWidth()).isCloseTo(600 / 1.75, within(1e-9));
    }

    @Test
    void anAbsurdScaleIsClampedOrIgnored(FxRobot robot) {
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(Double.NaN));
        assertThat(canvas.displayScale()).isEqualTo(1);
        assertThat(figure.area.getWidth()).isEqualTo(600);
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(1e9));
        assertThat(canvas.displayScale()).isEqualTo(8);
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(-3));
        assertThat(canvas.displayScale()).isEqualTo(0.25);
    }

    private WritableImage snapshot(FxRobot robot) {
        AtomicReference<WritableImage> image = new AtomicReference<>();
        robot.interact(() -> image.set(canvas.canvas().snapshot(new SnapshotParameters(), null)));
        return image.get();
    }

    /** The bounding box of the dark pixels: the drawn text. */
    private static Rectangle2D ink(WritableImage image) {
        Rectangle2D box = PixelBounds.of(image,
                argb -> (((argb >> 16) & 0xFF) + ((argb >> 8) & 0xFF) + (argb & 0xFF)) / 3 < 128);
        assertThat(box).as("text was drawn").isNotNull();
        return box;
    }
}
