package org.flowbench.views.figure;

import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every paint on the screen canvas starts from the settings the figure makes, whatever the
 * previous paint ended with: a figure that ends with the colour and stroke it starts with
 * paints the same picture every time.
 */
@ExtendWith(ApplicationExtension.class)
class FigureCanvasStateTest {

    private static final Color BACKGROUND = new Color(0xF4, 0xE0, 0x9C);
    private static final Color MARK = new Color(0x20, 0x40, 0xC0);
    private static final float WIDE = 9f;

    private FigureCanvas canvas;

    @Start
    void start(Stage stage) {
        canvas = new FigureCanvas();
        stage.setScene(new Scene(new StackPane(canvas), 200, 120));
        stage.show();
        stage.requestFocus();
    }

    @Test
    void aFigureEndingWithTheSettingsItStartsWithPaintsTheSameEveryTime(FxRobot robot) {
        robot.interact(() -> canvas.setFigure(new SameSettingsFigure()));
        WritableImage first = snapshot(robot);
        robot.interact(canvas::repaint);
        robot.interact(canvas::repaint);
        WritableImage third = snapshot(robot);

        for (WritableImage image : new WritableImage[] {first, third}) {
            assertThat(rgb(image, 2, 2)).as("background corner").isEqualTo(BACKGROUND.getRGB() & 0xFFFFFF);
            assertThat(rgb(image, 100, 10)).as("background away from the line").isEqualTo(BACKGROUND.getRGB() & 0xFFFFFF);
            // the horizontal line at y = 60 is WIDE units thick: 3 units above its centre is still line
            assertThat(rgb(image, 100, 57)).as("wide line").isEqualTo(MARK.getRGB() & 0xFFFFFF);
        }
    }

    /** Fills its background, draws a wide line, and ends with the background colour and the wide stroke set. */
    private static final class SameSettingsFigure implements Figure {
        @Override
        public void paint(Graphics2D g, Rectangle2D area) {
            g.setPaint(BACKGROUND);
            g.fill(area);
            g.setPaint(MARK);
            g.setStroke(new BasicStroke(WIDE, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            g.draw(new Line2D.Double(area.getX() + 20, 60.5, area.getMaxX() - 20, 60.5));
            g.setPaint(BACKGROUND);
            g.fill(new Rectangle2D.Double(area.getMaxX() - 4, area.getMaxY() - 4, 2, 2));
        }

        @Override
        public String title() {
            return "same settings at start and end";
        }
    }

    private WritableImage snapshot(FxRobot robot) {
        AtomicReference<WritableImage> image = new AtomicReference<>();
        robot.interact(() -> image.set(canvas.canvas().snapshot(new SnapshotParameters(), null)));
        return image.get();
    }

    private static int rgb(WritableImage image, int x, int y) {
        return image.getPixelReader().getArgb(x, y) & 0xFFFFFF;
    }
}
