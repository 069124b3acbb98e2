package org.flowbench.views.norm;

import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.PlotFrame;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * The pieces the playground figures share: a titled panel with axes and axis labels, polylines
 * that skip missing values, a legend, and a message in an empty panel. Everything draws through
 * one Graphics2D, so screen and export match.
 */
final class NormLayersPlot {

    static final double TITLE_SIZE = 12.5;
    static final double LABEL_SIZE = 10.5;
    /** Room above a panel's plot area for its title. */
    static final double TITLE_ROOM = 22;

    private NormLayersPlot() {
    }

    /**
     * Draws a panel into {@code cell}: title on top, y label turned on the left, x label below,
     * frame, grid and ticks; returns the frame of its plot area.
     *
     * @param yChars characters the widest y tick label may need
     */
    static PlotFrame panel(Graphics2D g, FigureTheme theme, Rectangle2D cell, String title, String xLabel,
                           String yLabel, DataBounds data, int yChars) {
        return panel(g, theme, cell, title, xLabel, yLabel, data, yChars, true);
    }

    /** As {@link #panel}, with or without the x tick labels (bars that carry their own names). */
    static PlotFrame panel(Graphics2D g, FigureTheme theme, Rectangle2D cell, String title, String xLabel,
                           String yLabel, DataBounds data, int yChars, boolean xTickLabels) {
        PlotFrame frame = frame(cell, data, yChars, xLabel != null, yLabel != null);
        Rectangle2D area = frame.area();
        frame.paintPanel(g, theme);
        frame.paintAxes(g, theme, xTickLabels, true);
        g.setPaint(theme.text());
        String shown = title(g, cell, title);
        g.setFont(FigureText.bold(TITLE_SIZE));
        FigureText.drawLeft(g, shown, cell.getX() + 4, cell.getY() + TITLE_ROOM - 7);
        g.setFont(FigureText.plain(LABEL_SIZE));
        g.setPaint(theme.mutedText());
        if (xLabel != null) {
            String x = FigureText.fitted(g, area.getWidth(), xLabel);
            FigureText.drawCentered(g, x, area.getCenterX(), area.getMaxY() + PlotFrame.xLabelHeight() + 13);
        }
        if (yLabel != null) {
            java.awt.geom.AffineTransform saved = g.getTransform();
            g.translate(cell.getX() + 12, area.getCenterY());
            g.rotate(-Math.PI / 2);
            String y = FigureText.fitted(g, area.getHeight(), yLabel);
            FigureText.drawCentered(g, y, 0, 0);
            g.setTransform(saved);
        }
        return frame;
    }

    /** The first of {@code choices} (longest first) that fits as the title of a panel in {@code cell}; the last one cut when none does. */
    static String title(Graphics2D g, Rectangle2D cell, String... choices) {
        java.awt.Font saved = g.getFont();
        g.setFont(FigureText.bold(TITLE_SIZE));
        String shown = FigureText.fitted(g, cell.getWidth() - 8, choices);
        g.setFont(saved);
        return shown;
    }

    /** The frame {@link #panel} draws in {@code cell}, without drawing anything. */
    static PlotFrame frame(Rectangle2D cell, DataBounds data, int yChars, boolean xLabel, boolean yLabel) {
        double left = PlotFrame.yLabelWidth(yChars) + (yLabel ? 18 : 4);
        double bottom = PlotFrame.xLabelHeight() + (xLabel ? 16 : 4);
        double right = 12;
        Rectangle2D area = new Rectangle2D.Double(cell.getX() + left, cell.getY() + TITLE_ROOM,
                Math.max(10, cell.getWidth() - left - right), Math.max(10, cell.getHeight() - TITLE_ROOM - bottom));
        return PlotFrame.stretched(area, data);
    }

