package org.flowbench.views.trajectories;

import org.flowbench.compute.path.PathSnapshots;
import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.PlotFrame;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProbabilityPathFigureTest {

    private static final int W = ProbabilityPathFigure.PREFERRED_WIDTH;
    private static final int H = ProbabilityPathFigure.PREFERRED_HEIGHT;

    private final PathSnapshots snapshots = PathSnapshots.normalToMoons(1000, 7L);

    /**
     * Painted without antialiasing, every pixel is exactly one paint colour. Where the transform
     * puts particle i in panel k, the pixel must carry the colour of a particle whose dot covers
     * it (i itself or one drawn later on top); pixels away from every dot show panel or grid.
     */
    @Test
    void dotsAppearWhereTheTransformPutsTheSamplesAndNowhereElse() {
        ProbabilityPathFigure figure = new ProbabilityPathFigure(snapshots, FigureTheme.LIGHT);
        BufferedImage image = paintWithoutAntialiasing(figure);
        Rectangle2D area = new Rectangle2D.Double(0, 0, W, H);
        List<PlotFrame> frames = figure.panelFrames(area);
        assertThat(frames).hasSize(5);

        int n = snapshots.count();
        for (int k = 0; k < frames.size(); k++) {
            PlotFrame frame = frames.get(k);
            Rectangle2D plot = frame.area();
            double radius = ProbabilityPathFigure.pointRadius(plot.getWidth(), plot.getHeight());
            double[] sx = new double[n];
            double[] sy = new double[n];
            for (int i = 0; i < n; i++) {
                sx[i] = frame.screenX(snapshots.x(k, i));
                sy[i] = frame.screenY(snapshots.y(k, i));
                assertThat(plot.contains(sx[i], sy[i])).as("particle %d of panel %d inside its panel", i, k).isTrue();
            }
            for (int i = 0; i < n; i++) {
                int px = (int) Math.floor(sx[i]);
                int py = (int) Math.floor(sy[i]);
                int pixel = image.getRGB(px, py) & 0xFFFFFF;
                Set<Integer> covering = coloursWithin(figure, sx, sy, px + 0.5, py + 0.5, radius + 1.0);
                assertThat(covering).as("panel %d particle %d", k, i).contains(pixel);
            }
            Set<Integer> background = Set.of(FigureTheme.LIGHT.panel().getRGB() & 0xFFFFFF,
                    FigureTheme.LIGHT.grid().getRGB() & 0xFFFFFF);
            boolean[] nearDot = stampDiscs(sx, sy, radius + 1.5);
            int empty = 0;
            for (int py = (int) plot.getMinY() + 2; py < plot.getMaxY() - 2; py++) {
                for (int px = (int) plot.getMinX() + 2; px < plot.getMaxX() - 2; px++) {
                    if (!nearDot[py * W + px]) {
                        assertThat(background).as("empty pixel (%d, %d) of panel %d", px, py, k)
                                .contains(image.getRGB(px, py) & 0xFFFFFF);
                        empty++;
                    }
                }
            }
            assertThat(empty).as("panel %d has room around the dots", k).isGreaterThan(1000);
        }
    }

    @Test
    void panelsShareLimitsHoldAllSamplesAndKeepOneScale() {
        ProbabilityPathFigure figure = new ProbabilityPathFigure(snapshots, FigureTheme.DARK);
        List<PlotFrame> frames = figure.panelFrames(new Rectangle2D.Double(0, 0, W, H));
        DataBounds first = frames.get(0).shown();
        for (PlotFrame frame : frames) {
            assertThat(frame.shown()).isEqualTo(first);
            assertThat(frame.unitsPerDataX()).isCloseTo(frame.unitsPerDataY(), within(1e-9));
        }
        for (int k = 0; k < snapshots.timeCount(); k++) {
            for (int i = 0; i < snapshots.count(); i++) {
                assertThat(first.contains(snapshots.x(k, i), snapshots.y(k, i))).isTrue();
            }
        }
    }

    @Test
    void panelsFillTheAreaAtTheCommandLinesDefaultSizeAndThePreferredOne() {
        ProbabilityPathFigure figure = new ProbabilityPathFigure(snapshots, FigureTheme.LIGHT);
        // 1200 x 400: what `flowbench export` draws when no size is given
        for (double[] size : new double[][] {{1200, 400}, {W, H}, {900, 600}}) {
            List<PlotFrame> frames = figure.panelFrames(new Rectangle2D.Double(0, 0, size[0], size[1]));
            Rectangle2D first = frames.get(0).area();
            Rectangle2D last = frames.get(frames.size() - 1).area();
            double rowWidth = last.getMaxX() - first.getMinX();
            // titles, tick labels and caption take about 95 units of height, the margins 32 of width and the axis labels 20
            boolean fillsWidth = rowWidth >= 0.9 * (size[0] - 70);
            boolean fillsHeight = first.getHeight() >= 0.9 * (size[1] - 100);
            double aspect = first.getWidth() / first.getHeight();
            // the panels fill the room both ways, unless their shape is at a limit (0.8 to 2 wide per high)
            boolean atLimit = aspect <= 0.81 || aspect >= 1.99;
            assertThat(fillsWidth && fillsHeight || atLimit && (fillsWidth || fillsHeight))
                    .as("no empty bands at %s x %s (row %.0f wide, panels %.0f high)", size[0], size[1], rowWidth, first.getHeight())
                    .isTrue();
        }
    }

    @Test
    void titlesCaptionAndColoursFollowTheData() {
        ProbabilityPathFigure figure = new ProbabilityPathFigure(snapshots, FigureTheme.LIGHT);
        assertThat(figure.panelTitle(0)).isEqualTo("t = 0");
        assertThat(figure.panelTitle(1)).isEqualTo("t = 0.25");
        assertThat(figure.panelTitle(2)).isEqualTo("t = 0.5");
        assertThat(figure.panelTitle(4)).isEqualTo("t = 1");
        assertThat(figure.caption()).isEqualTo("x_{t} = (1 \u2212 t) x_{0} + t x_{1},  independent coupling,  "
                + "N(0, I) \u2192 two moons,  n = 1000,  seed 7");

        // The colour follows where a particle goes: particles with nearly the same target share
        // nearly the same colour, and the palette spans many hues.
        Set<Integer> hues = new HashSet<>();
        for (int i = 0; i < snapshots.count(); i++) {
            int c = figure.colour(i);
            hues.add((int) (Color.RGBtoHSB((c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF, null)[0] * 12));
        }
        assertThat(hues.size()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void theSvgHoldsOneElementPerSamplePerPanel() throws Exception {
        ProbabilityPathFigure figure = new ProbabilityPathFigure(snapshots, FigureTheme.DARK);
        String svg = FigureExporter.toSvg(figure, W, H);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        Document document = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList groups = document.getElementsByTagName("g");
        int pointGroups = 0;
        int points = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            Element group = (Element) groups.item(i);
            if (PlotFrame.POINTS_CLASS.equals(group.getAttribute("class"))) {
                pointGroups++;
                points += group.getElementsByTagName("ellipse").getLength();
            }
        }
        assertThat(pointGroups).isEqualTo(5);
        assertThat(points).isEqualTo(5 * 1000);
    }

    @Test
    void darkThemePaintsItsBackground() {
        BufferedImage image = FigureExporter.renderImage(new ProbabilityPathFigure(snapshots, FigureTheme.DARK), W, H, 1);
        assertThat(image.getRGB(2, 2) & 0xFFFFFF).isEqualTo(FigureTheme.DARK.background().getRGB() & 0xFFFFFF);
        assertThat(image.getRGB(W - 3, H - 3) & 0xFFFFFF).isEqualTo(FigureTheme.DARK.background().getRGB() & 0xFFFFFF);
    }

    /** Pixels whose centre lies within {@code distance} of some dot centre, as a [H*W] mask. */
    private static boolean[] stampDiscs(double[] sx, double[] sy, double distance) {
        boolean[] mask = new boolean[W * H];
        for (int j = 0; j < sx.length; j++) {
            int x0 = Math.max(0, (int) Math.floor(sx[j] - distance - 1));
            int x1 = Math.min(W - 1, (int) Math.ceil(sx[j] + distance + 1));
            int y0 = Math.max(0, (int) Math.floor(sy[j] - distance - 1));
            int y1 = Math.min(H - 1, (int) Math.ceil(sy[j] + distance + 1));
            for (int py = y0; py <= y1; py++) {
                for (int px = x0; px <= x1; px++) {
                    double dx = px + 0.5 - sx[j];
                    double dy = py + 0.5 - sy[j];
                    if (dx * dx + dy * dy <= distance * distance) {
                        mask[py * W + px] = true;
                    }
                }
            }
        }
        return mask;
    }

    private static Set<Integer> coloursWithin(ProbabilityPathFigure figure, double[] sx, double[] sy,
                                              double x, double y, double distance) {
        Set<Integer> colours = new HashSet<>();
        for (int j = 0; j < sx.length; j++) {
            double dx = sx[j] - x;
            double dy = sy[j] - y;
            if (dx * dx + dy * dy <= distance * distance) {
                colours.add(figure.colour(j));
            }
        }
        return colours;
    }

    private static BufferedImage paintWithoutAntialiasing(ProbabilityPathFigure figure) {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            figure.paint(g, new Rectangle2D.Double(0, 0, W, H));
        } finally {
            g.dispose();
        }
        return image;
    }
}
