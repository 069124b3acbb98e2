package org.flowbench.views.norm;

import org.flowbench.compute.lm.LmSweep;
import org.flowbench.compute.lm.Placement;
import org.flowbench.views.figure.ColourBar;
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

/** A known variance curve lands on the pixels its values say; a sweep cell has its loss's colour. */
class DepthFigureRenderTest {

    private static final int W = 1200;
    private static final int H = 760;
    /** The Depth canvas (width, height) in a 1024 x 700 and in a 1280 x 800 window, measured on screen. */
    private static final int[] CANVAS_1024 = {822, 412};
    private static final int[] CANVAS_1280 = {1077, 538};

    private static boolean near(int rgb, Color c, int tolerance) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return Math.abs(r - c.getRed()) <= tolerance && Math.abs(g - c.getGreen()) <= tolerance
                && Math.abs(b - c.getBlue()) <= tolerance;
    }

    @Test
    void eachLayersVarianceIsDrawnAtItsLogPosition() {
        DepthRun pre = NormTestRuns.run(Placement.PRE, 8, 100);
        DepthRun peri = NormTestRuns.run(Placement.PERI, 8, 100);
        DepthFigure figure = new DepthFigure(List.of(pre, peri), DepthMetric.VARIANCE, 50, null, FigureTheme.LIGHT);
        // variance 10^(l/4 - 1) * 1.5 at step 50: from 0.15 to 15; decades 10^-1 .. 10^2
        assertThat(figure.decades()).containsExactly(-1, 2);
        BufferedImage image = FigureExporter.renderImage(figure, W, H, 1);
        Rectangle2D area = new Rectangle2D.Double(0, 0, W, H);
        for (int panel = 0; panel < 2; panel++) {
            DepthRun run = figure.runs().get(panel);
            Color colour = DepthFigure.colour(run, FigureTheme.LIGHT);
            PlotFrame frame = figure.curveFrame(area, panel);
            for (int l = 0; l <= 8; l++) {
                double v = Math.pow(10, l / 4.0 - 1) * 1.5;
                int x = (int) Math.floor(frame.screenX(l));
                int y = (int) Math.floor(frame.screenY(Math.log10(v)));
                assertThat(near(image.getRGB(x, y), colour, 40))
                        .as("panel %d layer %d at (%d, %d) is %06x", panel, l, x, y, image.getRGB(x, y) & 0xFFFFFF)
                        .isTrue();
                // ten pixels above the point lies nothing of the run's colour (the curve rises by < 10 px per layer there)
                int above = (int) Math.floor(frame.screenY(Math.log10(v)) - 14);
                assertThat(near(image.getRGB(x, above), colour, 40)).as("panel %d layer %d above", panel, l).isFalse();
            }
        }
    }

    @Test
    void theCurveMovesWithTheStep() {
        DepthRun pre = NormTestRuns.run(Placement.PRE, 8, 300);
        Rectangle2D area = new Rectangle2D.Double(0, 0, W, H);
        DepthFigure early = new DepthFigure(List.of(pre), DepthMetric.VARIANCE, 0, null, FigureTheme.LIGHT);
        DepthFigure late = new DepthFigure(List.of(pre), DepthMetric.VARIANCE, 300, null, FigureTheme.LIGHT);
        BufferedImage image = FigureExporter.renderImage(late, W, H, 1);
        PlotFrame frame = late.curveFrame(area, 0);
        Color colour = DepthFigure.colour(pre, FigureTheme.LIGHT);
        int x = (int) Math.floor(frame.screenX(4));
        assertThat(near(image.getRGB(x, (int) Math.floor(frame.screenY(Math.log10(4.0)))), colour, 40)).isTrue();
        assertThat(early.runs().get(0).probeAt(0).variance()[4]).isEqualTo(1.0);
    }

    /** A text element of an SVG: where it is drawn and what it says. */
    private record SvgText(double x, double y, String text) {
    }

    private static List<SvgText> texts(String svg) {
        return java.util.regex.Pattern.compile("<text[^>]*?x=['\"]([-0-9.]+)['\"][^>]*?y=['\"]([-0-9.]+)['\"][^>]*>([^<]*)</text>")
                .matcher(svg).results()
                .map(m -> new SvgText(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), m.group(3)))
                .toList();
    }

    /** |x| of every token and channel at every layer, largest 4.25 at channel 3 of the last layer. */
    private static DepthFigure.Activations activations(DepthRun run) {
        org.flowbench.compute.lm.LmConfig c = run.config();
        int rows = 8;
        float[][] abs = new float[c.layers() + 1][rows * c.width()];
        for (int l = 0; l <= c.layers(); l++) {
            for (int i = 0; i < abs[l].length; i++) {
                abs[l][i] = (i % c.width() == 3 && l == c.layers()) ? 4.25f : 0.5f + 0.01f * (i % 7);
            }
        }
        return new DepthFigure.Activations(run.label(), run.lastStep(), c.layers(),
                new org.flowbench.compute.lm.LmActivations(c, new int[rows], rows, abs));
    }

    @Test
    void eachHeatmapKindHasAColourBarWithTheDataRangeOnItsTicksInTheExportedSvg() {
        List<DepthRun> runs = List.of(NormTestRuns.run(Placement.POST, 8, 100), NormTestRuns.run(Placement.PRE, 8, 100),
                NormTestRuns.run(Placement.PERI, 8, 100));
        DepthFigure figure = new DepthFigure(runs, DepthMetric.VARIANCE, 50, activations(runs.get(1)), FigureTheme.LIGHT);
        // variance from 0.1 (layer 0, step 0) to 20 (layer 8, step 100): decades 10^-1 .. 10^2, one scale for all runs
        assertThat(figure.heatmapScale().lo()).isEqualTo(-1);
        assertThat(figure.heatmapScale().hi()).isEqualTo(2);
        assertThat(figure.heatmapScale().log()).isTrue();
        assertThat(figure.heatmapScale().note()).isEqualTo("shared");
        // entropy from 0 to ln(context 17) nats
        assertThat(figure.entropyScale().hi()).isCloseTo(Math.log(17), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(figure.activationScale().hi()).isEqualTo(4.25);

        String svg = FigureExporter.toSvg(figure, W, H);
        List<SvgText> texts = texts(svg);
        Rectangle2D inner = DepthFigure.inner(new Rectangle2D.Double(0, 0, W, H));
        DepthFigure.Layout layout = figure.layout(inner);
        Rectangle2D heatStrip = layout.heatmapBar();
        Rectangle2D entropyStrip = layout.entropyBar();
        // the strips lie right of the last run's heatmaps, left of the side panels
        assertThat(heatStrip.getMinX()).isGreaterThanOrEqualTo(layout.heatmaps()[2].getMaxX());
        assertThat(heatStrip.getMaxX()).isLessThanOrEqualTo(layout.loss().getMinX());
        assertThat(labelsIn(texts, heatStrip)).contains("10\u207b\u00b9", "10\u00b2", "Var(x_l)", "shared");
        assertThat(labelsIn(texts, entropyStrip)).contains("0", "2.83", "nats", "shared");
        Rectangle2D side = layout.activations();
        Rectangle2D barSide = new Rectangle2D.Double(side.getMaxX() - ColourBar.STRIP_WIDTH, side.getY(),
                ColourBar.STRIP_WIDTH, side.getHeight());
        assertThat(labelsIn(texts, barSide)).contains("0", "4.25");
        // and drawn in the bar's colours: the bottom of the heatmap row's bar is viridis' dark end
        BufferedImage image = FigureExporter.renderImage(figure, W, H, 1);
        Rectangle2D bar = DepthFigure.barIn(heatStrip);
        Color bottom = new Color(image.getRGB((int) bar.getCenterX(), (int) bar.getMaxY() - 2));
        Color top = new Color(image.getRGB((int) bar.getCenterX(), (int) bar.getMinY() + 2));
        assertThat(near(bottom.getRGB(), new Color(0x440154), 30)).as("bottom of the bar %s", bottom).isTrue();
        assertThat(near(top.getRGB(), new Color(0xFDE725), 30)).as("top of the bar %s", top).isTrue();
    }

    /** The texts drawn with their start inside {@code r}. */
    private static List<String> labelsIn(List<SvgText> texts, Rectangle2D r) {
        return texts.stream().filter(t -> r.contains(t.x(), t.y())).map(SvgText::text).toList();
    }

    @Test
    void noDepthTextIsCutShortOnTheCanvasOfEitherWindowSize() {
        List<DepthRun> runs = List.of(NormTestRuns.run(Placement.POST, 8, 600), NormTestRuns.run(Placement.PRE, 8, 600),
                NormTestRuns.run(Placement.PERI, 8, 600));
        List<String> cut = new ArrayList<>();
        // the Depth canvas of a 1024 x 700 and of a 1280 x 800 window
        for (int[] size : new int[][] {{CANVAS_1024[0], CANVAS_1024[1]}, {CANVAS_1280[0], CANVAS_1280[1]}}) {
            DepthFigure figure = new DepthFigure(runs, DepthMetric.VARIANCE, 600, activations(runs.get(1)), FigureTheme.LIGHT);
            texts(FigureExporter.toSvg(figure, size[0], size[1])).stream().map(SvgText::text)
                    .filter(text -> text.contains("\u2026"))
                    .forEach(text -> cut.add(size[0] + "x" + size[1] + ": " + text));
        }
        assertThat(cut).isEmpty();
    }

    @Test
    void aSweepCellIsColouredByItsFinalLossAndAClickFindsIt() {
        LmSweep.Sweep sweep = LmSweep.parse(String.join("\n",
                "# flowbench sweep-lm",
                "# model=vocab=11 context=9 width=16 heads=2 layers=2 placement=pre norm=layer ffn_only=false "
                        + "tied_head=false init=gpt2 init_scale=1.0 activation=gelu",
                "# task=reverse", "# task_size=4", "# steps=10", "# batch=4", "# warmup_steps=1", "# weight_decay=0.1",
                "placement,lr,warmup,seed,final_loss,diverged,diverged_step,diverged_layer",
                "post,0.01,on,0,2.0,false,-1,-1",
                "post,0.01,off,0,nan,true,7,2",
                "pre,0.01,on,0,0.5,false,-1,-1",
                "pre,0.01,off,0,1.0,false,-1,-1", ""));
        SweepFigure figure = new SweepFigure(sweep, null, FigureTheme.LIGHT);
        assertThat(figure.lossRange()).containsExactly(0.5, 2.0);
        BufferedImage image = FigureExporter.renderImage(figure, 900, 560, 1);
        Rectangle2D area = new Rectangle2D.Double(0, 0, 900, 560);
        for (LmSweep.Outcome o : sweep.outcomes()) {
            Rectangle2D sq = figure.square(area, o.cell());
            int rgb = image.getRGB((int) sq.getX() + 4, (int) sq.getY() + 4) & 0xFFFFFF;
            assertThat(rgb).as("cell %s", o.cell()).isEqualTo(figure.colourOf(o));
            assertThat(figure.runAt(area, sq.getCenterX(), sq.getCenterY())).contains(o);
        }
        assertThat(figure.colourOf(sweep.outcomes().get(1))).as("diverged: grey").isEqualTo(0x9A9A9A);
        assertThat(figure.colourOf(sweep.outcomes().get(2))).as("lowest loss: the dark end").isEqualTo(0x440154);
        assertThat(figure.runAt(area, 2, 2)).isEmpty();
        // log scale: 1.0 is halfway between 0.5 and 2.0
        assertThat(figure.colourOf(sweep.outcomes().get(3))).isEqualTo(org.flowbench.views.figure.Palette.heat(0.5));
        // a blown-up run takes the top colour and does not squeeze the others
        LmSweep.Sweep blown = LmSweep.parse(LmSweep.format(sweep).replace("post,0.01,on,0,2.00000", "post,0.01,on,0,1.00000e+06"));
        SweepFigure capped = new SweepFigure(blown, null, FigureTheme.LIGHT);
        assertThat(capped.lossRange()).containsExactly(0.5, SweepFigure.COLOUR_CAP);
        assertThat(capped.colourOf(blown.outcomes().get(0))).isEqualTo(0xFDE725);
    }
}
