package org.flowbench.views.poincare;

import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;

/**
 * The Poincaré ResNet figure: on the left, every point's norm through the stacked hyperbolic
 * layers with identity initialisation (flat: y = x exactly) and with standard initialisation
 * (collapsing towards the origin); on the right, a batch in the disc before and after midpoint
 * batch normalisation with both midpoints and dispersions. Either panel alone, or both. Immutable.
 */
public final class ResNetFigure implements Figure {

    public static final int PREFERRED_WIDTH = 1200;
    public static final int PREFERRED_HEIGHT = 560;

    /** Which panels to draw. */
    public enum Panels { BOTH, DEPTH, BATCH_NORM }

    private final ResNetDemos.Depth depth;
    private final ResNetDemos.BatchNorm batchNorm;
    private final Panels panels;
    private final FigureTheme theme;

    public ResNetFigure(ResNetDemos.Depth depth, ResNetDemos.BatchNorm batchNorm, Panels panels, FigureTheme theme) {
        this.depth = depth;
        this.batchNorm = batchNorm;
        this.panels = panels;
        this.theme = theme;
    }

    public ResNetDemos.Depth depth() {
        return depth;
    }

    public ResNetDemos.BatchNorm batchNorm() {
        return batchNorm;
    }

    @Override
    public String title() {
        return switch (panels) {
            case DEPTH -> "Hyperbolic layers in depth";
            case BATCH_NORM -> "Midpoint batch normalisation";
            case BOTH -> "Poincar\u00e9 ResNet";
        };
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        switch (panels) {
            case DEPTH -> depthChart().draw(g, area);
            case BATCH_NORM -> paintBatchNorm(g, area);
            case BOTH -> {
                double half = area.getWidth() / 2;
                depthChart().draw(g, new Rectangle2D.Double(area.getX(), area.getY(), half, area.getHeight()));
                paintBatchNorm(g, new Rectangle2D.Double(area.getX() + half, area.getY(), area.getWidth() - half, area.getHeight()));
            }
        }
    }

