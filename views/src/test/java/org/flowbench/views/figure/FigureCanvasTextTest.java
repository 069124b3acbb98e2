package org.flowbench.views.figure;

import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Text is as wide as the figure kit measures it, on the screen canvas, in exported images and in
 * PDFs, so text fitted to a panel stays inside the panel. Widths drawn are read from the pixels of
 * a snapshot of the canvas, of the exported image and of the PDF page rendered at a pixel a point.
 */
@ExtendWith(ApplicationExtension.class)
class FigureCanvasTextTest {

    private static final int WIDTH = 1024;
    private static final int HEIGHT = 700;
    private static final Color BACKGROUND = Color.WHITE;
    private static final Color PANEL = new Color(0xE4E8EE);

    private FigureCanvas canvas;

    @Start
    void start(Stage stage) {
        canvas = new FigureCanvas();
        stage.setScene(new Scene(new StackPane(canvas), WIDTH, HEIGHT));
        stage.show();
        stage.requestFocus();
    }

    @Test
    void measuredWidthsAreTheWidthsDrawnOnTheCanvas(FxRobot robot) {
        List<TextRow> rows = textRows();
        WritableImage image = paint(robot, new TextRows(rows));
        PixelReader reader = image.getPixelReader();
        assertDrawnAsMeasured(rows, reader::getArgb, (int) image.getWidth(), (int) image.getHeight());
    }

    @Test
    void measuredWidthsAreTheWidthsDrawnInAnExportedImage() {
        List<TextRow> rows = textRows();
        BufferedImage image = FigureExporter.renderImage(new TextRows(rows), WIDTH, HEIGHT, 1);
        assertDrawnAsMeasured(rows, image::getRGB, image.getWidth(), image.getHeight());
    }

    @Test
    void measuredWidthsAreTheWidthsDrawnInAnExportedPdf() throws IOException {
        List<TextRow> rows = textRows();
        byte[] pdf = FigureExporter.toPdf(new TextRows(rows), WIDTH, HEIGHT);
        try (PDDocument document = Loader.loadPDF(pdf)) {
            // 72 dots per inch: one pixel per point, the figure's logical unit
            BufferedImage image = new PDFRenderer(document).renderImageWithDPI(0, 72);
            assertDrawnAsMeasured(rows, image::getRGB, image.getWidth(), image.getHeight());
        }
    }

    private static List<TextRow> textRows() {
        List<TextRow> rows = new ArrayList<>();
        String[] texts = {"euler, uniform \u00b7 straightness 2.1332", "t = 0.425 \u00b7 step 3/8 \u00b7 NFE 3/8",
                "1-RF \u00b7 moons-1rf", "\u22120.25 Wxyz"};
        Font[] fonts = {FigureText.plain(9.5), FigureText.plain(11.5), FigureText.bold(13.3), FigureText.plain(16.6)};
        for (Font font : fonts) {
            for (String text : texts) {
                rows.add(new TextRow(text, font));
            }
        }
        return rows;
    }

    private static void assertDrawnAsMeasured(List<TextRow> rows, Pixels pixels, int width, int height) {
        assertThat(rows.get(rows.size() - 1).bottom).isLessThanOrEqualTo(height);
        for (TextRow row : rows) {
            // Ink of the text drawn twice in a row ends one advance further than the ink of the text
            // drawn once, whatever the glyphs' side bearings: that difference is the width drawn.
            double once = inkRight(pixels, width, row.onceTop, row.twiceTop);
            double twice = inkRight(pixels, width, row.twiceTop, row.bottom);
            double drawn = twice - once;
            String what = "'" + row.text + "' in " + row.font.getSize2D() + (row.font.isBold() ? " bold" : "");
            assertThat(row.measured).as("width measured for %s, drawn %s", what, drawn).isCloseTo(drawn, within(1.5));
            assertThat(row.fromMetrics).as("FontMetrics width for %s", what).isCloseTo(drawn, within(1.5));
            assertThat(once).as("ink end of %s", what).isLessThanOrEqualTo(TextRows.LEFT + row.measured + 1);
        }
    }

    @Test
    void aSubtitleFittedToItsPanelNeverPaintsBeyondThePanel(FxRobot robot) {
        SubtitledPanels figure = new SubtitledPanels();
        WritableImage image = paint(robot, figure);
        assertThat((int) image.getWidth()).isEqualTo(WIDTH);
        assertThat((int) image.getHeight()).isEqualTo(HEIGHT);

        PixelReader reader = image.getPixelReader();
        int background = BACKGROUND.getRGB() & 0xFFFFFF;
        List<String> overflowing = new ArrayList<>();
        for (SubtitledPanels.Panel panel : figure.panels) {
            Rectangle2D box = panel.box;
            int overflow = 0;
            for (int y = (int) box.getMinY(); y < (int) box.getMaxY(); y++) {
                for (int x = (int) box.getMaxX(); x < panel.beyondUntil; x++) {
                    if ((reader.getArgb(x, y) & 0xFFFFFF) != background) {
                        overflow++;
                    }
                }
            }
            if (overflow > 0) {
                overflowing.add((int) box.getWidth() + " px wide panel, '" + panel.drawn + "': " + overflow + " px outside");
            }
        }
        assertThat(overflowing).isEmpty();
        // the sweep of widths does reach every form: the longest, the shorter ones and the cut one
        assertThat(figure.panels).extracting(p -> p.drawn)
                .contains(SubtitledPanels.CHOICES[0], SubtitledPanels.CHOICES[1], SubtitledPanels.CHOICES[2])
                .anyMatch(text -> text.endsWith("\u2026"));
    }

