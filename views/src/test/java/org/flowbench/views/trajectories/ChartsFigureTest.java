package org.flowbench.views.trajectories;

import org.flowbench.compute.boss.Boss;
import org.flowbench.compute.boss.BossCostMatrix;
import org.flowbench.compute.train.TimestepDistribution;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureTheme;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The timestep histogram against closed forms, and the BOSS heatmap with its jumps where they belong. */
class ChartsFigureTest {

    @Test
    void drawsFollowEachDistributionsExactDensity() {
        for (String spec : new String[] {"uniform", "logit-normal", "u-shaped:4", "u-shaped:12"}) {
            TimestepHistogram h = TimestepHistogram.of(TimestepDistribution.parse(spec), 200_000, 20, 3);
            double total = 0;
            for (int b = 0; b < h.bins(); b++) {
                total += h.expected()[b];
                // binomial standard error of a bin's count, five of them
                double p = h.expected()[b];
                double slack = 5 * Math.sqrt(p * (1 - p) / h.samples()) * h.bins() + 1e-9;
                assertThat(h.density(b)).as("%s bin %d", spec, b).isCloseTo(h.expectedDensity(b),
                        org.assertj.core.api.Assertions.within(slack));
            }
            assertThat(total).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
        }
        TimestepHistogram u = TimestepHistogram.of(TimestepDistribution.parse("u-shaped:4"), 50_000, 10, 1);
        // cosh(a (t - 1/2)): the end bins carry cosh(2)-like weight against the middle's 1
        assertThat(u.expectedDensity(0) / u.expectedDensity(5)).isBetween(2.5, 3.5);
        TimestepHistogram logit = TimestepHistogram.of(TimestepDistribution.parse("logit-normal"), 50_000, 10, 1);
        assertThat(logit.expectedDensity(5)).isGreaterThan(3 * logit.expectedDensity(0));
        assertThat(TimestepHistogram.of(TimestepDistribution.parse("uniform"), 1000, 10, 9).counts())
                .containsExactly(TimestepHistogram.of(TimestepDistribution.parse("uniform"), 1000, 10, 9).counts());
        assertThatThrownBy(() -> TimestepHistogram.of(TimestepDistribution.parse("uniform"), 0, 10, 1))
                .hasMessageContaining("samples");
    }

    /** Costs that make jumps ending at fine index 30 and 70 free: BOSS-3 must take 0 -> 30 -> 70 -> M. */
    private static BossPlan plan() {
        int m = 100;
        double[] times = new double[m + 1];
        for (int i = 0; i <= m; i++) {
            times[i] = i / (double) m;
        }
        double[] cost = new double[(m + 1) * (m + 1)];
        for (int i = 0; i <= m; i++) {
            for (int j = i + 1; j <= m; j++) {
                boolean chosen = (i == 0 && j == 30) || (i == 30 && j == 70) || (i == 70 && j == m);
                cost[i * (m + 1) + j] = chosen ? 1e-6 : 0.01 * (j - i) * (1 + i);
            }
        }
        BossCostMatrix costs = BossCostMatrix.of(times, cost);
        return new BossPlan("1-RF \u00b7 test", costs, Boss.optimalSchedule(costs, 3));
    }

