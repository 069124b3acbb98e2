package org.flowbench.views.figure;

import javafx.geometry.Bounds;
import javafx.scene.text.Text;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.geom.Rectangle2D;
import java.text.CharacterIterator;

/**
 * Font metrics measured by JavaFX's text layout in the font a canvas draws with, for
 * {@link CanvasGraphics2D}: widths, ascent and descent are those of the glyphs JavaFX puts on
 * the canvas, not those of the AWT font the figure asked for. Used on the JavaFX thread.
 */
final class CanvasFontMetrics extends FontMetrics {

    private final transient javafx.scene.text.Font fxFont;
    private final transient Text probe = new Text();
    private final double ascent;
    private final double descent;

    CanvasFontMetrics(Font font, javafx.scene.text.Font fxFont) {
        super(font);
        this.fxFont = fxFont;
        probe.setFont(fxFont);
        // The default text origin is the baseline: a line's logical bounds run from -ascent to descent.
        Bounds line = layoutBounds("");
        ascent = -line.getMinY();
        descent = line.getMaxY();
    }

    /** The JavaFX font these metrics measure and the canvas draws with. */
    javafx.scene.text.Font fxFont() {
        return fxFont;
    }

    /** The advance width of {@code text} as JavaFX lays it out, in the font's units. */
    double width(String text) {
        return text.isEmpty() ? 0.0 : layoutBounds(text).getWidth();
    }

    private Bounds layoutBounds(String text) {
        probe.setText(text);
        return probe.getLayoutBounds();
    }

    @Override
    public Rectangle2D getStringBounds(String text, Graphics context) {
        return new Rectangle2D.Double(0, -ascent, width(text), ascent + descent);
    }

    @Override
    public Rectangle2D getStringBounds(String text, int beginIndex, int limit, Graphics context) {
        return getStringBounds(text.substring(beginIndex, limit), context);
    }

    @Override
    public Rectangle2D getStringBounds(char[] chars, int beginIndex, int limit, Graphics context) {
        return getStringBounds(new String(chars, beginIndex, limit - beginIndex), context);
    }

    @Override
    public Rectangle2D getStringBounds(CharacterIterator text, int beginIndex, int limit, Graphics context) {
        StringBuilder run = new StringBuilder(Math.max(0, limit - beginIndex));
        for (char c = text.setIndex(beginIndex); text.getIndex() < limit; c = text.next()) {
            run.append(c);
        }
        return getStringBounds(run.toString(), context);
    }

    @Override
    public int stringWidth(String text) {
        return (int) Math.round(width(text));
    }

    @Override
    public int charsWidth(char[] chars, int offset, int length) {
        return stringWidth(new String(chars, offset, length));
    }

    @Override
    public int charWidth(char c) {
        return stringWidth(String.valueOf(c));
    }

    @Override
    public int charWidth(int codePoint) {
        return stringWidth(new String(Character.toChars(Character.isValidCodePoint(codePoint) ? codePoint : 0xFFFF)));
    }

    @Override
    public int getAscent() {
        // rounded up as AWT's own metrics round
        return (int) (ascent + 0.95);
    }

    @Override
    public int getDescent() {
        return (int) (descent + 0.95);
    }

    @Override
    public int getLeading() {
        return 0;
    }
}
