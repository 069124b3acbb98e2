package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;

/** Number formats and the title block the lab's figures share. */
final class GfnText {

    static final double TITLE_SIZE = 14;
    static final double TEXT_SIZE = 11.5;
    /** Height of the two-line title block at the top of each figure. */
    static final double HEADER = 44;

    private GfnText() {
    }

    /** A compact number: 3 significant digits, scientific outside [1e-3, 1e5), the minus sign typeset. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "\u2013";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "\u221e" : FigureText.MINUS + "\u221e";
        }
        double a = Math.abs(v);
        String s = a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.2e", v)
                : String.format(Locale.ROOT, "%.3g", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s.replace('-', FigureText.MINUS);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** "L1 0.12 · |Δlog Z| 0.03 · modes 4/4" for a snapshot. */
    static String metrics(GfnTraining.Snapshot s, int modes) {
        StringBuilder b = new StringBuilder();
        b.append(count(s.trajectoriesSeen())).append(" trajectories");
        if (!Double.isNaN(s.l1())) {
            b.append(" \u00b7 L1 ").append(number(s.l1()));
        }
        if (!Double.isNaN(s.logZError())) {
            b.append(" \u00b7 |log Z \u2212 log Z*| ").append(number(s.logZError()));
        }
        if (s.modesFound() >= 0) {
            b.append(" \u00b7 modes found ").append(s.modesFound()).append(modes > 0 ? "/" + modes : "");
        }
        if (!Double.isNaN(s.topMeanReward())) {
            b.append(" \u00b7 top-100 reward ").append(number(s.topMeanReward()));
        }
        return b.toString();
    }

    /** Fills the background and draws the title and the line under it; returns the area below. */
    static Rectangle2D header(Graphics2D g, Rectangle2D area, FigureTheme theme, String title, String line) {
        g.setPaint(theme.background());
        g.fill(area);
        double x = area.getMinX() + 12;
        double width = area.getWidth() - 24;
        g.setFont(FigureText.bold(TITLE_SIZE));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, FigureText.fitted(g, width, title), x, area.getMinY() + 18);
        g.setFont(FigureText.plain(TEXT_SIZE));
        g.setPaint(theme.mutedText());
        FigureText.drawLeft(g, FigureText.fitted(g, width, line), x, area.getMinY() + 36);
        return new Rectangle2D.Double(area.getMinX(), area.getMinY() + HEADER, area.getWidth(),
                Math.max(0, area.getHeight() - HEADER));
    }

    /**
     * As {@link #header}, but a title or line too long for the width takes a second line (what
     * still does not fit is cut); the area below moves down by what the extra lines take. For the
     * figures that lay out in the returned area.
     */
    static Rectangle2D wrappedHeader(Graphics2D g, Rectangle2D area, FigureTheme theme, String title, String line) {
        g.setPaint(theme.background());
        g.fill(area);
        double x = area.getMinX() + 12;
        double width = area.getWidth() - 24;
        g.setFont(FigureText.bold(TITLE_SIZE));
        g.setPaint(theme.text());
        double baseline = area.getMinY() + 18;
        java.util.List<String> titleLines = atMostTwoLines(g, width, title);
        for (String text : titleLines) {
            FigureText.drawLeft(g, text, x, baseline);
            baseline += TITLE_SIZE + 3;
        }
        g.setFont(FigureText.plain(TEXT_SIZE));
        g.setPaint(theme.mutedText());
        java.util.List<String> lineLines = atMostTwoLines(g, width, line);
        for (String text : lineLines) {
            FigureText.drawLeft(g, text, x, baseline);
            baseline += TEXT_SIZE + 3;
        }
        double height = HEADER + (titleLines.size() - 1) * (TITLE_SIZE + 3) + Math.max(0, lineLines.size() - 1) * (TEXT_SIZE + 3);
        return new Rectangle2D.Double(area.getMinX(), area.getMinY() + height, area.getWidth(),
                Math.max(0, area.getHeight() - height));
    }

    /** {@code text} in the current font on one line, or two with the end of the second cut when it is still too long. */
    private static java.util.List<String> atMostTwoLines(Graphics2D g, double width, String text) {
        java.util.List<String> lines = FigureText.wrapped(g, width, text);
        if (lines.size() <= 2) {
            return lines.isEmpty() ? java.util.List.of("") : lines;
        }
        String rest = String.join(" ", lines.subList(1, lines.size()));
        return java.util.List.of(lines.get(0), FigureText.fitted(g, width, rest));
    }

    /** A message in the middle of an area (what a figure shows when it has nothing to draw). */
    static void message(Graphics2D g, Rectangle2D area, FigureTheme theme, String text) {
        g.setFont(FigureText.plain(TEXT_SIZE + 1));
        g.setPaint(theme.mutedText());
        FigureText.drawCentered(g, FigureText.fitted(g, area.getWidth() - 24, text), area.getCenterX(), area.getCenterY());
    }
}
