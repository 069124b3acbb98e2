package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.HyperGrid;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * The grid: R(x)/Z as a heatmap beside the terminal distribution the learned policy induces,
 * both on one colour scale (viridis from 0 to the larger maximum), modes outlined, and their
 * difference on a diverging scale (where the policy samples too often or too rarely), with the
 * L1 and the log Z error of the snapshot in the title. Higher-dimensional grids show two chosen
 * axes with the others summed out. An inspected path may be drawn over both panels.
 *
 * @param target  {@code [width*height]} R/Z per cell
 * @param learned {@code [width*height]} the induced distribution per cell, or null (not trained yet)
 * @param modes   {@code [width*height]} cells holding a mode
 * @param path    cells of an inspected trajectory in order, or an empty array
 */
record GfnGridFigure(String title, String subtitle, int width, int height, String axes, double[] target, double[] learned,
                     boolean[] modes, int[] path, FigureTheme theme) implements Figure {

    private static final double GAP = 28;
    private static final double BAR = 14;
    private static final double LABEL = 18;
    /** The layout's indices of the target, learned and difference panels. */
    private static final int[] PANELS = {0, 1, 3};

    /** The grid of one series at snapshot {@code k}. */
    static GfnGridFigure of(GfnRun run, String loss, int k, int axisX, int axisY, int[] path, FigureTheme theme) {
        ExactFlows exact = run.exact();
        HyperGrid grid = (HyperGrid) run.environment();
        GridCells cells = GridCells.of(exact.graph(), axisX, axisY);
        GfnRun.Series series = run.seriesOrFirst(loss);
        GfnRun.Frame frame = series.frame(k);
        String axes = grid.gridDimension() <= 2 ? "" : "axes x" + axisX + " and x" + axisY + ", the other "
                + (grid.gridDimension() - 2) + " summed out";
        return new GfnGridFigure(grid.spec() + " \u00b7 " + series.label(),
                GfnText.metrics(frame.snapshot(), exact.modeCount()), cells.width(), cells.height(), axes,
                cells.project(exact.targetDistribution()), cells.project(frame.distribution()), cells.modes(exact.graph()),
                path == null ? new int[0] : path, theme);
    }

    @Override
    public String title() {
        return "GFlowNet grid: " + title;
    }

    /**
     * The panels inside {@code area}: target [0], learned [1], the shared colour bar [2], the
     * difference learned - target [3] and its colour bar [4]. The three panels go in one row,
     * in two rows (target and learned over the difference) or in one column, whichever gives
     * the largest cells.
     */
    Rectangle2D[] layout(Rectangle2D area) {
        double top = area.getMinY() + GfnText.HEADER + LABEL;
        double bottom = area.getMaxY() - 10 - (axes.isEmpty() ? 0 : 16);
        double w = area.getWidth() - 24;
        double h = bottom - top;
        double barRoom = 16 + BAR + 44;
        double row = Math.min((w - GAP - 2 * barRoom) / 3 / width, h / height);
        double twoRows = Math.min((w - GAP - barRoom) / 2 / width, (h - LABEL - 6) / 2 / height);
        double column = Math.min((w - barRoom) / width, (h - 2 * (LABEL + 6)) / 3 / height);
        double side = Math.max(4, Math.max(row, Math.max(twoRows, column)));
        double panelW = side * width;
        double panelH = side * height;
        double down = panelH + LABEL + 6;
        Rectangle2D a;
        Rectangle2D b;
        Rectangle2D d;
        Rectangle2D bar;
        if (side == row) {
            double left = area.getMinX() + 12 + Math.max(0, (w - 3 * panelW - GAP - 2 * barRoom) / 2);
            a = new Rectangle2D.Double(left, top, panelW, panelH);
            b = new Rectangle2D.Double(left + panelW + GAP, top, panelW, panelH);
            bar = new Rectangle2D.Double(b.getMaxX() + 16, top, BAR, panelH);
            d = new Rectangle2D.Double(b.getMaxX() + barRoom, top, panelW, panelH);
        } else if (side == twoRows) {
            double left = area.getMinX() + 12 + Math.max(0, (w - 2 * panelW - GAP - barRoom) / 2);
            a = new Rectangle2D.Double(left, top, panelW, panelH);
            b = new Rectangle2D.Double(left + panelW + GAP, top, panelW, panelH);
            bar = new Rectangle2D.Double(b.getMaxX() + 16, top, BAR, panelH);
            d = new Rectangle2D.Double(left, top + down, panelW, panelH);
        } else {
            double left = area.getMinX() + 12 + Math.max(0, (w - panelW - barRoom) / 2);
            a = new Rectangle2D.Double(left, top, panelW, panelH);
            b = new Rectangle2D.Double(left, top + down, panelW, panelH);
            bar = new Rectangle2D.Double(b.getMaxX() + 16, top, BAR, b.getMaxY() - top);
            d = new Rectangle2D.Double(left, top + 2 * down, panelW, panelH);
        }
        Rectangle2D differenceBar = new Rectangle2D.Double(d.getMaxX() + 16, d.getMinY(), BAR, d.getHeight());
        return new Rectangle2D[] {a, b, bar, d, differenceBar};
    }

    /** The cell under a point of any of the three panels, or -1. */
    int cellAt(Rectangle2D area, double x, double y) {
        Rectangle2D[] panels = layout(area);
        for (int p : PANELS) {
            Rectangle2D r = panels[p];
            if (r.contains(x, y)) {
                int u = Math.min(width - 1, (int) ((x - r.getMinX()) / r.getWidth() * width));
                int v = Math.min(height - 1, (int) ((r.getMaxY() - y) / r.getHeight() * height));
                return u + width * v;
            }
        }
        return -1;
    }

    /** The colour scale's top: the largest probability of either panel. */
    double scaleMax() {
        double max = 0;
        for (int i = 0; i < target.length; i++) {
            max = Math.max(max, target[i]);
            if (learned != null) {
                max = Math.max(max, learned[i]);
            }
        }
        return max > 0 ? max : 1;
    }

    /** The difference scale's ends: the largest |learned - target| of any cell. */
    double differenceMax() {
        double max = 0;
        if (learned != null) {
            for (int i = 0; i < target.length; i++) {
                max = Math.max(max, Math.abs(learned[i] - target[i]));
            }
        }
        return max > 0 ? max : 1;
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        GfnText.header(g, area, theme, title, subtitle);
        Rectangle2D[] r = layout(area);
        double max = scaleMax();
        paintPanel(g, r[0], target, max, "target R(x)/Z");
        if (learned != null) {
            paintPanel(g, r[1], learned, max, "learned: terminal distribution of P_F");
        } else {
            g.setPaint(theme.panel());
            g.fill(r[1]);
            GfnText.message(g, r[1], theme, "not trained yet");
        }
        // colour bar, shared by both panels
        paintBar(g, r[2], Palette::heat);
        g.setFont(FigureText.plain(10));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, GfnText.number(max), r[2].getMaxX() + 4, r[2].getMinY() + 9);
        FigureText.drawLeft(g, "0", r[2].getMaxX() + 4, r[2].getMaxY());
        paintDifference(g, r[3], r[4]);
        if (!axes.isEmpty()) {
            g.setPaint(theme.mutedText());
            FigureText.drawLeft(g, axes, r[0].getMinX(), r[3].getMaxY() + 16);
        }
    }

    /** learned - target per cell on a diverging scale: red where the policy samples too often, blue too rarely. */
    private void paintDifference(Graphics2D g, Rectangle2D r, Rectangle2D bar) {
        String label = "learned \u2212 target";
        if (learned == null) {
            g.setPaint(theme.panel());
            g.fill(r);
            GfnText.message(g, r, theme, "not trained yet");
        } else {
            double max = differenceMax();
            double cw = r.getWidth() / width;
            double ch = r.getHeight() / height;
            for (int v = 0; v < height; v++) {
                for (int u = 0; u < width; u++) {
                    int c = u + width * v;
                    g.setPaint(new Color(Palette.diverging((learned[c] - target[c]) / max)));
                    g.fill(new Rectangle2D.Double(r.getMinX() + u * cw, r.getMaxY() - (v + 1) * ch, cw + 0.3, ch + 0.3));
                }
            }
            paintBar(g, bar, u -> Palette.diverging(2 * u - 1));
            g.setFont(FigureText.plain(10));
            g.setPaint(theme.text());
            FigureText.drawLeft(g, "+" + GfnText.number(max), bar.getMaxX() + 4, bar.getMinY() + 9);
            FigureText.drawLeft(g, "0", bar.getMaxX() + 4, bar.getCenterY() + 4);
            FigureText.drawLeft(g, "\u2212" + GfnText.number(max), bar.getMaxX() + 4, bar.getMaxY());
        }
        g.setPaint(theme.axis());
        g.draw(r);
        g.setFont(FigureText.plain(GfnText.TEXT_SIZE));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, FigureText.fitted(g, r.getWidth(), label, "\u0394"), r.getMinX(), r.getMinY() - 6);
    }

    /** A vertical colour bar, bottom to top the colours of {@code colour} from 0 to 1, outlined. */
    private void paintBar(Graphics2D g, Rectangle2D bar, java.util.function.DoubleToIntFunction colour) {
        int steps = 64;
        for (int i = 0; i < steps; i++) {
            double y0 = bar.getMaxY() - (i + 1) * bar.getHeight() / steps;
            g.setPaint(new Color(colour.applyAsInt((i + 0.5) / steps)));
            g.fill(new Rectangle2D.Double(bar.getMinX(), y0, bar.getWidth(), bar.getHeight() / steps + 0.5));
        }
        g.setPaint(theme.axis());
        g.draw(bar);
    }

    private void paintPanel(Graphics2D g, Rectangle2D r, double[] p, double max, String label) {
        double cw = r.getWidth() / width;
        double ch = r.getHeight() / height;
        for (int v = 0; v < height; v++) {
            for (int u = 0; u < width; u++) {
                g.setPaint(new Color(Palette.heat(p[u + width * v] / max)));
                // a hair wider than the cell, so no seams show between neighbours
                g.fill(new Rectangle2D.Double(r.getMinX() + u * cw, r.getMaxY() - (v + 1) * ch, cw + 0.3, ch + 0.3));
            }
        }
        Stroke saved = g.getStroke();
        g.setStroke(new BasicStroke((float) Math.max(1, Math.min(2.5, cw / 10))));
        g.setPaint(Palette.accent(theme));
        for (int v = 0; v < height; v++) {
            for (int u = 0; u < width; u++) {
                if (modes[u + width * v]) {
                    g.draw(new Rectangle2D.Double(r.getMinX() + u * cw + 1, r.getMaxY() - (v + 1) * ch + 1, cw - 2, ch - 2));
                }
            }
        }
        if (path.length > 0) {
            Path2D line = new Path2D.Double();
            for (int k = 0; k < path.length; k++) {
                double x = r.getMinX() + (path[k] % width + 0.5) * cw;
                double y = r.getMaxY() - (path[k] / width + 0.5) * ch;
                if (k == 0) {
                    line.moveTo(x, y);
                } else {
                    line.lineTo(x, y);
                }
            }
            g.setStroke(new BasicStroke((float) Math.max(1.5, Math.min(4, cw / 6)), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setPaint(theme.isDark() ? Color.WHITE : Color.BLACK);
            g.draw(line);
        }
        g.setStroke(saved);
        g.setPaint(theme.axis());
        g.draw(r);
        g.setFont(FigureText.plain(GfnText.TEXT_SIZE));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, FigureText.fitted(g, r.getWidth(), label, label.replace(": terminal distribution of P_F", "")),
                r.getMinX(), r.getMinY() - 6);
    }

    /** Where the centre of cell {@code c} of panel {@code panel} (0 target, 1 learned, 2 difference) lies. */
    java.awt.geom.Point2D cellCentre(Rectangle2D area, int panel, int c) {
        Rectangle2D r = layout(area)[PANELS[panel]];
        return new java.awt.geom.Point2D.Double(r.getMinX() + (c % width + 0.5) * r.getWidth() / width,
                r.getMaxY() - (c / width + 0.5) * r.getHeight() / height);
    }
}
