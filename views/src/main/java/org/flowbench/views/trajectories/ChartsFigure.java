package org.flowbench.views.trajectories;

import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureTheme;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * The lab's charts, drawn by JFreeChart into the same Graphics2D route as every figure: W2 against
 * NFE per solver for both models (log-log), straightness per reflow round, and the loss of the
 * last training job. Immutable.
 *
 * @param comparisons   W2 vs NFE of each model (may be empty)
 * @param straightness  (round, straightness) pairs
 * @param losses        loss per training step of the last job (may be empty)
 */
public record ChartsFigure(List<FlowComparison> comparisons, List<double[]> straightness, float[] losses, FigureTheme theme)
        implements Figure {

    private static final Color[] SOLVER_COLOURS = {
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73), new Color(0x0072B2), new Color(0xD55E00),
    };

    @Override
    public String title() {
        return "Trajectories charts";
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        double h = area.getHeight() / 3;
        w2Chart().draw(g, new Rectangle2D.Double(area.getX(), area.getY(), area.getWidth(), h));
        straightnessChart().draw(g, new Rectangle2D.Double(area.getX(), area.getY() + h, area.getWidth(), h));
        lossChart().draw(g, new Rectangle2D.Double(area.getX(), area.getY() + 2 * h, area.getWidth(), h));
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
                    renderer.setSeriesPaint(series, SOLVER_COLOURS[s % SOLVER_COLOURS.length]);
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
            LogAxis x = new LogAxis("NFE");
            x.setBase(2);
            x.setSmallestValue(1);
            plot.setDomainAxis(x);
            LogAxis y = new LogAxis("W2");
            y.setSmallestValue(1e-3);
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
        renderer.setSeriesPaint(0, new Color(0x0072B2));
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
        chart.getXYPlot().getRenderer().setSeriesPaint(0, new Color(0xD55E00));
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
