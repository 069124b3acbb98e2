package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;
import org.flowbench.views.figure.PlotFrame;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Training curves of every objective of a run, overlaid, against trajectories seen: the loss
 * (log10), the L1 distance of the induced distribution to R/Z, the log Z error (log10) and the
 * modes found; on set generation the mean reward of the top-100 sets in place of L1 and modes.
 * A vertical line marks the timeline's snapshot.
 *
 * @param marker trajectories seen at the timeline's snapshot, or NaN for none
 */
record GfnTrainingFigure(String title, List<GfnRun.Series> series, boolean grid, double marker, FigureTheme theme)
        implements Figure {

    private record Chart(String name, ToDoubleFunction<GfnTraining.Snapshot> value) {
    }

    static GfnTrainingFigure of(GfnRun run, int k, String shownLoss, FigureTheme theme) {
        GfnRun.Series shown = run.seriesOrFirst(shownLoss);
        double marker = shown.frames().isEmpty() ? Double.NaN : shown.frame(k).snapshot().trajectoriesSeen();
        return new GfnTrainingFigure(run.environment().spec() + " \u00b7 " + run.series().size() + " objective"
                + (run.series().size() == 1 ? "" : "s") + (run.finished() ? "" : " \u00b7 training\u2026"),
                run.series(), run.environment().hasModes(), marker, theme);
    }

    private List<Chart> charts() {
        Chart loss = new Chart("log10 loss (smoothed)", s -> Math.log10(s.loss()));
        Chart logZ = new Chart("log10 |log Z \u2212 log Z*|", s -> Math.log10(s.logZError()));
        if (grid) {
            return List.of(loss, new Chart("L1 to R/Z (exact)", GfnTraining.Snapshot::l1), logZ,
                    new Chart("modes found", s -> s.modesFound()));
        }
        return List.of(loss, new Chart("top-100 mean reward", GfnTraining.Snapshot::topMeanReward), logZ,
                new Chart("log Z estimate", GfnTraining.Snapshot::logZEstimate));
    }

    @Override
    public String title() {
        return "GFlowNet training: " + title;
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        String legend = series.stream().map(GfnRun.Series::label).reduce((a, b) -> a + ", " + b).orElse("");
        Rectangle2D body = GfnText.wrappedHeader(g, area, theme, title, "against trajectories seen per objective \u00b7 " + legend);
        // legend swatches
        g.setFont(FigureText.plain(GfnText.TEXT_SIZE));
        double lx = body.getMinX() + 12;
        for (int i = 0; i < series.size(); i++) {
            g.setPaint(Palette.series(i));
            g.fill(new Rectangle2D.Double(lx, body.getMinY() + 2, 14, 4));
            g.setPaint(theme.text());
            String label = series.get(i).label();
            FigureText.drawLeft(g, label, lx + 18, body.getMinY() + 8);
            lx += 30 + FigureText.width(g, g.getFont(), label);
        }
        List<Chart> charts = charts();
        double top = body.getMinY() + 18;
        double cellW = (body.getWidth() - 24) / 2;
        double cellH = (body.getMaxY() - top) / 2;
        for (int c = 0; c < charts.size(); c++) {
            double x = body.getMinX() + 12 + (c % 2) * cellW;
            double y = top + (c / 2) * cellH;
            paintChart(g, new Rectangle2D.Double(x, y, cellW, cellH), charts.get(c));
        }
    }

    private void paintChart(Graphics2D g, Rectangle2D cell, Chart chart) {
        g.setFont(FigureText.plain(GfnText.TEXT_SIZE));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, FigureText.fitted(g, cell.getWidth() - PlotFrame.yLabelWidth(6) - 8, chart.name()),
                cell.getMinX() + PlotFrame.yLabelWidth(6), cell.getMinY() + 14);
        Rectangle2D plot = new Rectangle2D.Double(cell.getMinX() + PlotFrame.yLabelWidth(6), cell.getMinY() + 20,
                Math.max(10, cell.getWidth() - PlotFrame.yLabelWidth(6) - 16),
                Math.max(10, cell.getHeight() - 20 - PlotFrame.xLabelHeight() - 12));
        double xMax = 1;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (GfnRun.Series s : series) {
            for (GfnRun.Frame f : s.frames()) {
                xMax = Math.max(xMax, f.snapshot().trajectoriesSeen());
                double v = chart.value().applyAsDouble(f.snapshot());
                if (Double.isFinite(v)) {
                    yMin = Math.min(yMin, v);
                    yMax = Math.max(yMax, v);
                }
            }
        }
        if (!(yMin <= yMax)) {
            yMin = 0;
            yMax = 1;
        }
        if (yMax - yMin < 1e-9) {
            yMin -= 0.5;
            yMax += 0.5;
        }
        double pad = 0.05 * (yMax - yMin);
        // thousands of trajectories once the run is long enough for four-digit tick labels to crowd
        double xUnit = xMax >= 2000 ? 1000 : 1;
        PlotFrame frame = PlotFrame.stretched(plot, new DataBounds(0, xMax / xUnit, yMin - pad, yMax + pad));
        frame.paintPanel(g, theme);
        Shape clip = g.getClip();
        g.clip(plot);
        g.setStroke(new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int i = 0; i < series.size(); i++) {
            Path2D line = new Path2D.Double();
            boolean started = false;
            for (GfnRun.Frame f : series.get(i).frames()) {
                double v = chart.value().applyAsDouble(f.snapshot());
                if (!Double.isFinite(v)) {
                    started = false;
                    continue;
                }
                double sx = frame.screenX(f.snapshot().trajectoriesSeen() / xUnit);
                double sy = frame.screenY(v);
                if (started) {
                    line.lineTo(sx, sy);
                } else {
                    line.moveTo(sx, sy);
                    started = true;
                }
            }
            g.setPaint(Palette.series(i));
            g.draw(line);
        }
        if (Double.isFinite(marker)) {
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
            g.setPaint(theme.mutedText());
            double sx = frame.screenX(marker / xUnit);
            g.draw(new Line2D.Double(sx, plot.getMinY(), sx, plot.getMaxY()));
        }
        g.setClip(clip);
        frame.paintAxes(g, theme, true, true);
        if (xUnit > 1) {
            g.setFont(FigureText.plain(9.5));
            g.setPaint(theme.mutedText());
            FigureText.drawRight(g, "\u00d71000", plot.getMaxX(), plot.getMaxY() + PlotFrame.xLabelHeight() + 10);
        }
    }
}
