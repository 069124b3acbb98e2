package org.flowbench.views.norm;

import org.flowbench.compute.norm.invariance.BatchNormOnlyTraining;
import org.flowbench.compute.norm.invariance.InvarianceOptimizer;
import org.flowbench.compute.norm.invariance.LabelledTask;
import org.flowbench.compute.norm.invariance.ScaleInvariantToy;
import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;
import org.flowbench.views.figure.PlotFrame;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One view of the Scale invariance page: the weight's path under the five optimizers, its norm
 * and effective step, or BatchNorm-only training against the frozen network. Immutable.
 *
 * @param runs      one run per optimizer (null: not computed yet)
 * @param settings  the toy's settings of those runs
 * @param training  frozen, BatchNorm-only and all-parameter results (null: not computed yet)
 * @param points    the task those were trained on
 * @param highlight the optimizer drawn on top and thicker
 */
record ScaleInvarianceFigure(ScaleInvarianceView view, List<ScaleInvariantToy.Run> runs,
                             ScaleInvariantToy.Settings settings, List<BatchNormOnlyTraining.Result> training,
                             LabelledTask.Points points, InvarianceOptimizer highlight, FigureTheme theme)
        implements Figure {

    static final int PREFERRED_WIDTH = 1000;
    static final int PREFERRED_HEIGHT = 620;
    static final Color CLASS_ZERO = Palette.series(3);
    static final Color CLASS_ONE = Palette.series(0);

    static Color colour(InvarianceOptimizer o) {
        return Palette.series(o.ordinal() == 4 ? 5 : o.ordinal());
    }

    @Override
    public String title() {
        return "Scale invariance: " + view.label().toLowerCase(Locale.ROOT);
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        Rectangle2D inner = new Rectangle2D.Double(area.getX() + 8, area.getY() + 6, area.getWidth() - 16,
                area.getHeight() - 12);
        switch (view) {
            case PATH, NORM -> {
                if (runs == null) {
                    NormLayersPlot.message(g, theme, inner, "Running the optimizers\u2026");
                } else if (view == ScaleInvarianceView.PATH) {
                    paintPath(g, inner);
                } else {
                    paintNorm(g, inner);
                }
            }
            case BN_ONLY -> {
                if (training == null) {
                    NormLayersPlot.message(g, theme, inner, "Training the BatchNorm network\u2026");
                } else {
                    paintBatchNormOnly(g, inner);
                }
            }
        }
    }

    private List<ScaleInvariantToy.Run> drawOrder() {
        List<ScaleInvariantToy.Run> order = new ArrayList<>();
        for (ScaleInvariantToy.Run r : runs) {
            if (r.optimizer() != highlight) {
                order.add(r);
            }
        }
        for (ScaleInvariantToy.Run r : runs) {
            if (r.optimizer() == highlight) {
                order.add(r);
            }
        }
        return order;
    }

    private List<String> legendNames() {
        List<String> names = new ArrayList<>();
        for (ScaleInvariantToy.Run r : runs) {
            names.add(String.format(Locale.ROOT, "%s %.3g", r.optimizer().label(), r.norm()[r.steps()]));
        }
        return names;
    }

    private static final String LEGEND_LEAD = "final ||w||:";

    /** Where the legend's entries start: after the lead "final ||w||:". */
    private static double legendStart(Graphics2D g, Rectangle2D inner) {
        return inner.getX() + 4 + FigureText.width(g, FigureText.plain(NormLayersPlot.LABEL_SIZE), LEGEND_LEAD) + 8;
    }

    /** The room the legend's rows take above the panels (every optimizer keeps its entry, on as many rows as needed). */
    private double legendRoom(Graphics2D g, Rectangle2D inner) {
        int rows = NormLayersPlot.wrappedLegend(g, theme, legendStart(g, inner), 0, legendNames(), List.of(), inner.getMaxX(),
                false);
        return 20 + (Math.max(1, rows) - 1) * NormLayersPlot.LEGEND_ROW;
    }

    private void legend(Graphics2D g, Rectangle2D inner) {
        List<Color> colours = new ArrayList<>();
        for (ScaleInvariantToy.Run r : runs) {
            colours.add(colour(r.optimizer()));
        }
        g.setFont(FigureText.plain(NormLayersPlot.LABEL_SIZE));
        g.setPaint(theme.mutedText());
        FigureText.drawLeft(g, LEGEND_LEAD, inner.getX() + 4, inner.getY() + 12);
        NormLayersPlot.wrappedLegend(g, theme, legendStart(g, inner), inner.getY() + 12, legendNames(), colours, inner.getMaxX(),
                true);
    }

    /** The plane panel's cell inside the inner area. */
    static Rectangle2D planeCell(Rectangle2D inner, double legendRoom) {
        if (stacked(inner)) {
            return new Rectangle2D.Double(inner.getX(), inner.getY() + legendRoom, inner.getWidth(),
                    (inner.getHeight() - legendRoom) * 0.6 - 4);
        }
        return new Rectangle2D.Double(inner.getX(), inner.getY() + legendRoom, inner.getWidth() * 0.5 - 6,
                inner.getHeight() - legendRoom);
    }

    /** Below this width the path view puts the loss panel under the plane instead of beside it. */
    static final double SIDE_BY_SIDE_WIDTH = 560;

    private static boolean stacked(Rectangle2D inner) {
        return inner.getWidth() < SIDE_BY_SIDE_WIDTH;
    }

    /** Bounds of every path, with the origin. */
    DataBounds planeBounds() {
        double maxR = settings.initialNorm();
        for (ScaleInvariantToy.Run r : runs) {
            for (double v : r.norm()) {
                maxR = Math.max(maxR, v);
            }
        }
        double reach = maxR * 1.08;
        return new DataBounds(-reach, reach, -reach, reach);
    }

    private void paintPath(Graphics2D g, Rectangle2D inner) {
        legend(g, inner);
        double room = legendRoom(g, inner);
        Rectangle2D cell = planeCell(inner, room);
        DataBounds b = planeBounds();
        PlotFrame stretched = NormLayersPlot.frame(cell, b, 5, true, true);
        PlotFrame f = PlotFrame.equalAspect(stretched.area(), b);
        f.paintPanel(g, theme);
        f.paintAxes(g, theme, true, true);
        g.setFont(FigureText.bold(NormLayersPlot.TITLE_SIZE));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, FigureText.fitted(g, cell.getWidth(), "w in the plane: L(w) = 1 - cos(angle(w) - target)",
                "w in the plane"), cell.getX() + 4, cell.getY() + NormLayersPlot.TITLE_ROOM - 7);
        g.setFont(FigureText.plain(NormLayersPlot.LABEL_SIZE));
        g.setPaint(theme.mutedText());
        FigureText.drawCentered(g, "w1", f.area().getCenterX(), f.area().getMaxY() + PlotFrame.xLabelHeight() + 13);
        FigureText.drawRight(g, "w2", f.area().getX() - PlotFrame.yLabelWidth(3), f.area().getCenterY());
        // the unit circle and the target direction
        g.setPaint(theme.axis());
        double r0 = settings.initialNorm();
        g.draw(new Ellipse2D.Double(f.screenX(-r0), f.screenY(r0), f.screenX(r0) - f.screenX(-r0),
                f.screenY(-r0) - f.screenY(r0)));
        double t = Math.toRadians(settings.targetAngleDeg());
        double reach = b.xMax();
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
        g.draw(new Line2D.Double(f.screenX(0), f.screenY(0), f.screenX(reach * Math.cos(t)), f.screenY(reach * Math.sin(t))));
        g.setStroke(new BasicStroke(1f));
        for (ScaleInvariantToy.Run r : drawOrder()) {
            int n = r.steps() + 1;
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.path()[2 * i];
                y[i] = r.path()[2 * i + 1];
            }
            NormLayersPlot.line(g, f, x, y, colour(r.optimizer()), r.optimizer() == highlight ? 2.6f : 1.3f);
            g.setPaint(colour(r.optimizer()));
            g.fill(new Ellipse2D.Double(f.screenX(x[n - 1]) - 3.5, f.screenY(y[n - 1]) - 3.5, 7, 7));
        }
        Rectangle2D right = stacked(inner)
                ? new Rectangle2D.Double(inner.getX(), cell.getMaxY() + 8, inner.getWidth(), inner.getMaxY() - cell.getMaxY() - 8)
                : new Rectangle2D.Double(inner.getCenterX() + 6, inner.getY() + room, inner.getWidth() / 2 - 6,
                        inner.getHeight() - room);
        int steps = settings.steps();
        List<double[]> losses = new ArrayList<>();
        for (ScaleInvariantToy.Run r : runs) {
            losses.add(r.loss());
        }
        DataBounds data = NormLayersPlot.bounds(0, steps, true, losses.toArray(double[][]::new));
        PlotFrame lf = NormLayersPlot.panel(g, theme, right, "Loss 1 - cos(angle to the target)", "step", "loss", data, 5);
        double[] xs = NormLayersPlot.indices(steps + 1, 0);
        for (ScaleInvariantToy.Run r : drawOrder()) {
            NormLayersPlot.line(g, lf, xs, r.loss(), colour(r.optimizer()), r.optimizer() == highlight ? 2.6f : 1.3f);
        }
    }

    private void paintNorm(Graphics2D g, Rectangle2D inner) {
        legend(g, inner);
        double room = legendRoom(g, inner);
        int steps = settings.steps();
        double[] xs = NormLayersPlot.indices(steps + 1, 0);
        Rectangle2D top = new Rectangle2D.Double(inner.getX(), inner.getY() + room, inner.getWidth(),
                (inner.getHeight() - room) / 2 - 4);
        Rectangle2D bottom = new Rectangle2D.Double(inner.getX(), top.getMaxY() + 8, inner.getWidth(),
                (inner.getHeight() - room) / 2 - 4);
        List<double[]> norms = new ArrayList<>();
        List<double[]> steps10 = new ArrayList<>();
        for (ScaleInvariantToy.Run r : runs) {
            norms.add(r.norm());
            double[] l = new double[r.effectiveStep().length];
            for (int i = 0; i < l.length; i++) {
                l[i] = Math.log10(r.effectiveStep()[i]);
            }
            steps10.add(l);
        }
        PlotFrame fn = NormLayersPlot.panel(g, theme, top, String.format(Locale.ROOT,
                        "||w|| over the steps (lr %.3g, momentum %.3g, weight decay %.3g)", settings.lr(), settings.momentum(),
                        settings.weightDecay()), null, "||w||",
                NormLayersPlot.bounds(0, steps, true, norms.toArray(double[][]::new)), 5);
        PlotFrame fe = NormLayersPlot.panel(g, theme, bottom, "Effective step lr / ||w||^2 (log10): it shrinks as ||w|| grows",
                "step", "log10 lr / ||w||^2", NormLayersPlot.bounds(0, steps, false, steps10.toArray(double[][]::new)), 5);
        for (ScaleInvariantToy.Run r : drawOrder()) {
            float w = r.optimizer() == highlight ? 2.6f : 1.3f;
            NormLayersPlot.line(g, fn, xs, r.norm(), colour(r.optimizer()), w);
            NormLayersPlot.line(g, fe, xs, steps10.get(runs.indexOf(r)), colour(r.optimizer()), w);
        }
    }

    private void paintBatchNormOnly(Graphics2D g, Rectangle2D inner) {
        int panels = training.size();
        double regionHeight = inner.getHeight() * 0.58;
        double w = inner.getWidth() / panels;
        for (int i = 0; i < panels; i++) {
            BatchNormOnlyTraining.Result r = training.get(i);
            Rectangle2D cell = new Rectangle2D.Double(inner.getX() + i * w, inner.getY(), w - 6, regionHeight);
            double[] b = r.bounds();
            DataBounds data = new DataBounds(b[0], b[1], b[2], b[3]);
            PlotFrame stretched = NormLayersPlot.frame(cell, data, 4, false, false);
            PlotFrame f = PlotFrame.equalAspect(stretched.area(), data);
            paintRegions(g, f, r);
            f.paintAxes(g, theme, true, i == 0);
            g.setFont(FigureText.bold(NormLayersPlot.TITLE_SIZE));
            g.setPaint(theme.text());
            String title = String.format(Locale.ROOT, "%s: %.1f%%", r.trained().label(), 100 * r.finalAccuracy());
            FigureText.drawLeft(g, FigureText.fitted(g, cell.getWidth() - 8, title,
                    String.format(Locale.ROOT, "%s: %.1f%%", r.trained().id(), 100 * r.finalAccuracy()),
                    String.format(Locale.ROOT, "%s %.0f%%", r.trained().id(), 100 * r.finalAccuracy()),
                    String.format(Locale.ROOT, "%.0f%%", 100 * r.finalAccuracy())),
                    f.area().getX(), cell.getY() + NormLayersPlot.TITLE_ROOM - 7);
        }
        Rectangle2D bottom = new Rectangle2D.Double(inner.getX(), inner.getY() + regionHeight + 6, inner.getWidth(),
                inner.getHeight() - regionHeight - 6);
        List<double[]> acc = new ArrayList<>();
        for (BatchNormOnlyTraining.Result r : training) {
            double[] a = new double[r.accuracy().length];
            for (int k = 0; k < a.length; k++) {
                a[k] = 100 * r.accuracy()[k];
            }
            acc.add(a);
        }
        int steps = training.get(0).accuracy().length - 1;
        DataBounds data = new DataBounds(0, steps, 0, 100);
        PlotFrame f = NormLayersPlot.panel(g, theme, bottom, "Training accuracy over the steps (full batch, Adam)", "step",
                "accuracy %", data, 4);
        double[] xs = NormLayersPlot.indices(steps + 1, 0);
        List<String> names = new ArrayList<>();
        List<Color> colours = new ArrayList<>();
        for (int i = 0; i < training.size(); i++) {
            Color c = Palette.series(i == 0 ? 5 : i == 1 ? 4 : 2);
            NormLayersPlot.line(g, f, xs, acc.get(i), c, 2f);
            names.add(training.get(i).trained().label());
            colours.add(c);
        }
        // rows of the legend stack upwards from the panel's bottom edge, so every run keeps its entry
        int rows = NormLayersPlot.wrappedLegend(g, theme, f.area().getX() + 8, 0, names, colours, f.area().getMaxX() - 4, false);
        NormLayersPlot.wrappedLegend(g, theme, f.area().getX() + 8, f.area().getMaxY() - 8 - (rows - 1) * NormLayersPlot.LEGEND_ROW,
                names, colours, f.area().getMaxX() - 4, true);
    }

    private void paintRegions(Graphics2D g, PlotFrame f, BatchNormOnlyTraining.Result r) {
        f.paintPanel(g, theme);
        int side = r.gridSide();
        double[] b = r.bounds();
        double cw = (b[1] - b[0]) / side;
        double ch = (b[3] - b[2]) / side;
        int zero = CLASS_ZERO.getRGB() & 0xFFFFFF;
        int one = CLASS_ONE.getRGB() & 0xFFFFFF;
        int bg = theme.panel().getRGB() & 0xFFFFFF;
        for (int j = 0; j < side; j++) {
            for (int i = 0; i < side; i++) {
                double p = r.classOne()[j * side + i];
                int colour = Palette.mix(Palette.mix(zero, one, p), bg, 0.62);
                g.setPaint(new Color(colour));
                double x0 = f.screenX(b[0] + i * cw);
                double x1 = f.screenX(b[0] + (i + 1) * cw);
                double y0 = f.screenY(b[2] + (j + 1) * ch);
                double y1 = f.screenY(b[2] + j * ch);
                g.fill(new Rectangle2D.Double(x0, y0, x1 - x0 + 0.5, y1 - y0 + 0.5));
            }
        }
        if (points != null) {
            for (int k = 0; k < points.size(); k++) {
                g.setPaint(points.label()[k] == 1 ? CLASS_ONE : CLASS_ZERO);
                double x = f.screenX(points.xy()[2 * k]);
                double y = f.screenY(points.xy()[2 * k + 1]);
                if (f.area().contains(x, y)) {
                    g.fill(new Ellipse2D.Double(x - 2.2, y - 2.2, 4.4, 4.4));
                }
            }
        }
    }
}
