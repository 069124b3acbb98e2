package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.GfnEnvironment;
import org.flowbench.compute.gflownet.Trajectory;
import org.flowbench.compute.gflownet.TransitionCredit;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One trajectory under each compared objective: per transition, the residual it sees (signed
 * bars) and the norm of the gradient the network's outputs at its state receive. Trajectory
 * balance shows one bar height everywhere (one global error); detailed balance and FL-DB a
 * different residual per transition (local credit); an incomplete trajectory has no credit
 * under TB and SubTB, which need the reward.
 */
record GfnCreditFigure(String title, String subtitle, GfnInspection inspection, FigureTheme theme) implements Figure {

    private static final double MAX_LABEL_WIDTH = 120;

    static GfnCreditFigure of(GfnEnvironment env, GfnInspection inspection, FigureTheme theme) {
        Trajectory full = inspection.full();
        Trajectory shown = inspection.shown();
        StringBuilder states = new StringBuilder();
        int n = shown.length();
        for (int t = 0; t < n; t++) {
            if (t > 0) {
                states.append(" \u2192 ");
            }
            if (n > 9 && t >= 3 && t < n - 3) {
                if (t == 3) {
                    states.append("\u2026");
                }
                continue;
            }
            states.append(stateText(shown.state(t)));
        }
        states.append(shown.isComplete() ? " \u2192 exit" : "");
        String sub = shown.isComplete()
                ? "complete: " + full.moves() + " moves and the exit; log R(x) = " + GfnText.number(env.logReward(full.last()))
                : "incomplete: cut after " + shown.moves() + " of " + full.moves() + " moves, the reward never seen";
        return new GfnCreditFigure("Credit along one trajectory: " + states, sub, inspection, theme);
    }

    static String stateText(int[] s) {
        if (s.length > 6) {
            return "[" + s.length + " entries]";
        }
        return "(" + Arrays.stream(s).mapToObj(Integer::toString).collect(Collectors.joining(",")) + ")";
    }

    @Override
    public String title() {
        return "GFlowNet credit along one trajectory";
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        Rectangle2D body = GfnText.wrappedHeader(g, area, theme, title, subtitle);
        int rows = inspection.credits().size();
        double labelWidth = Math.max(80, Math.min(MAX_LABEL_WIDTH, 0.14 * body.getWidth()));
        double top = body.getMinY() + 20;
        double rowH = Math.max(30, (body.getMaxY() - 26 - top) / rows);
        double plotsLeft = body.getMinX() + 12 + labelWidth;
        double plotW = Math.max(40, (body.getMaxX() - 12 - plotsLeft - 24) / 2);
        g.setFont(FigureText.plain(GfnText.TEXT_SIZE));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, "residual of each transition", plotsLeft, top - 6);
        FigureText.drawLeft(g, FigureText.fitted(g, plotW, "gradient norm at each transition's state", "gradient norm"),
                plotsLeft + plotW + 24, top - 6);
        int transitions = inspection.full().moves() + 1;
        for (int k = 0; k < rows; k++) {
            GfnInspection.Credit c = inspection.credits().get(k);
            double y0 = top + k * rowH;
            Rectangle2D left = new Rectangle2D.Double(plotsLeft, y0 + 4, plotW, rowH - 12);
            Rectangle2D right = new Rectangle2D.Double(plotsLeft + plotW + 24, y0 + 4, plotW, rowH - 12);
            g.setFont(FigureText.bold(GfnText.TEXT_SIZE + 0.5));
            g.setPaint(Palette.series(k));
            FigureText.drawLeft(g, c.label(), body.getMinX() + 12, y0 + 18);
            g.setFont(FigureText.plain(10));
            g.setPaint(theme.mutedText());
            if (c.credit() != null) {
                FigureText.drawLeft(g, "loss " + GfnText.number(c.credit().loss()), body.getMinX() + 12, y0 + 32);
            }
            if (!c.modelNote().isEmpty()) {
                FigureText.drawLeft(g, FigureText.fitted(g, labelWidth - 6, c.modelNote(), "other run's network"),
                        body.getMinX() + 12, y0 + 45);
            }
            if (c.credit() == null) {
                g.setPaint(theme.panel());
                g.fill(new Rectangle2D.Double(left.getMinX(), left.getMinY(), right.getMaxX() - left.getMinX(), left.getHeight()));
                GfnText.message(g, new Rectangle2D.Double(left.getMinX(), left.getMinY(), right.getMaxX() - left.getMinX(),
                        left.getHeight()), theme, c.problem());
                continue;
            }
            bars(g, left, c.credit().residuals(), transitions, true, Palette.series(k));
            bars(g, right, c.credit().gradientNorms(), transitions, false, Palette.series(k));
        }
        // transition labels under the last row
        g.setFont(FigureText.plain(10));
        g.setPaint(theme.mutedText());
        double labelY = top + rows * rowH + 4;
        for (int side = 0; side < 2; side++) {
            double x0 = plotsLeft + side * (plotW + 24);
            double bw = plotW / transitions;
            int every = Math.max(1, (int) Math.ceil(24 / bw));
            for (int t = 0; t < transitions; t += every) {
                String label = t == transitions - 1 ? "exit" : Integer.toString(t);
                FigureText.drawCentered(g, label, x0 + (t + 0.5) * bw, labelY);
            }
        }
        FigureText.drawLeft(g, "transition t: s_t \u2192 s_t+1", body.getMinX() + 12, labelY + 13);
    }

    /** Bars per transition, zero-centred when signed, scaled to the row's largest magnitude (printed). */
    private void bars(Graphics2D g, Rectangle2D r, double[] values, int slots, boolean signed, Color colour) {
        g.setPaint(theme.panel());
        g.fill(r);
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        double zero = signed ? r.getCenterY() : r.getMaxY();
        double half = signed ? r.getHeight() / 2 - 2 : r.getHeight() - 4;
        double bw = r.getWidth() / slots;
        g.setPaint(colour);
        for (int t = 0; t < values.length; t++) {
            double h = max > 0 ? values[t] / max * half : 0;
            double x = r.getMinX() + t * bw + bw * 0.15;
            g.fill(new Rectangle2D.Double(x, Math.min(zero, zero - h), bw * 0.7, Math.abs(h)));
        }
        g.setStroke(new BasicStroke(1f));
        g.setPaint(theme.axis());
        g.draw(new Line2D.Double(r.getMinX(), zero, r.getMaxX(), zero));
        g.draw(r);
        g.setFont(FigureText.plain(9.5));
        String scale = (signed ? "\u00b1" : "") + GfnText.number(max);
        double w = FigureText.width(g, g.getFont(), scale) + 6;
        g.setPaint(theme.background());
        g.fill(new Rectangle2D.Double(r.getMaxX() - w - 1, r.getMinY() + 1, w, 12));
        g.setPaint(theme.mutedText());
        FigureText.drawRight(g, scale, r.getMaxX() - 4, r.getMinY() + 10);
    }
}
