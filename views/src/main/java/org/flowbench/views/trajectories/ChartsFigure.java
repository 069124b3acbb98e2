package org.flowbench.views.trajectories;

import org.flowbench.compute.boss.BossCostMatrix;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lab's charts, drawn by JFreeChart into the same Graphics2D route as every figure, one per
 * row: W2 against NFE per solver for both models (log-log), straightness per reflow round, the
 * loss of the last training job, the timestep distribution training draws from, and, when the
 * schedule is BOSS, each model's cost matrix as a heatmap with its chosen jumps. Immutable.
 *
 * @param comparisons   W2 vs NFE of each model (may be empty)
 * @param straightness  (round, straightness) pairs
 * @param losses        loss per training step of the last job (may be empty)
 * @param timesteps     draws from the training timestep distribution (null: no chart)
 * @param boss          BOSS plans of the shown models (empty on a uniform grid)
 */
public record ChartsFigure(List<FlowComparison> comparisons, List<double[]> straightness, float[] losses,
                           TimestepHistogram timesteps, List<BossPlan> boss, FigureTheme theme)
        implements Figure {

    /** Height of one chart in the lab's side panel, in logical units. */
    public static final double ROW_HEIGHT = 250;

    public ChartsFigure {
        comparisons = List.copyOf(comparisons);
        straightness = List.copyOf(straightness);
        losses = losses == null ? new float[0] : losses;
        boss = boss == null ? List.of() : List.copyOf(boss);
    }

    @Override
    public String title() {
        return "Trajectories charts";
    }

    /** The charts in the order they are drawn, top to bottom. */
    List<JFreeChart> charts() {
        List<JFreeChart> all = new ArrayList<>(List.of(w2Chart(), straightnessChart(), lossChart()));
        if (timesteps != null) {
            all.add(timestepChart());
        }
        for (BossPlan plan : boss) {
            all.add(bossChart(plan));
        }
        return all;
    }

    /** How many charts are drawn (rows of the figure). */
    public int rows() {
        return 3 + (timesteps == null ? 0 : 1) + boss.size();
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        List<JFreeChart> charts = charts();
        double h = area.getHeight() / charts.size();
        for (int i = 0; i < charts.size(); i++) {
            charts.get(i).draw(g, new Rectangle2D.Double(area.getX(), area.getY() + i * h, area.getWidth(), h));
        }
    }

    /** Bars: density of the draws per bin; line: the exact density averaged over each bin. */
    JFreeChart timestepChart() {
        int bins = timesteps.bins();
        XYSeries drawn = new XYSeries("draws", false, false);
        XYSeries exact = new XYSeries("exact", false, false);
        for (int b = 0; b < bins; b++) {
            double centre = (b + 0.5) / bins;
            drawn.add(centre, timesteps.density(b));
            exact.add(centre, timesteps.expectedDensity(b));
        }
        XYSeriesCollection bars = new XYSeriesCollection(drawn);
        bars.setIntervalWidth(1.0 / bins);
        XYBarRenderer barRenderer = new XYBarRenderer(0.08);
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setShadowVisible(false);
        barRenderer.setSeriesPaint(0, new Color(Palette.SKY_BLUE));
        NumberAxis t = new NumberAxis("t");
        t.setRange(0, 1);
        NumberAxis density = new NumberAxis("density");
        density.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(bars, t, density, barRenderer);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, new Color(Palette.VERMILLION));
        line.setSeriesStroke(0, new BasicStroke(1.8f));
        plot.setDataset(1, new XYSeriesCollection(exact));
        plot.setRenderer(1, line);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT, "Training times t ~ %s (bars: %,d draws; line: exact)",
                timesteps.spec(), timesteps.samples()), JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        return style(chart);
    }

    /**
     * c[i][j] for i < j on the fine grid (x: from t_i, y: to t_j), log-scaled colours, and the
     * chosen schedule's jumps (t_{i_k}, t_{i_{k+1}}) marked and joined in order.
     */
    JFreeChart bossChart(BossPlan plan) {
        BossCostMatrix costs = plan.costs();
        int m = costs.fineSteps();
        int cells = m * (m + 1) / 2;
        double[][] xyz = new double[3][cells];
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        int c = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j <= m; j++) {
                double value = Math.log10(Math.max(costs.cost(i, j), 1e-30));
                xyz[0][c] = costs.time(i);
                xyz[1][c] = costs.time(j);
                xyz[2][c] = value;
                low = Math.min(low, value);
                high = Math.max(high, value);
                c++;
            }
        }
        // the few jumps of a fine step or two are far cheaper than the rest; let them saturate
        // rather than spend the colour scale on them
        double[] sorted = java.util.Arrays.copyOf(xyz[2], cells);
        java.util.Arrays.sort(sorted);
        low = Math.max(low, sorted[(int) (0.05 * (cells - 1))]);
        DefaultXYZDataset heat = new DefaultXYZDataset();
        heat.addSeries("log10 c", xyz);
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setBlockWidth(1.0 / m);
        blocks.setBlockHeight(1.0 / m);
        PaintScale scale = heatScale(low, high > low ? high : low + 1);
        blocks.setPaintScale(scale);
        NumberAxis from = new NumberAxis("from t_i");
        from.setRange(-0.5 / m, 1 + 0.5 / m);
        NumberAxis to = new NumberAxis("to t_j");
        to.setRange(-0.5 / m, 1 + 0.5 / m);
        XYPlot plot = new XYPlot(heat, from, to, blocks);
        int[] jumps = plan.schedule().indices();
        XYSeries path = new XYSeries("jumps", false, true);
        for (int k = 0; k + 1 < jumps.length; k++) {
            path.add(costs.time(jumps[k]), costs.time(jumps[k + 1]));
        }
        XYLineAndShapeRenderer marks = new XYLineAndShapeRenderer(true, true);
        marks.setSeriesPaint(0, Palette.accent(theme));
        marks.setSeriesStroke(0, new BasicStroke(1.2f));
        marks.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7));
        plot.setDataset(1, new XYSeriesCollection(path));
        plot.setRenderer(1, marks);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT, "BOSS-%d jumps on the cost matrix: %s (total %.3g)",
                plan.schedule().steps(), plan.label().replaceFirst(" \u00b7.*", ""), plan.schedule().cost()),
                JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        NumberAxis legendAxis = new NumberAxis("log10 c[i][j]");
        legendAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
        legendAxis.setTickLabelPaint(theme.text());
        legendAxis.setLabelPaint(theme.mutedText());
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(10);
        legend.setMargin(4, 4, 4, 4);
        legend.setBackgroundPaint(theme.background());
        chart.addSubtitle(legend);
        return style(chart);
    }

    /** A paint scale from the palette's heat colours, linear between them. */
    private static PaintScale heatScale(double low, double high) {
        return new PaintScale() {
            @Override
            public double getLowerBound() {
                return low;
            }

            @Override
            public double getUpperBound() {
                return high;
            }

            @Override
            public java.awt.Paint getPaint(double value) {
                return new Color(Palette.heat((value - low) / (high - low)));
            }
        };
    }

    JFreeChart w2Chart() {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int series = 0;
        for (int m = 0; m < comparisons.size(); m++) {
            FlowComparison c = comparisons.get(m);
            String model = c.label().replaceFirst(" \u00b7.*", "");
            List<String> names = c.solver();
            for (int s = 0; s < org.flowbench.compute.ode.Solvers.names().size(); s++) {
                String solver = org.flowbench.compute.ode.Solvers.names().get(s);
                XYSeries xy = new XYSeries(model + " " + solver, true, true);
                for (int i = 0; i < names.size(); i++) {
                    if (names.get(i).equals(solver)) {
                        xy.add(c.nfe()[i], c.w2()[i]);
                    }
                }
                if (xy.getItemCount() > 0) {
                    data.addSeries(xy);
                    renderer.setSeriesPaint(series, Palette.series(s));
                    renderer.setSeriesStroke(series, m == 0
                            ? new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f)
                            : new BasicStroke(2f));
                    series++;
                }
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(comparisons.isEmpty()
                        ? "W2 vs NFE (press Measure)" : "W2 to the target vs NFE (dashed: left model, solid: right)",
                "NFE", "W2", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(renderer);
        if (!comparisons.isEmpty()) {
            // ticks read as the numbers they are (1, 2, 4 ... 64; 0.63, 1.0, 1.58), not as 2^k and 10^0.2
            LogAxis x = new LogAxis("NFE");
            x.setBase(2);
            x.setSmallestValue(1);
            x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            x.setNumberFormatOverride(new java.text.DecimalFormat("0", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
            plot.setDomainAxis(x);
            LogAxis y = new LogAxis("W2");
            y.setSmallestValue(1e-3);
            double smallest = comparisons.stream().flatMapToDouble(c -> java.util.Arrays.stream(c.w2())).filter(v -> v > 0)
                    .min().orElse(1);
            int decimals = Math.max(2, (int) Math.ceil(-Math.log10(Math.max(smallest, 1e-3))) + 1);
            y.setNumberFormatOverride(new java.text.DecimalFormat("0.0" + "#".repeat(decimals - 1),
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
            plot.setRangeAxis(y);
        }
        return style(chart);
    }

    JFreeChart straightnessChart() {
        XYSeries xy = new XYSeries("straightness (RK4, 32 steps)", true, false);
        for (double[] p : straightness) {
            xy.addOrUpdate(p[0], p[1]);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Straightness per reflow round (k-RF)", "k", "S",
                new XYSeriesCollection(xy), PlotOrientation.VERTICAL, false, false, false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, new Color(Palette.BLUE));
        chart.getXYPlot().setRenderer(renderer);
        ((NumberAxis) chart.getXYPlot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return style(chart);
    }

    JFreeChart lossChart() {
        XYSeries xy = new XYSeries("loss", false, true);
        int stride = Math.max(1, losses.length / 400);
        for (int i = 0; i < losses.length; i += stride) {
            double mean = 0;
            int count = 0;
            for (int j = i; j < Math.min(losses.length, i + stride); j++) {
                mean += losses[j];
                count++;
            }
            xy.add(i + 1, mean / count);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(losses.length == 0
                        ? "Training loss (train, reflow or distill to see it)" : "Training loss of the last job",
                "step", "loss", new XYSeriesCollection(xy), PlotOrientation.VERTICAL, false, false, false);
        chart.getXYPlot().getRenderer().setSeriesPaint(0, new Color(Palette.VERMILLION));
        return style(chart);
    }

    private JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(theme.background());
        chart.getTitle().setPaint(theme.text());
        chart.getTitle().setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 12));
        if (chart.getLegend() != null) {
            chart.getLegend().setBackgroundPaint(theme.background());
            chart.getLegend().setItemPaint(theme.text());
            chart.getLegend().setItemFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 9));
        }
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(theme.panel());
        plot.setDomainGridlinePaint(theme.grid());
        plot.setRangeGridlinePaint(theme.grid());
        for (var axis : new org.jfree.chart.axis.ValueAxis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
            axis.setLabelPaint(theme.mutedText());
            axis.setTickLabelPaint(theme.text());
            axis.setAxisLinePaint(theme.axis());
        }
        return chart;
    }
}
