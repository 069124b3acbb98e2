package org.flowbench.views.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The key of a viridis heatmap ({@link Palette#heat}): a vertical bar, low at the bottom, with
 * ticks and their values on its right, a caption above it and an optional note below it. On a
 * log scale the ends are whole decades and the labels are powers of ten; on a linear scale both
 * ends are labelled with their values (so the data's range is readable) and round values lie
 * between them where there is room. Immutable; the same {@link #paint} serves screen and export.
 *
 * @param lo      the value of the bottom colour (log10 of it on a log scale)
 * @param hi      the value of the top colour (log10 of it on a log scale)
 * @param log     whether {@code lo} and {@code hi} are decades (log10) and labels powers of ten
 * @param caption above the bar, e.g. the unit ("nats"); may be empty
 * @param note    below the bar, e.g. "shared"; may be empty
 */
public record ColourBar(double lo, double hi, boolean log, String caption, String note) {

    /** Width of the coloured bar itself. */
    public static final double BAR_WIDTH = 9;
    /** Width a bar with its tick labels needs beside a heatmap (bar, ticks and labels such as "10⁻¹²"). */
    public static final double STRIP_WIDTH = 48;
    private static final double TICK = 3;
    private static final double LABEL_FONT = 10;
    private static final int STEPS = 64;
    private static final String SUPERSCRIPTS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";

    public ColourBar {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo)) {
            throw new IllegalArgumentException("a colour bar needs finite ends with hi > lo, got " + lo + " and " + hi);
        }
        caption = caption == null ? "" : caption;
        note = note == null ? "" : note;
    }

    /** One labelled tick: where it sits on the scale (0 bottom, 1 top) and its text. */
    public record Tick(double position, String label) {
    }

    /**
     * The ticks a bar {@code height} units tall shows, bottom to top: both ends always, and
     * between them round values (every decade on a log scale) at least a label's height from
     * their neighbours.
     */
    public List<Tick> ticks(double height) {
        double minGap = Math.max(1e-9, 14 / Math.max(1, height));
        List<Tick> out = new ArrayList<>();
        out.add(new Tick(0, label(lo)));
        List<Tick> inner = new ArrayList<>();
        if (log) {
            int a = (int) Math.ceil(lo - 1e-9);
            int b = (int) Math.floor(hi + 1e-9);
            // a decade is 1 / (hi - lo) of the bar
            int every = Math.max(1, (int) Math.ceil(18 / Math.max(1, height) * (hi - lo) - 1e-9));
            for (int k = a; k <= b; k += every) {
                inner.add(new Tick((k - lo) / (hi - lo), decade(k)));
            }
        } else {
            double step = PlotFrame.niceStep(hi - lo, Math.max(1, height / 28));
            for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) {
                inner.add(new Tick((v - lo) / (hi - lo), FigureText.tickLabel(v, step)));
            }
        }
        // the end labels are pulled inside the bar's height (see paint), so keep the others further from the ends
        double endGap = 1.5 * minGap;
        for (Tick t : inner) {
            if (t.position() >= endGap && t.position() <= 1 - endGap) {
                double previous = out.get(out.size() - 1).position();
                if (t.position() - previous >= minGap) {
                    out.add(t);
                }
            }
        }
        out.add(new Tick(1, label(hi)));
        return out;
    }

    /** An end's label: a power of ten on a log scale (ends are decades there), else three significant digits. */
    private String label(double v) {
        if (log) {
            return Math.abs(v - Math.rint(v)) < 1e-9 ? decade((int) Math.rint(v))
                    : "10^" + String.format(Locale.ROOT, "%.2g", v);
        }
        if (v == 0) {
            return "0";
        }
        String text = String.format(Locale.ROOT, "%.3g", v);
        return text.startsWith("-") ? FigureText.MINUS + text.substring(1) : text;
    }

    /** "10" with the exponent as superscript digits (a minus sign for negative powers). */
    public static String decade(int power) {
        StringBuilder b = new StringBuilder("10");
        if (power < 0) {
            b.append('\u207b');
        }
        for (char c : Integer.toString(Math.abs(power)).toCharArray()) {
            b.append(SUPERSCRIPTS.charAt(c - '0'));
        }
        return b.toString();
    }

    /**
     * Draws the bar in {@code bar} (its colours bottom to top, outlined), its ticks and labels to
     * the right of it, the caption above and the note below. A caption or note wider than
     * {@code textWidth} is left out.
     */
    public void paint(Graphics2D g, FigureTheme theme, Rectangle2D bar, double textWidth) {
        Font saved = g.getFont();
        for (int i = 0; i < STEPS; i++) {
            double y0 = bar.getMaxY() - (i + 1) * bar.getHeight() / STEPS;
            g.setPaint(new Color(Palette.heat((i + 0.5) / STEPS)));
            // a hair taller than its share, so no seams show between the steps
            g.fill(new Rectangle2D.Double(bar.getMinX(), y0, bar.getWidth(), bar.getHeight() / STEPS + 0.5));
        }
        g.setStroke(new BasicStroke(1f));
        g.setPaint(theme.axis());
        g.draw(bar);
        g.setFont(FigureText.plain(LABEL_FONT));
        double labelX = bar.getMaxX() + TICK + 2;
        for (Tick t : ticks(bar.getHeight())) {
            double y = bar.getMaxY() - t.position() * bar.getHeight();
            g.setPaint(theme.axis());
            g.draw(new Line2D.Double(bar.getMaxX(), y, bar.getMaxX() + TICK, y));
            g.setPaint(theme.text());
            double baseline = FigureText.baselineForCenter(g, y);
            // the end labels stay inside the bar's height so neighbours above and below keep theirs
            double ascent = FigureText.ascent(g);
            baseline = Math.max(bar.getMinY() + ascent - 2, Math.min(bar.getMaxY() + 2, baseline));
            FigureText.drawLeft(g, t.label(), labelX, baseline);
        }
        g.setPaint(theme.mutedText());
        // a caption or note too wide for the strip is left out rather than cut short
        if (!caption.isEmpty() && FigureText.width(g, g.getFont(), caption) <= textWidth) {
            FigureText.drawLeft(g, caption, bar.getMinX(), bar.getMinY() - 4);
        }
        if (!note.isEmpty() && FigureText.width(g, g.getFont(), note) <= textWidth) {
            FigureText.drawLeft(g, note, bar.getMinX(), bar.getMaxY() + 4 + FigureText.ascent(g));
        }
        g.setFont(saved);
    }
}
