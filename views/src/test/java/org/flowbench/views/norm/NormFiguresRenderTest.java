package org.flowbench.views.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.norm.playground.NormPlayground;
import org.flowbench.compute.norm.playground.PlaygroundInput;
import org.flowbench.compute.norm.playground.PlaygroundLayer;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.PlotFrame;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Known things land on known pixels: the shaded cells of the axes diagram, the running-statistic line. */
class NormFiguresRenderTest {

    private static final int W = 1000;
    private static final int H = 620;

    private static NormPlayground.Result run(PlaygroundLayer layer, PlaygroundInput input, int batches) {
        try (ComputeDevice cpu = ComputeDevices.open(ComputeDevices.CPU)) {
            return NormPlayground.run(cpu, new NormPlayground.Settings(input, 2, layer, batches, 4, 5, 7), null, null);
        }
    }

    private static Color pixel(BufferedImage image, double x, double y) {
        return new Color(image.getRGB((int) Math.floor(x), (int) Math.floor(y)));
    }

    private static boolean near(Color a, Color b, int tolerance) {
        return Math.abs(a.getRed() - b.getRed()) <= tolerance && Math.abs(a.getGreen() - b.getGreen()) <= tolerance
                && Math.abs(a.getBlue() - b.getBlue()) <= tolerance;
    }

    private static Rectangle2D diagramBox() {
        Rectangle2D inner = new Rectangle2D.Double(8, 6, W - 16, H - 12);
        return NormAxesDiagram.diagramBox(NormLayersFigure.diagramArea(inner));
    }

    @Test
    void batchNormShadesTheChosenChannelRowAndLayerNormTheWholeSample() {
        NormLayersFigure bn = new NormLayersFigure(run(PlaygroundLayer.BATCHNORM, PlaygroundInput.IMAGE, 3),
                NormLayersView.AXES, FigureTheme.LIGHT);
        BufferedImage image = FigureExporter.renderImage(bn, W, H, 1);
        NormAxesDiagram d = bn.diagram();
        int row = d.shownChannel();
        assertThat(row).isEqualTo(5 * 8 / 16);
        Color shaded = org.flowbench.views.figure.Palette.series(1);
        for (int s = 0; s < d.shownSpatial(); s++) {
            Rectangle2D cell = d.frontCell(diagramBox(), row, s);
            assertThat(near(pixel(image, cell.getCenterX(), cell.getCenterY()), shaded, 2)).as("row cell " + s).isTrue();
            Rectangle2D other = d.frontCell(diagramBox(), row + 1, s);
            assertThat(near(pixel(image, other.getCenterX(), other.getCenterY()), FigureTheme.LIGHT.panel(), 2))
                    .as("next row cell " + s).isTrue();
        }
        NormLayersFigure ln = new NormLayersFigure(run(PlaygroundLayer.LAYERNORM, PlaygroundInput.IMAGE, 2),
                NormLayersView.AXES, FigureTheme.LIGHT);
        BufferedImage lnImage = FigureExporter.renderImage(ln, W, H, 1);
        for (int c = 0; c < 8; c++) {
            Rectangle2D cell = ln.diagram().frontCell(diagramBox(), c, 2);
            assertThat(near(pixel(lnImage, cell.getCenterX(), cell.getCenterY()), shaded, 2)).as("channel row " + c).isTrue();
        }
    }

    @Test
    void theRunningVarianceLineEndsWhereItsLastValueIs() {
        NormLayersFigure f = new NormLayersFigure(run(PlaygroundLayer.BATCHNORM, PlaygroundInput.MICRO, 60),
                NormLayersView.FLUCTUATION, FigureTheme.LIGHT);
        BufferedImage image = FigureExporter.renderImage(f, W, H, 1);
        PlotFrame frame = f.fluctuationFrame(image.createGraphics(), new Rectangle2D.Double(0, 0, W, H));
        double[][] series = f.channelSeries();
        int hits = 0;
        for (int t = 20; t < 59; t += 6) {
            double x = frame.screenX(t + 0.5);
            double y = frame.screenY((series[2][t] + series[2][t + 1]) / 2);
            // the thick running line is on top: the pixel midway between two batches is its colour
            if (near(pixel(image, x, y), NormLayersFigure.RUNNING_COLOUR, 40)) {
                hits++;
            }
        }
        assertThat(hits).as("segments of the running line found at their values").isGreaterThanOrEqualTo(6);
        // and nothing of it far above the data
        double yEmpty = frame.screenY(frame.shown().yMax()) + 2;
        assertThat(near(pixel(image, frame.screenX(40), yEmpty), NormLayersFigure.RUNNING_COLOUR, 40)).isFalse();
    }

    @Test
    void everyViewsTextFitsTheCanvasTheNormLayersTabGivesIt() {
        NormPlayground.Result result = run(PlaygroundLayer.BATCHNORM, PlaygroundInput.IMAGE, 20);
        List<String> cut = new ArrayList<>();
        // the canvas beside the tab's settings at a 1024 x 700 and at a 1280 x 800 window
        for (int[] size : new int[][] {{600, 540}, {850, 640}}) {
            for (NormLayersView view : NormLayersView.values()) {
                String svg = FigureExporter.toSvg(new NormLayersFigure(result, view, FigureTheme.LIGHT), size[0], size[1]);
                java.util.regex.Pattern.compile(">([^<]*)</text>").matcher(svg).results().map(m -> m.group(1))
                        .filter(text -> text.contains("\u2026"))
                        .forEach(text -> cut.add(view + " at " + size[0] + "x" + size[1] + ": " + text));
            }
        }
        assertThat(cut).isEmpty();
    }
}