    private WritableImage paint(FxRobot robot, Figure figure) {
        robot.interact(() -> canvas.setFigure(figure));
        WaitForAsyncUtils.waitForFxEvents();
        AtomicReference<WritableImage> image = new AtomicReference<>();
        robot.interact(() -> image.set(canvas.canvas().snapshot(new SnapshotParameters(), null)));
        return image.get();
    }

    /** The ARGB colour of a pixel of an image. */
    private interface Pixels {
        int argb(int x, int y);
    }

    /** The right end of the ink (dark pixels) in rows {@code [top, bottom)}; a partly dark edge pixel counts for its darkness. */
    private static double inkRight(Pixels pixels, int width, int top, int bottom) {
        double right = -1;
        for (int y = top; y < bottom; y++) {
            for (int x = width - 1; x > right; x--) {
                int argb = pixels.argb(x, y);
                double coverage = 1 - Math.min(argb & 0xFF, Math.min((argb >> 8) & 0xFF, (argb >> 16) & 0xFF)) / 255.0;
                if (coverage > 0.05) {
                    right = Math.max(right, x + coverage);
                    break;
                }
            }
        }
        return right;
    }

    /** One string in one font, drawn once and, below it, twice in a row; the widths measured while painting. */
    private static final class TextRow {
        final String text;
        final Font font;
        int onceTop;
        int twiceTop;
        int bottom;
        double measured;
        double fromMetrics;

        TextRow(String text, Font font) {
            this.text = text;
            this.font = font;
        }
    }

    /** Black text on white, one {@link TextRow} under the other. */
    private static final class TextRows implements Figure {
        static final double LEFT = 10;
        private final List<TextRow> rows;

        TextRows(List<TextRow> rows) {
            this.rows = rows;
        }

        @Override
        public void paint(Graphics2D g, Rectangle2D area) {
            g.setColor(Color.WHITE);
            g.fill(area);
            g.setColor(Color.BLACK);
            int y = 0;
            for (TextRow row : rows) {
                g.setFont(row.font);
                int line = (int) Math.ceil(row.font.getSize2D() * 1.5);
                row.onceTop = y;
                row.twiceTop = y + line;
                row.bottom = y + 2 * line;
                FigureText.drawLeft(g, row.text, LEFT, row.onceTop + 0.8 * line);
                FigureText.drawLeft(g, row.text + row.text, LEFT, row.twiceTop + 0.8 * line);
                row.measured = FigureText.width(g, g.getFont(), row.text);
                row.fromMetrics = g.getFontMetrics().getStringBounds(row.text, g).getWidth();
                y = row.bottom + 2;
            }
        }

        @Override
        public String title() {
            return "Text rows";
        }
    }

    /**
     * Panels of many widths, each with a subtitle fitted to it from a long form and shorter ones;
     * drawn under a clip wider than the panel, as panel headers are.
     */
    private static final class SubtitledPanels implements Figure {
        static final String[] CHOICES = {
                "dopri5, adaptive steps, output on the uniform grid \u00b7 straightness 2.1332",
                "dopri5, adaptive \u00b7 straightness 2.1332",
                "dopri5 \u00b7 S 2.1332"};
        private static final int ROWS = 40;
        private static final int ROW_HEIGHT = 17;
        private static final int PAD = 4;

        /** A panel and, to its right up to {@code beyondUntil}, the room that must stay background. */
        static final class Panel {
            final Rectangle2D box;
            final int beyondUntil;
            String drawn;

            Panel(Rectangle2D box, int beyondUntil) {
                this.box = box;
                this.beyondUntil = beyondUntil;
            }
        }

        final List<Panel> panels = new ArrayList<>();

        SubtitledPanels() {
            for (int i = 0; i < ROWS; i++) {
                int top = 6 + i * ROW_HEIGHT;
                // the widths step through the points where each form stops fitting
                panels.add(new Panel(new Rectangle2D.Double(10, top, 100 + 4 * i, ROW_HEIGHT - 2), 540));
                panels.add(new Panel(new Rectangle2D.Double(540, top, 300 + 4 * i, ROW_HEIGHT - 2), WIDTH));
            }
        }

        @Override
        public void paint(Graphics2D g, Rectangle2D area) {
            g.setColor(BACKGROUND);
            g.fill(area);
            g.setFont(FigureText.plain(11.5));
            for (Panel panel : panels) {
                Rectangle2D box = panel.box;
                g.setColor(PANEL);
                g.fill(box);
                Shape clip = g.getClip();
                g.clip(new Rectangle2D.Double(0, box.getY(), area.getWidth(), box.getHeight()));
                try {
                    g.setColor(Color.BLACK);
                    panel.drawn = FigureText.fitted(g, box.getWidth() - 2 * PAD, CHOICES);
                    FigureText.drawLeft(g, panel.drawn, box.getX() + PAD, box.getMaxY() - PAD);
                } finally {
                    g.setClip(clip);
                }
            }
        }

        @Override
        public String title() {
            return "Subtitled panels";
        }
    }
}