    JFreeChart depthChart() {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        int points = depth.identity()[0].length;
        Color identity = new Color(Palette.ORANGE);
        Color standard = new Color(Palette.BLUE);
        for (int p = 0; p < points; p++) {
            XYSeries a = new XYSeries("identity " + p, false, true);
            XYSeries b = new XYSeries("standard " + p, false, true);
            for (int k = 0; k <= depth.layers(); k++) {
                a.add(k, depth.identity()[k][p]);
                b.add(k, depth.standard()[k][p]);
            }
            data.addSeries(a);
            lines.setSeriesPaint(data.getSeriesCount() - 1, identity);
            lines.setSeriesStroke(data.getSeriesCount() - 1, new BasicStroke(1.6f));
            data.addSeries(b);
            lines.setSeriesPaint(data.getSeriesCount() - 1, standard);
            lines.setSeriesStroke(data.getSeriesCount() - 1, new BasicStroke(1.2f));
        }
        NumberAxis layer = new NumberAxis("layer");
        layer.setRange(0, depth.layers());
        NumberAxis norm = new NumberAxis("norm ||x||");
        norm.setRange(0, 1 / Math.sqrt(depth.curvature()));
        XYPlot plot = new XYPlot(data, layer, norm, lines);
        int last = depth.layers();
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT,
                "Norms through %d hyperbolic FC layers (dim %d): identity init (orange) keeps them, max change %s; "
                        + "standard init (blue) mean %.3f \u2192 %.3f", last, depth.dim(), timesPowerOfTen(depth.identityDrift()),
                depth.meanNorm(depth.standard(), 0), depth.meanNorm(depth.standard(), last)),
                new Font(Font.SANS_SERIF, Font.BOLD, 12), plot, false);
        chart.setBackgroundPaint(theme.background());
        chart.getTitle().setPaint(theme.text());
        plot.setBackgroundPaint(theme.panel());
        plot.setDomainGridlinePaint(theme.grid());
        plot.setRangeGridlinePaint(theme.grid());
        for (var axis : new org.jfree.chart.axis.ValueAxis[] {layer, norm}) {
            axis.setLabelPaint(theme.mutedText());
            axis.setTickLabelPaint(theme.text());
            axis.setAxisLinePaint(theme.axis());
        }
        return chart;
    }

    private void paintBatchNorm(Graphics2D g, Rectangle2D area) {
        Font saved = g.getFont();
        double x = area.getX() + 12;
        double width = area.getWidth() - 24;
        g.setFont(FigureText.bold(12));
        g.setPaint(theme.text());
        g.drawString(FigureText.fitted(g, width, String.format(Locale.ROOT, "Midpoint batch norm of %d points (c = %.2f, s = %.2f)",
                batchNorm.before().length, batchNorm.curvature(), batchNorm.scale()), "Midpoint batch norm"), (float) x, (float) (area.getY() + 18));
        g.setFont(FigureText.plain(10.5));
        String before = String.format(Locale.ROOT, "before (blue): midpoint (%.3f, %.3f), dispersion %.3f",
                batchNorm.midpointBefore()[0], batchNorm.midpointBefore()[1], batchNorm.dispersionBefore());
        String after = String.format(Locale.ROOT, "after (vermillion): midpoint (%.3f, %.3f), dispersion %.3f; target \u03b2 = (%.3f, %.3f), s = %.2f",
                batchNorm.midpointAfter()[0], batchNorm.midpointAfter()[1], batchNorm.dispersionAfter(), batchNorm.beta()[0],
                batchNorm.beta()[1], batchNorm.scale());
        g.setPaint(new Color(Palette.forTheme(Palette.BLUE, theme)));
        g.drawString(FigureText.fitted(g, width, before, String.format(Locale.ROOT, "before: dispersion %.3f", batchNorm.dispersionBefore())),
                (float) x, (float) (area.getY() + 35));
        g.setPaint(new Color(Palette.forTheme(Palette.VERMILLION, theme)));
        g.drawString(FigureText.fitted(g, width, after, after.replaceFirst("; target.*", ""),
                String.format(Locale.ROOT, "after: dispersion %.3f (s = %.2f)", batchNorm.dispersionAfter(), batchNorm.scale())),
                (float) x, (float) (area.getY() + 50));
        double top = area.getY() + 60;
        double size = Math.max(10, Math.min(area.getWidth() - 24, area.getMaxY() - top - 10));
        double r = size / 2;
        double cx = area.getCenterX();
        double cy = top + r;
        double unit = r * Math.sqrt(batchNorm.curvature()); // canvas units per ball unit
        g.setPaint(theme.panel());
        g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        g.setPaint(theme.axis());
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        g.setStroke(new BasicStroke(0.6f));
        Color link = theme.grid();
        for (int i = 0; i < batchNorm.before().length; i++) {
            double[] a = batchNorm.before()[i];
            double[] b = batchNorm.after()[i];
            g.setPaint(link);
            g.draw(new Line2D.Double(cx + unit * a[0], cy - unit * a[1], cx + unit * b[0], cy - unit * b[1]));
        }
        dots(g, batchNorm.before(), cx, cy, unit, new Color(Palette.forTheme(Palette.BLUE, theme)));
        dots(g, batchNorm.after(), cx, cy, unit, new Color(Palette.forTheme(Palette.VERMILLION, theme)));
        cross(g, batchNorm.midpointBefore(), cx, cy, unit, new Color(Palette.forTheme(Palette.BLUE, theme)));
        cross(g, batchNorm.midpointAfter(), cx, cy, unit, new Color(Palette.forTheme(Palette.VERMILLION, theme)));
        g.setFont(saved);
    }

    private static void dots(Graphics2D g, double[][] points, double cx, double cy, double unit, Color colour) {
        g.setPaint(colour);
        for (double[] p : points) {
            g.fill(new Ellipse2D.Double(cx + unit * p[0] - 3.5, cy - unit * p[1] - 3.5, 7, 7));
        }
    }

    private static void cross(Graphics2D g, double[] p, double cx, double cy, double unit, Color colour) {
        double x = cx + unit * p[0];
        double y = cy - unit * p[1];
        g.setPaint(colour);
        g.setStroke(new BasicStroke(2.5f));
        g.draw(new Line2D.Double(x - 8, y - 8, x + 8, y + 8));
        g.draw(new Line2D.Double(x - 8, y + 8, x + 8, y - 8));
    }

    /**
     * "2.2 × 10⁻¹⁶": two significant digits, the power of ten in superscript, joined by no-break
     * spaces, so that a wrapped chart title never breaks the number (it breaks "2.2e-16" after the
     * digits and after the hyphen).
     */
    static String timesPowerOfTen(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        String[] parts = String.format(Locale.ROOT, "%.1e", v).split("e");
        int power = Integer.parseInt(parts[1]);
        StringBuilder b = new StringBuilder(parts[0].replace('-', '\u2212')).append("\u00a0\u00d7\u00a010");
        String superscripts = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";
        if (power < 0) {
            b.append('\u207b');
        }
        for (char c : Integer.toString(Math.abs(power)).toCharArray()) {
            b.append(superscripts.charAt(c - '0'));
        }
        return b.toString();
    }
}
