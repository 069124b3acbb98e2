package org.flowbench.views.figure;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fonts and aligned text for figures. Text is measured through the target Graphics2D's font
 * metrics, which report the widths that target draws: JavaFX's on the screen canvas
 * ({@link CanvasGraphics2D}), AWT's in PNG images and PDFs (whose text is AWT's glyph outlines).
 * SVG keeps its text as text: it is measured in the local sans-serif face, and a viewer draws it in
 * its own sans-serif.
 */
public final class FigureText {

    /** The font family of all figure text; maps to an installed sans-serif face and to SVG's generic sans-serif. */
    public static final String FAMILY = Font.SANS_SERIF;

    /** The minus sign used in numbers (U+2212), wider than a hyphen and level with the plus sign. */
    public static final char MINUS = '\u2212';

    private static final float SUBSCRIPT_SIZE = 0.72f;
    private static final float SUBSCRIPT_DROP = 0.28f;

    private FigureText() {
    }

    /** A plain figure font of {@code size} logical units. */
    public static Font plain(double size) {
        return new Font(FAMILY, Font.PLAIN, 1).deriveFont((float) size);
    }

    /** A bold figure font of {@code size} logical units. */
    public static Font bold(double size) {
        return new Font(FAMILY, Font.BOLD, 1).deriveFont((float) size);
    }

    /** Width of {@code text} in {@code font} as {@code g} draws it. */
    public static double width(Graphics2D g, Font font, String text) {
        return bounds(g, font, text).getWidth();
    }

    /**
     * The first of {@code choices} (longest first) that fits {@code maxWidth} in the current font;
     * when none does, the last one cut short with an ellipsis.
     */
    public static String fitted(Graphics2D g, double maxWidth, String... choices) {
        for (String text : choices) {
            if (width(g, g.getFont(), text) <= maxWidth) {
                return text;
            }
        }
        String last = choices[choices.length - 1];
        for (int n = last.length() - 1; n > 0; n--) {
            String cut = last.substring(0, n) + "\u2026";
            if (width(g, g.getFont(), cut) <= maxWidth) {
                return cut;
            }
        }
        return "";
    }

    /**
     * {@code text} broken at spaces into lines no wider than {@code maxWidth} in the current font;
     * a single word wider than that is cut short with an ellipsis ({@link #fitted}).
     */
    public static java.util.List<String> wrapped(Graphics2D g, double maxWidth, String text) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            if (line.length() > 0 && width(g, g.getFont(), line + " " + word) <= maxWidth) {
                line.append(' ').append(word);
                continue;
            }
            if (line.length() > 0) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(fitted(g, maxWidth, word));
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Draws {@code text} with its left end at {@code x} and its baseline at {@code baseline}. */
    public static void drawLeft(Graphics2D g, String text, double x, double baseline) {
        g.drawString(text, (float) x, (float) baseline);
    }

    /** Draws {@code text} centred on {@code centerX} with its baseline at {@code baseline}. */
    public static void drawCentered(Graphics2D g, String text, double centerX, double baseline) {
        double w = width(g, g.getFont(), text);
        g.drawString(text, (float) (centerX - 0.5 * w), (float) baseline);
    }

    /** Draws {@code text} with its right end at {@code right} and its baseline at {@code baseline}. */
    public static void drawRight(Graphics2D g, String text, double right, double baseline) {
        double w = width(g, g.getFont(), text);
        g.drawString(text, (float) (right - w), (float) baseline);
    }

    /** The baseline that centres a line of the current font vertically on {@code centerY}. */
    public static double baselineForCenter(Graphics2D g, double centerY) {
        FontMetrics metrics = g.getFontMetrics();
        return centerY + 0.5 * (metrics.getAscent() - metrics.getDescent());
    }

    /** Height from baseline to the top of capitals, roughly, for the current font. */
    public static double ascent(Graphics2D g) {
        return g.getFontMetrics().getAscent();
    }

    /**
     * A tick label for {@code value} on an axis whose ticks are {@code step} apart: as many decimals
     * as the step needs, a true minus sign, and no "-0".
     */
    public static String tickLabel(double value, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        if (Math.abs(value) < 0.5 * step * 1e-6) {
            value = 0.0;
        }
        String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
        if (text.startsWith("-")) {
            text = MINUS + text.substring(1);
            if (text.chars().skip(1).allMatch(c -> c == '0' || c == '.')) {
                text = text.substring(1);
            }
        }
        return text;
    }

    /**
     * Width of {@code markup} as {@link #drawMarkup} draws it in the current font.
     */
    public static double markupWidth(Graphics2D g, String markup) {
        Font base = g.getFont();
        Font small = base.deriveFont(base.getSize2D() * SUBSCRIPT_SIZE);
        double w = 0;
        String[] parts = splitMarkup(markup);
        for (int i = 0; i < parts.length; i++) {
            w += width(g, i % 2 == 0 ? base : small, parts[i]);
        }
        return w;
    }

    /**
     * Draws text with subscripts written as {@code _{...}} ("x_{t} = (1 − t) x_{0} + t x_{1}"),
     * its left end at {@code x}; subscripts are smaller and lowered. Returns the width drawn.
     */
    public static double drawMarkup(Graphics2D g, String markup, double x, double baseline) {
        Font base = g.getFont();
        Font small = base.deriveFont(base.getSize2D() * SUBSCRIPT_SIZE);
        double cursor = x;
        String[] parts = splitMarkup(markup);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            boolean subscript = i % 2 == 1;
            g.setFont(subscript ? small : base);
            double lift = subscript ? base.getSize2D() * SUBSCRIPT_DROP : 0.0;
            g.drawString(parts[i], (float) cursor, (float) (baseline + lift));
            cursor += width(g, g.getFont(), parts[i]);
        }
        g.setFont(base);
        return cursor - x;
    }

    /** Alternating plain and subscript runs of {@code markup}; even indices are plain. */
    static String[] splitMarkup(String markup) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = markup.indexOf("_{", from);
            int close = open < 0 ? -1 : markup.indexOf('}', open + 2);
            if (open < 0 || close < 0) {
                parts.add(markup.substring(from));
                break;
            }
            parts.add(markup.substring(from, open));
            parts.add(markup.substring(open + 2, close));
            from = close + 1;
        }
        return parts.toArray(new String[0]);
    }

    /** The bounds {@code text} would cover in {@code font} with its left baseline point at the origin. */
    public static Rectangle2D bounds(Graphics2D g, Font font, String text) {
        return g.getFontMetrics(font).getStringBounds(text, g);
    }
}
