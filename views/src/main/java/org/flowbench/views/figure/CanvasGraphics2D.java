package org.flowbench.views.figure;

import javafx.scene.canvas.GraphicsContext;
import javafx.scene.effect.BlendMode;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.shape.StrokeLineJoin;
import javafx.scene.transform.Affine;
import javafx.scene.text.FontPosture;
import javafx.scene.text.FontWeight;
import org.jfree.fx.FXGraphics2D;

import java.awt.Font;
import java.awt.FontMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Graphics2D a {@link FigureCanvas} paints through: FXGraphics2D, with text drawn and measured
 * in one JavaFX font. FXGraphics2D draws text with {@code GraphicsContext.fillText} in a JavaFX font
 * of the AWT font's size rounded to a whole unit (11.5 draws as 12), while its font metrics and
 * {@code Font.getStringBounds} measure the AWT font: text ran up to 5% wider than measured and
 * {@link FigureText#fitted} let it spill past panel edges. Here every string is drawn in the
 * JavaFX font of the same family, weight, posture and exact size, and {@link #getFontMetrics(Font)}
 * measures with that font ({@link CanvasFontMetrics}), so whatever a figure measures is what is drawn.
 *
 * <p>FXGraphics2D skips a paint, font or stroke equal to the one it last set on the context, so it
 * must only ever see a context in the state it believes: {@link FigureCanvas} paints each frame
 * through a new one ({@link #freshOn}) on a context it has just reset, sharing the font metrics.
 */
final class CanvasGraphics2D extends FXGraphics2D {

    /** How many fonts keep their metrics; a figure switches between a handful (titles, labels, subscripts). */
    private static final int REMEMBERED_FONTS = 16;

    private final GraphicsContext context;
    private final Map<Font, CanvasFontMetrics> metrics;

    private CanvasGraphics2D(GraphicsContext context, Map<Font, CanvasFontMetrics> metrics) {
        super(context);
        this.context = context;
        this.metrics = metrics;
    }

    /** A cache of font metrics for the Graphics2D of one canvas, kept from one frame to the next. */
    static Map<Font, CanvasFontMetrics> metricsCache() {
        return new LinkedHashMap<>(32, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Font, CanvasFontMetrics> eldest) {
                return size() > REMEMBERED_FONTS;
            }
        };
    }

    /**
     * A Graphics2D in its initial state (black paint, one-unit stroke, opaque, no transform or
     * clip) on {@code context}, after putting the context into the same state, so the first paint
     * or stroke a figure sets takes effect even if it equals what the previous frame ended with.
     */
    static CanvasGraphics2D freshOn(GraphicsContext context, Map<Font, CanvasFontMetrics> metrics) {
        context.setFill(javafx.scene.paint.Color.BLACK);
        context.setStroke(javafx.scene.paint.Color.BLACK);
        context.setLineWidth(1);
        context.setLineCap(StrokeLineCap.SQUARE);
        context.setLineJoin(StrokeLineJoin.MITER);
        context.setMiterLimit(10);
        context.setLineDashes((double[]) null);
        context.setLineDashOffset(0);
        context.setGlobalAlpha(1);
        context.setGlobalBlendMode(BlendMode.SRC_OVER);
        context.setTransform(new Affine());
        return new CanvasGraphics2D(context, metrics);
    }

    /** The JavaFX font that draws {@code font} on a canvas: same family, weight, posture and size. */
    static javafx.scene.text.Font fxFont(Font font) {
        return javafx.scene.text.Font.font(font.getFamily(),
                font.isBold() ? FontWeight.BOLD : FontWeight.NORMAL,
                font.isItalic() ? FontPosture.ITALIC : FontPosture.REGULAR,
                font.getSize2D());
    }

    @Override
    public FontMetrics getFontMetrics(Font font) {
        return metrics.computeIfAbsent(font, f -> new CanvasFontMetrics(f, fxFont(f)));
    }

    @Override
    public void drawString(String text, float x, float y) {
        // Set on every call: FXGraphics2D puts its own rounded font back whenever a clip change
        // restores the context's saved state.
        context.setFont(((CanvasFontMetrics) getFontMetrics(getFont())).fxFont());
        super.drawString(text, x, y);
    }
}