    /** A polyline through the finite points (x[i], y[i]), broken at missing values, clipped to the frame. */
    static void line(Graphics2D g, PlotFrame frame, double[] x, double[] y, Color colour, float width) {
        Path2D.Double path = new Path2D.Double();
        boolean open = false;
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                open = false;
                continue;
            }
            double sx = frame.screenX(x[i]);
            double sy = frame.screenY(y[i]);
            if (open) {
                path.lineTo(sx, sy);
            } else {
                path.moveTo(sx, sy);
                open = true;
            }
        }
        Shape clip = g.getClip();
        g.clip(frame.area());
        g.setPaint(colour);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
        g.setClip(clip);
        g.setStroke(new BasicStroke(1f));
    }

    /** 0, 1, 2, ... n - 1. */
    static double[] indices(int n, double offset) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + offset;
        }
        return x;
    }

    /** Smallest and largest finite values of the arrays: {min, max}; {0, 1} when none. */
    static double[] range(double[]... arrays) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] a : arrays) {
            for (double v : a) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            double pad = Math.max(1e-6, Math.abs(hi) * 0.05);
            return new double[] {lo - pad, hi + pad};
        }
        return new double[] {lo, hi};
    }

    /** Bounds over x in [x0, x1] and the finite values of the arrays, padded by 6% in y. */
    static DataBounds bounds(double x0, double x1, boolean fromZero, double[]... ys) {
        double[] r = range(ys);
        double lo = fromZero ? Math.min(0, r[0]) : r[0];
        double hi = r[1];
        double pad = 0.06 * (hi - lo);
        return new DataBounds(x0, x1, fromZero && lo == 0 ? 0 : lo - pad, hi + pad);
    }

    /**
     * A legend of coloured lines and names, in a row starting at (x, baseline); returns its right
     * end. When the row does not fit before {@code maxRight} it is drawn compact (shorter lines,
     * smaller gaps); entries that still do not fit are left out.
     */
    static double legend(Graphics2D g, FigureTheme theme, double x, double baseline, List<String> names,
                         List<Color> colours, double maxRight) {
        g.setFont(FigureText.plain(LABEL_SIZE));
        boolean compact = x + legendWidth(g, names, false) > maxRight;
        double line = compact ? 10 : 16;
        double gap = compact ? 7 : 14;
        double at = x;
        for (int i = 0; i < names.size(); i++) {
            double w = FigureText.width(g, g.getFont(), names.get(i));
            if (at + line + 4 + w > maxRight) {
                break;
            }
            g.setPaint(colours.get(i));
            g.setStroke(new BasicStroke(2.2f));
            g.draw(new Line2D.Double(at, baseline - 4, at + line, baseline - 4));
            g.setStroke(new BasicStroke(1f));
            g.setPaint(theme.text());
            FigureText.drawLeft(g, names.get(i), at + line + 4, baseline);
            at += line + 4 + w + gap;
        }
        return at;
    }

    /** Height of one row of a wrapped legend. */
    static final double LEGEND_ROW = 16;

    /**
     * A legend that wraps: entries fill rows from {@code x} to {@code maxRight}, the next row
     * {@link #LEGEND_ROW} lower, so every entry is shown. Returns the rows drawn; with {@code draw}
     * false only counts them.
     */
    static int wrappedLegend(Graphics2D g, FigureTheme theme, double x, double baseline, List<String> names,
                             List<Color> colours, double maxRight, boolean draw) {
        g.setFont(FigureText.plain(LABEL_SIZE));
        double line = 12;
        double gap = 10;
        double at = x;
        int row = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            double w = FigureText.width(g, g.getFont(), name);
            if (at > x && at + line + 4 + w > maxRight) {
                row++;
                at = x;
            }
            if (draw) {
                double y = baseline + row * LEGEND_ROW;
                g.setPaint(colours.get(i));
                g.setStroke(new BasicStroke(2.2f));
                g.draw(new Line2D.Double(at, y - 4, at + line, y - 4));
                g.setStroke(new BasicStroke(1f));
                g.setPaint(theme.text());
                FigureText.drawLeft(g, FigureText.fitted(g, maxRight - at - line - 4, name), at + line + 4, y);
            }
            at += line + 4 + w + gap;
        }
        return names.isEmpty() ? 0 : row + 1;
    }

    /** The width {@link #legend} takes for {@code names} in the legend font, normal or compact. */
    static double legendWidth(Graphics2D g, List<String> names, boolean compact) {
        java.awt.Font font = FigureText.plain(LABEL_SIZE);
        double total = 0;
        for (String name : names) {
            total += (compact ? 10 + 4 + 7 : 16 + 4 + 14) + FigureText.width(g, font, name);
        }
        return total - (compact ? 7 : 14);
    }

    /** Fills {@code area} with the background and a centred muted message. */
    static void message(Graphics2D g, FigureTheme theme, Rectangle2D area, String... lines) {
        g.setPaint(theme.panel());
        g.fill(area);
        g.setFont(FigureText.plain(13));
        g.setPaint(theme.mutedText());
        double lineHeight = 19;
        double top = area.getCenterY() - lineHeight * (lines.length - 1) / 2;
        for (int i = 0; i < lines.length; i++) {
            String text = FigureText.fitted(g, area.getWidth() - 16, lines[i]);
            FigureText.drawCentered(g, text, area.getCenterX(), FigureText.baselineForCenter(g, top + i * lineHeight));
        }
    }
}