    @Test
    void theHeatmapMarksTheChosenJumps() {
        BossPlan plan = plan();
        assertThat(plan.schedule().indices()).containsExactly(0, 30, 70, 100);
        ChartsFigure figure = new ChartsFigure(List.of(), List.of(), new float[0], null, List.of(plan), FigureTheme.LIGHT);
        assertThat(figure.rows()).isEqualTo(4);
        JFreeChart chart = figure.bossChart(plan);
        BufferedImage image = new BufferedImage(500, 420, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        FigureExporter.applyQualityHints(g);
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.draw(g, new Rectangle2D.Double(0, 0, 500, 420), info);
        g.dispose();
        Rectangle2D data = info.getPlotInfo().getDataArea();
        XYPlot plot = chart.getXYPlot();
        double[][] jumps = {{0.0, 0.3}, {0.3, 0.7}, {0.7, 1.0}};
        for (double[] jump : jumps) {
            int x = (int) Math.floor(plot.getDomainAxis().valueToJava2D(jump[0], data, RectangleEdge.BOTTOM));
            int y = (int) Math.floor(plot.getRangeAxis().valueToJava2D(jump[1], data, RectangleEdge.LEFT));
            assertThat(image.getRGB(x, y) & 0xFFFFFF).as("marker of jump %s", java.util.Arrays.toString(jump)).isEqualTo(0xD55E00);
        }
        // below the diagonal (j <= i) nothing is measured, so the plot background shows
        int x = (int) plot.getDomainAxis().valueToJava2D(0.83, data, RectangleEdge.BOTTOM);
        int y = (int) plot.getRangeAxis().valueToJava2D(0.13, data, RectangleEdge.LEFT);
        assertThat(image.getRGB(x, y) & 0xFFFFFF).isEqualTo(FigureTheme.LIGHT.panel().getRGB() & 0xFFFFFF);
        // a cheap cell and an expensive one get the two ends of the colour scale
        int cheap = image.getRGB((int) plot.getDomainAxis().valueToJava2D(0.02, data, RectangleEdge.BOTTOM),
                (int) plot.getRangeAxis().valueToJava2D(0.04, data, RectangleEdge.LEFT)) & 0xFFFFFF;
        int dear = image.getRGB((int) plot.getDomainAxis().valueToJava2D(0.6, data, RectangleEdge.BOTTOM),
                (int) plot.getRangeAxis().valueToJava2D(0.98, data, RectangleEdge.LEFT)) & 0xFFFFFF;
        assertThat(cheap).isNotEqualTo(dear);
    }

    @Test
    void everyChartDrawsIntoEveryExportFormat() throws Exception {
        ChartsFigure figure = new ChartsFigure(List.of(), List.of(new double[] {1, 0.4}, new double[] {2, 0.05}),
                new float[] {3, 2, 1.5f, 1.2f}, TimestepHistogram.of(TimestepDistribution.parse("u-shaped:4"), 2000, 20, 1),
                List.of(plan()), FigureTheme.DARK);
        assertThat(figure.rows()).isEqualTo(5);
        String svg = FigureExporter.toSvg(figure, 420, (int) (figure.rows() * ChartsFigure.ROW_HEIGHT));
        assertThat(svg).contains("Training times t ~ u-shaped:4.0").contains("BOSS-3 jumps");
        assertThat(FigureExporter.toPdf(figure, 420, 1250)).isNotEmpty();
    }

    @Test
    void theW2ChartsLogAxesAreLabelledWithPlainNumbers() {
        int[] nfe = {1, 2, 4, 8, 16, 32, 64};
        double[] w2 = {2.5, 1.6, 1.1, 0.8, 0.6, 0.45, 0.4};
        ChartsFigure figure = new ChartsFigure(List.of(new FlowComparison("1-RF \u00b7 moons", java.util.Collections.nCopies(7, "euler"),
                nfe, w2)), List.of(), null, null, List.of(), FigureTheme.LIGHT);
        org.jfree.chart.JFreeChart chart = figure.w2Chart();
        java.awt.Graphics2D g = new java.awt.image.BufferedImage(420, 300, java.awt.image.BufferedImage.TYPE_INT_RGB).createGraphics();
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        chart.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, 420, 300), info);
        java.awt.geom.Rectangle2D area = info.getPlotInfo().getDataArea();
        List<String> nfeTicks = tickLabels(chart.getXYPlot().getDomainAxis(), g, area, org.jfree.chart.ui.RectangleEdge.BOTTOM);
        List<String> w2Ticks = tickLabels(chart.getXYPlot().getRangeAxis(), g, area, org.jfree.chart.ui.RectangleEdge.LEFT);
        assertThat(nfeTicks).as("NFE ticks 1, 2, 4 ... 64, not 2^0 ... 2^6").contains("1", "4", "16", "64");
        assertThat(w2Ticks).as("W2 ticks as values, not powers of ten").contains("1.0").allMatch(l -> l.matches("[0-9]+\\.[0-9]+"));
    }

    /** The axis's tick labels as read: each label's characters, an exponent marked "^" before it. */
    private static List<String> tickLabels(org.jfree.chart.axis.ValueAxis axis, java.awt.Graphics2D g, java.awt.geom.Rectangle2D area,
                                           org.jfree.chart.ui.RectangleEdge edge) {
        List<String> labels = new java.util.ArrayList<>();
        for (Object tick : axis.refreshTicks(g, new org.jfree.chart.axis.AxisState(), area, edge)) {
            org.jfree.chart.axis.LogTick log = (org.jfree.chart.axis.LogTick) tick;
            if (log.getAttributedLabel() == null) {
                continue;
            }
            java.text.AttributedCharacterIterator it = log.getAttributedLabel().getIterator();
            StringBuilder text = new StringBuilder();
            for (char c = it.first(); c != java.text.CharacterIterator.DONE; c = it.next()) {
                text.append(it.getAttribute(java.awt.font.TextAttribute.SUPERSCRIPT) != null ? "^" : "").append(c);
            }
            labels.add(text.toString());
        }
        return labels;
    }
}
