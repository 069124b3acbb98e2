package org.flowbench.views.poincare;

import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;

/**
 * The training charts, two by two: loss, mean rank (log scale) and MAP per epoch with one line
 * per manifold (the latest run of each), and every node's norm in the ball against its depth
 * in the frame on show. Drawn by JFreeChart into the one paint routine. Immutable.
 *
 * @param curves the latest curve of each manifold trained so far
 * @param frame  the frame on show, or null
 */
public record TrainingChartsFigure(List<TrainingCurve> curves, TrainingFrame frame, Hierarchy hierarchy, FigureTheme theme)
        implements Figure {

    public static final int PREFERRED_WIDTH = 1000;
    public static final int PREFERRED_HEIGHT = 700;
    /** Manifolds in the order (and colours) every chart uses. */
    static final List<String> MANIFOLDS = List.of("poincare", "euclidean", "lorentz");

    public TrainingChartsFigure {
        curves = List.copyOf(curves);
    }

    @Override
    public String title() {
        return "Training: loss, mean rank, MAP, norm against depth";
    }

    static Color colour(String manifold) {
        return Palette.series(Math.max(0, MANIFOLDS.indexOf(manifold)));
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        double legend = paintLegend(g, area);
        JFreeChart[] charts = {lossChart(), rankChart(), mapChart(), normChart()};
        double height = area.getHeight() - legend;
        // two by two unless the area is a tall column
        int columns = area.getWidth() >= 0.8 * height ? 2 : 1;
        int rows = (charts.length + columns - 1) / columns;
        double w = area.getWidth() / columns;
        double h = height / rows;
        for (int i = 0; i < charts.length; i++) {
            charts[i].draw(g, new Rectangle2D.Double(area.getX() + (i % columns) * w, area.getY() + legend + (i / columns) * h, w, h));
        }
    }

    /** One legend for all charts, wrapped onto as many lines as the width needs; returns its height. */
    private double paintLegend(Graphics2D g, Rectangle2D area) {
        Font saved = g.getFont();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        double lineHeight = 16;
        double x = area.getX() + 8;
        double y = area.getY() + 4;
        String empty = "Train on the Training tab: a line per manifold (Poincar\u00e9, Euclidean, Lorentz)";
        if (curves.isEmpty()) {
            g.setPaint(theme.mutedText());
            g.drawString(org.flowbench.views.figure.FigureText.fitted(g, area.getWidth() - 16, empty, "Train to see the curves"),
                    (float) x, (float) (y + 12));
            g.setFont(saved);
            return lineHeight + 6;
        }
        for (TrainingCurve c : curves) {
            String text = label(c);
            double w = 22 + g.getFontMetrics().stringWidth(text) + 14;
            if (x > area.getX() + 8 && x + w > area.getMaxX()) {
                x = area.getX() + 8;
                y += lineHeight;
            }
            g.setPaint(colour(c.manifold()));
            g.fill(new Rectangle2D.Double(x, y + 6, 16, 3));
            g.setPaint(theme.text());
            g.drawString(text, (float) (x + 20), (float) (y + 12));
            x += w;
        }
        g.setFont(saved);
        return y - area.getY() + lineHeight + 6;
    }

    private JFreeChart lossChart() {
        XYSeriesCollection data = new XYSeriesCollection();
        for (TrainingCurve c : curves) {
            XYSeries s = new XYSeries(label(c), false, true);
            for (int e = 0; e < c.loss().length; e++) {
                s.add(e + 1, c.loss()[e]);
            }
            data.addSeries(s);
        }
        return chart("Loss per epoch", "epoch", new NumberAxis("loss"), data, false);
    }

    private JFreeChart rankChart() {
        XYSeriesCollection data = new XYSeriesCollection();
        for (TrainingCurve c : curves) {
            XYSeries s = new XYSeries(label(c), false, true);
            for (int k = 0; k < c.evalEpochs().length; k++) {
                s.add(c.evalEpochs()[k], c.meanRank()[k]);
            }
            data.addSeries(s);
        }
        LogAxis rank = new LogAxis("mean rank");
        rank.setSmallestValue(1);
        // Powers of two read as ranks (1, 2, 4 ... 512); base-10 ticks land on 398.11, 501.19.
        rank.setBase(2);
        rank.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
        rank.setNumberFormatOverride(new java.text.DecimalFormat("0"));
        return chart("Mean rank (1 is best)", "epoch", rank, data, true);
    }

    private JFreeChart mapChart() {
        XYSeriesCollection data = new XYSeriesCollection();
        for (TrainingCurve c : curves) {
            XYSeries s = new XYSeries(label(c), false, true);
            for (int k = 0; k < c.evalEpochs().length; k++) {
                s.add(c.evalEpochs()[k], c.map()[k]);
            }
            data.addSeries(s);
        }
        NumberAxis map = new NumberAxis("MAP");
        map.setRange(0, 1.02);
        return chart("MAP (reconstruction)", "epoch", map, data, true);
    }

    private static String label(TrainingCurve c) {
        String last = Double.isNaN(c.lastMeanRank()) ? "" : String.format(Locale.ROOT, ": MR %.2f, MAP %.3f", c.lastMeanRank(), c.lastMap());
        return SpaceNames.of(c.manifold()) + " " + c.dim() + "-D" + last;
    }

    private JFreeChart normChart() {
        XYSeriesCollection data = new XYSeriesCollection();
        String title = "Norm against depth";
        if (frame != null && hierarchy != null && frame.norms().length == hierarchy.size()) {
            XYSeries nodes = new XYSeries("nodes", false, true);
            XYSeries means = new XYSeries("mean per depth", true, true);
            int maxDepth = hierarchy.maxDepth();
            double[] sum = new double[maxDepth + 1];
            int[] count = new int[maxDepth + 1];
            for (int i = 0; i < frame.norms().length; i++) {
                int d = hierarchy.depth(i);
                // a small fixed offset per node so nodes of one depth do not hide each other
                nodes.add(d + 0.3 * (((i * 0x9E3779B1L) >>> 8 & 0xFF) / 255.0 - 0.5), frame.norms()[i]);
                sum[d] += frame.norms()[i];
                count[d]++;
            }
            for (int d = 0; d <= maxDepth; d++) {
                if (count[d] > 0) {
                    means.add(d, sum[d] / count[d]);
                }
            }
            data.addSeries(nodes);
            data.addSeries(means);
            title = String.format(Locale.ROOT, "Norm against depth, %s epoch %d", SpaceNames.of(frame.manifold()), frame.epoch());
        }
        NumberAxis norm = new NumberAxis("norm in the ball");
        norm.setRange(0, 1.02);
        NumberAxis depthAxis = new NumberAxis("depth");
        depthAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
        Color dots = frame == null ? theme.axis() : colour(frame.manifold());
        renderer.setSeriesPaint(0, new Color(dots.getRed(), dots.getGreen(), dots.getBlue(), 110));
        renderer.setSeriesLinesVisible(1, true);
        renderer.setSeriesShapesVisible(1, true);
        renderer.setSeriesPaint(1, Palette.accent(theme));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        XYPlot plot = new XYPlot(data, depthAxis, norm, renderer);
        return style(new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 12), plot, false));
    }

    private JFreeChart chart(String title, String x, ValueAxis y, XYSeriesCollection data, boolean shapes) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, shapes);
        for (int i = 0; i < curves.size(); i++) {
            renderer.setSeriesPaint(i, colour(curves.get(i).manifold()));
            renderer.setSeriesStroke(i, new BasicStroke(1.8f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        NumberAxis epoch = new NumberAxis(x);
        epoch.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epoch.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, epoch, y, renderer);
        String shown = title;
        JFreeChart chart = new JFreeChart(shown, new Font(Font.SANS_SERIF, Font.BOLD, 12), plot, false);
        return style(chart);
    }

    private JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(theme.background());
        chart.getTitle().setPaint(theme.text());
        if (chart.getLegend() != null) {
            chart.getLegend().setBackgroundPaint(theme.background());
            chart.getLegend().setItemPaint(theme.text());
            chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        }
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(theme.panel());
        plot.setDomainGridlinePaint(theme.grid());
        plot.setRangeGridlinePaint(theme.grid());
        for (ValueAxis axis : new ValueAxis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
            axis.setLabelPaint(theme.mutedText());
            axis.setTickLabelPaint(theme.text());
            axis.setAxisLinePaint(theme.axis());
        }
        return chart;
    }
}
