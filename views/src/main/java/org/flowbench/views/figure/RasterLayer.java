package org.flowbench.views.figure;

import org.jfree.fx.FXGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.GraphicsConfiguration;
import java.awt.GraphicsDevice;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A panel-sized premultiplied ARGB image that a figure with thousands of small marks rasterises
 * them into when it paints onto pixels (the screen canvas, PNG and animation frames): thin
 * polylines, filled dots and rings. Java2D and Prism spend most of a frame setting up and
 * scan-converting thousands of tiny antialiased shapes; here each mark touches only the few
 * pixels it covers.
 *
 * <p>Marks of one colour are gathered into a coverage mask, keeping the largest coverage any
 * mark gives a pixel, and then composited in one go with the colour's alpha: where a colour's
 * paths cross or meet at a joint they do not darken, just as when the colour is one stroked
 * shape. A polyline's coverage is that of a round-capped, round-joined stroke (distance from the
 * pixel centre to the nearest segment, box-filtered across the line); dots and rings are stamped
 * from coverage masks that Java2D itself rendered at 8 x 8 sub-pixel offsets, so they look as the
 * vector shapes do to within 1/16 pixel. Vector outputs (SVG, PDF) never come here.
 *
 * <p>One layer per thread is kept and reused, so painting a frame allocates nothing here.
 * Not thread-safe; get it with {@link #acquire}.
 */
public final class RasterLayer {

    /** Sub-pixel offsets per axis of the stamped masks. */
    private static final int PHASES = 8;
    /** Largest distance, in pixels, of a skipped polyline vertex from the chord drawn instead. */
    static final float SIMPLIFY_TOLERANCE = 0.1f;
    private static final int TABLE = 1024;
    /** Layers up to this many pixels are kept per thread; larger ones (4x exports) are not. */
    private static final int KEEP_PIXELS = 4_000_000;
    private static final ThreadLocal<RasterLayer> KEPT = new ThreadLocal<>();
    private static final Map<String, Mask> MASKS = new ConcurrentHashMap<>();

    private final int width;
    private final int height;
    /** Columns [0, limitX) and rows [0, limitY) are inside the panel; marks are cut there. */
    private int limitX;
    private int limitY;
    private final BufferedImage image;
    private final int[] argb;       // [width*height] premultiplied 0xAARRGGBB
    private final byte[] coverage;  // [width*height] 0..255, all zero between flushes
    private int[] dirty = new int[4096];
    private int dirtyCount;
    /** Stroke coverage by squared distance: {@code // [TABLE+1]} for the current half-width. */
    private final byte[] strokeCoverage = new byte[TABLE + 1];
    private float strokeHalfWidth = -1;
    private float tableScale;
    /** The polyline being drawn: its last emitted vertex, its newest vertex, and the vertices skipped in between. */
    private float anchorX;
    private float anchorY;
    private float lastX;
    private float lastY;
    private final float[] between = new float[32];
    /** Colours are the figure's palette constants, so they are looked up by identity. */
    private final Map<Color, int[]> premultipliedByColour = new java.util.IdentityHashMap<>();
    private int pending;

    private RasterLayer(int width, int height) {
        this.width = width;
        this.height = height;
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB_PRE);
        this.argb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        this.coverage = new byte[width * height];
    }

    /**
     * A cleared layer for this thread, as large as {@code placement} asks; marks reach only its
     * pixels inside the panel, the rest stays transparent.
     */
    public static RasterLayer acquire(Placement placement) {
        RasterLayer layer = KEPT.get();
        if (layer != null && layer.width == placement.width() && layer.height == placement.height()) {
            Arrays.fill(layer.argb, 0);
        } else {
            layer = new RasterLayer(placement.width(), placement.height());
            if ((long) layer.width * layer.height <= KEEP_PIXELS) {
                KEPT.set(layer);
            }
        }
        layer.limitX = placement.insideWidth();
        layer.limitY = placement.insideHeight();
        return layer;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * Where a rectangle of the figure lands in pixels on {@code g}, or null when {@code g} is a
     * vector output (SVG, PDF, a printer) or its transform rotates, shears or scales the axes
     * unequally: those keep the vector shapes.
     */
    public static Placement placement(Graphics2D g, Rectangle2D area) {
        double outputScale;
        if (g instanceof FXGraphics2D) {
            outputScale = FxOutputScale.current();
        } else {
            GraphicsConfiguration config = g.getDeviceConfiguration();
            if (config == null || config.getDevice().getType() != GraphicsDevice.TYPE_IMAGE_BUFFER) {
                return null;
            }
            outputScale = 1;
        }
        AffineTransform t = g.getTransform();
        if ((t.getType() & ~(AffineTransform.TYPE_TRANSLATION | AffineTransform.TYPE_UNIFORM_SCALE)) != 0
                || !(t.getScaleX() > 0)) {
            return null;
        }
        double scale = t.getScaleX() * outputScale;
        double offsetX = t.getTranslateX() * outputScale;
        double offsetY = t.getTranslateY() * outputScale;
        // the pixels whose centres lie inside the area, as Java2D clips to a rectangle
        int x = (int) Math.ceil(area.getX() * scale + offsetX - 0.5);
        int y = (int) Math.ceil(area.getY() * scale + offsetY - 0.5);
        int insideWidth = (int) Math.ceil(area.getMaxX() * scale + offsetX - 0.5) - x;
        int insideHeight = (int) Math.ceil(area.getMaxY() * scale + offsetY - 0.5) - y;
        // the image size depends on the area's size only, so equal panels share one layer
        int w = (int) Math.ceil(area.getWidth() * scale) + 2;
        int h = (int) Math.ceil(area.getHeight() * scale) + 2;
        if (insideWidth < 1 || insideHeight < 1 || (long) w * h > 64_000_000L) {
            return null;
        }
        return new Placement(x, y, w, h, Math.min(w, insideWidth), Math.min(h, insideHeight), scale, offsetX - x,
                offsetY - y, outputScale);
    }

    /**
     * A panel's pixels on the target: layer pixel (i, j) is target pixel (x + i, y + j), and a
     * logical point (lx, ly) lies at layer position (lx * scale + offsetX, ly * scale + offsetY).
     * The layer is {@code width x height}; its top-left {@code insideWidth x insideHeight} pixels
     * are the panel's.
     */
    public record Placement(int x, int y, int width, int height, int insideWidth, int insideHeight, double scale,
                     double offsetX, double offsetY, double outputScale) {

        /** Draws {@code layer} onto {@code g} pixel for pixel, needing no clip. */
        public void draw(Graphics2D g, RasterLayer layer) {
            AffineTransform saved = g.getTransform();
            g.setTransform(new AffineTransform());
            g.drawImage(layer.image, new AffineTransform(1 / outputScale, 0, 0, 1 / outputScale, x / outputScale,
                    y / outputScale), null);
            g.setTransform(saved);
        }
    }

    /**
     * Starts a polyline at (x, y), in layer pixels, stroked {@code 2 * halfWidth} pixels wide with
     * round caps and joins; {@link #lineTo} extends it and {@link #endPath} finishes it.
     * Runs of vertices that lie within {@value #SIMPLIFY_TOLERANCE} pixel of one chord are drawn as
     * that chord: the coverage hardly changes, and short solver steps cost one segment instead of many.
     */
    public void moveTo(float x, float y, float halfWidth) {
        if (halfWidth != strokeHalfWidth) {
            coverageTable(halfWidth);
        }
        anchorX = lastX = x;
        anchorY = lastY = y;
        pending = 0;
    }

    public void lineTo(float x, float y) {
        float cx = x - anchorX;
        float cy = y - anchorY;
        float chord2 = cx * cx + cy * cy;
        boolean straight = pending < between.length && Float.isFinite(chord2)
                && near(lastX, lastY, cx, cy, chord2);
        for (int k = 0; straight && k < pending; k += 2) {
            straight = near(between[k], between[k + 1], cx, cy, chord2);
        }
        if (straight) {
            if (lastX != anchorX || lastY != anchorY) {
                between[pending++] = lastX;
                between[pending++] = lastY;
            }
        } else {
            segment(anchorX, anchorY, lastX, lastY);
            anchorX = lastX;
            anchorY = lastY;
            pending = 0;
        }
        lastX = x;
        lastY = y;
    }

    public void endPath() {
        segment(anchorX, anchorY, lastX, lastY);
        pending = 0;
    }

    /** Whether (qx, qy) lies within the tolerance of the chord (cx, cy) from the anchor, between its ends. */
    private boolean near(float qx, float qy, float cx, float cy, float chord2) {
        float rx = qx - anchorX;
        float ry = qy - anchorY;
        float cross = cx * ry - cy * rx;
        float dot = cx * rx + cy * ry;
        return cross * cross <= SIMPLIFY_TOLERANCE * SIMPLIFY_TOLERANCE * chord2 && dot >= 0 && dot <= chord2;
    }

    /**
     * Coverage of a stroke of half-width {@code h} at distance d from a pixel centre: a band of the
     * stroke's width box-filtered over the pixel, min(d + h, 1/2) - max(d - h, -1/2), tabulated
     * against d squared up to the reach h + 1/2.
     */
    private void coverageTable(float halfWidth) {
        float reach = halfWidth + 0.5f;
        tableScale = TABLE / (reach * reach);
        for (int i = 0; i <= TABLE; i++) {
            float d = (float) Math.sqrt(i / tableScale);
            float c = Math.min(d + halfWidth, 0.5f) - Math.max(d - halfWidth, -0.5f);
            strokeCoverage[i] = (byte) (int) (Math.max(0f, Math.min(1f, c)) * 255 + 0.5f);
        }
        strokeCoverage[TABLE] = 0;
        strokeHalfWidth = halfWidth;
    }

    /** Adds the segment (x0, y0)-(x1, y1) of the current polyline to the coverage of the current colour. */
    private void segment(float x0, float y0, float x1, float y1) {
        if (!(Float.isFinite(x0) && Float.isFinite(y0) && Float.isFinite(x1) && Float.isFinite(y1))) {
            return;
        }
        float reach = strokeHalfWidth + 0.5f;
        float minX = Math.min(x0, x1) - reach;
        float maxX = Math.max(x0, x1) + reach;
        float minY = Math.min(y0, y1) - reach;
        float maxY = Math.max(y0, y1) + reach;
        if (maxX < 0 || maxY < 0 || minX >= limitX || minY >= limitY) {
            return;
        }
        float dx = x1 - x0;
        float dy = y1 - y0;
        float length2 = dx * dx + dy * dy;
        float inverse = length2 > 0 ? 1 / length2 : 0;
        float reach2 = reach * reach;
        int colFrom = (int) Math.max(0f, minX);
        int colTo = Math.min(limitX - 1, (int) maxX);
        int rowFrom = (int) Math.max(0f, minY);
        int rowTo = Math.min(limitY - 1, (int) maxY);
        if (Math.abs(dx) >= Math.abs(dy)) {
            // walk columns; in each, only the rows within reach of the segment
            float span = length2 > 0 ? reach * (float) Math.sqrt(length2) / Math.abs(dx) : reach;
            for (int ix = colFrom; ix <= colTo; ix++) {
                float px = ix + 0.5f - x0;
                float centre = y0 + (dx != 0 ? clamp01(px / dx) * dy : 0);
                int from = Math.max(rowFrom, (int) Math.max(0f, centre - span));
                int to = Math.min(rowTo, (int) (centre + span));
                float py = from + 0.5f - y0;
                float dot = px * dx + py * dy;
                for (int iy = from, index = from * width + ix; iy <= to; iy++, index += width, py += 1, dot += dy) {
                    float t = clamp01(dot * inverse);
                    float ex = px - t * dx;
                    float ey = py - t * dy;
                    float d2 = ex * ex + ey * ey;
                    if (d2 < reach2) {
                        accumulate(index, strokeCoverage[(int) (d2 * tableScale)] & 255);
                    }
                }
            }
        } else {
            float span = reach * (float) Math.sqrt(length2) / Math.abs(dy);
            for (int iy = rowFrom; iy <= rowTo; iy++) {
                float py = iy + 0.5f - y0;
                float centre = x0 + clamp01(py / dy) * dx;
                int from = Math.max(colFrom, (int) Math.max(0f, centre - span));
                int to = Math.min(colTo, (int) (centre + span));
                float px = from + 0.5f - x0;
                float dot = px * dx + py * dy;
                for (int ix = from, index = iy * width + from; ix <= to; ix++, index++, px += 1, dot += dx) {
                    float t = clamp01(dot * inverse);
                    float ex = px - t * dx;
                    float ey = py - t * dy;
                    float d2 = ex * ex + ey * ey;
                    if (d2 < reach2) {
                        accumulate(index, strokeCoverage[(int) (d2 * tableScale)] & 255);
                    }
                }
            }
        }
    }

    private static float clamp01(float v) {
        return v < 0 ? 0 : Math.min(v, 1);
    }

    /** Adds {@code mask} centred at (x, y), in layer pixels, to the coverage of the current colour. */
    public void stamp(Mask mask, float x, float y) {
        if (!(Float.isFinite(x) && Float.isFinite(y))) {
            return;
        }
        int qx = (int) Math.floor(x * PHASES + 0.5f);
        int qy = (int) Math.floor(y * PHASES + 0.5f);
        int left = Math.floorDiv(qx, PHASES) - mask.centre;
        int top = Math.floorDiv(qy, PHASES) - mask.centre;
        int size = mask.size;
        if (left + size <= 0 || top + size <= 0 || left >= limitX || top >= limitY) {
            return;
        }
        int phase = Math.floorMod(qy, PHASES) * PHASES + Math.floorMod(qx, PHASES);
        byte[] m = mask.phases[phase];
        int[] box = mask.boxes;
        int a0 = Math.max(box[4 * phase], -left);
        int a1 = Math.min(box[4 * phase + 1], limitX - left);
        int b0 = Math.max(box[4 * phase + 2], -top);
        int b1 = Math.min(box[4 * phase + 3], limitY - top);
        for (int b = b0; b < b1; b++) {
            int row = (top + b) * width + left;
            int mrow = b * size;
            for (int a = a0; a < a1; a++) {
                int c = m[mrow + a] & 255;
                if (c != 0) {
                    accumulate(row + a, c);
                }
            }
        }
    }

    private void accumulate(int index, int value) {
        int old = coverage[index] & 255;
        if (value > old) {
            if (old == 0) {
                if (dirtyCount == dirty.length) {
                    dirty = Arrays.copyOf(dirty, 2 * dirty.length);
                }
                dirty[dirtyCount++] = index;
            }
            coverage[index] = (byte) value;
        }
    }

    /** Composites the gathered coverage in {@code colour} (its alpha included) over the layer, and clears it. */
    public void flush(Color colour) {
        int[] source = premultiplied(colour);
        for (int k = 0; k < dirtyCount; k++) {
            int index = dirty[k];
            int src = source[coverage[index] & 255];
            coverage[index] = 0;
            int dst = argb[index];
            if (dst == 0) {
                argb[index] = src;
                continue;
            }
            // premultiplied source over: src + dst * (255 - srcAlpha) / 255, two channels per multiply
            int keep = 255 - (src >>> 24);
            int redBlue = (dst & 0x00FF00FF) * keep + 0x00800080;
            redBlue = ((redBlue + ((redBlue >>> 8) & 0x00FF00FF)) >>> 8) & 0x00FF00FF;
            int alphaGreen = ((dst >>> 8) & 0x00FF00FF) * keep + 0x00800080;
            alphaGreen = (alphaGreen + ((alphaGreen >>> 8) & 0x00FF00FF)) & 0xFF00FF00;
            argb[index] = src + (alphaGreen | redBlue);
        }
        dirtyCount = 0;
    }

    /** {@code colour} at each coverage 0..255, premultiplied: {@code // [256]} 0xAARRGGBB, kept per colour. */
    private int[] premultiplied(Color colour) {
        int[] table = premultipliedByColour.get(colour);
        if (table == null) {
            if (premultipliedByColour.size() > 1024) {
                premultipliedByColour.clear();
            }
            table = new int[256];
            int r = colour.getRed();
            int gr = colour.getGreen();
            int b = colour.getBlue();
            int alpha = colour.getAlpha();
            for (int c = 0; c < 256; c++) {
                int a = div255(alpha * c);
                table[c] = a << 24 | div255(r * a) << 16 | div255(gr * a) << 8 | div255(b * a);
            }
            premultipliedByColour.put(colour, table);
        }
        return table;
    }

    /** x / 255 rounded, for 0 <= x <= 255 * 255. */
    private static int div255(int x) {
        int v = x + 128;
        return (v + (v >> 8)) >> 8;
    }

    /** 0xAARRGGBB (premultiplied) of layer pixel (x, y); for tests. */
    public int pixel(int x, int y) {
        return argb[y * width + x];
    }

    /**
     * A filled circle of {@code radius} pixels, as Java2D antialiases it, at each sub-pixel offset.
     */
    public static Mask disc(double radius) {
        return MASKS.computeIfAbsent("disc " + radius, key -> Mask.render(radius, 0));
    }

    /** A circle of {@code radius} pixels stroked {@code strokeWidth} pixels wide, at each sub-pixel offset. */
    public static Mask ring(double radius, double strokeWidth) {
        return MASKS.computeIfAbsent("ring " + radius + " " + strokeWidth, key -> Mask.render(radius, strokeWidth));
    }

    /** Coverage of one small shape: {@code phases[py * 8 + px] // [size*size]}, shape centred at (centre + px/8, centre + py/8). */
    public static final class Mask {
        final int size;
        final int centre;
        final byte[][] phases;
        /** Per phase, the columns [from, to) and rows [from, to) holding its non-zero coverage {@code // [64*4]}. */
        final int[] boxes;

        private Mask(int size, int centre, byte[][] phases) {
            this.size = size;
            this.centre = centre;
            this.phases = phases;
            this.boxes = new int[phases.length * 4];
            for (int p = 0; p < phases.length; p++) {
                int colFrom = size;
                int colTo = 0;
                int rowFrom = size;
                int rowTo = 0;
                for (int b = 0; b < size; b++) {
                    for (int a = 0; a < size; a++) {
                        if (phases[p][b * size + a] != 0) {
                            colFrom = Math.min(colFrom, a);
                            colTo = Math.max(colTo, a + 1);
                            rowFrom = Math.min(rowFrom, b);
                            rowTo = Math.max(rowTo, b + 1);
                        }
                    }
                }
                boxes[4 * p] = colFrom;
                boxes[4 * p + 1] = colTo;
                boxes[4 * p + 2] = rowFrom;
                boxes[4 * p + 3] = rowTo;
            }
        }

        /** strokeWidth 0: a filled disc; otherwise a stroked ring. */
        static Mask render(double radius, double strokeWidth) {
            if (!(radius > 0) || radius > 64 || !(strokeWidth >= 0) || strokeWidth > 64) {
                throw new IllegalArgumentException("mark radius must be in (0, 64] pixels, got " + radius);
            }
            int size = (int) Math.ceil(2 * (radius + strokeWidth / 2)) + 3;
            int centre = size / 2;
            byte[][] phases = new byte[PHASES * PHASES][];
            for (int py = 0; py < PHASES; py++) {
                for (int px = 0; px < PHASES; px++) {
                    BufferedImage gray = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
                    Graphics2D g = gray.createGraphics();
                    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
                    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                    g.setColor(Color.WHITE);
                    Ellipse2D.Double circle = new Ellipse2D.Double(centre + px / (double) PHASES - radius,
                            centre + py / (double) PHASES - radius, 2 * radius, 2 * radius);
                    if (strokeWidth == 0) {
                        g.fill(circle);
                    } else {
                        g.setStroke(new BasicStroke((float) strokeWidth));
                        g.draw(circle);
                    }
                    g.dispose();
                    phases[py * PHASES + px] = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData().clone();
                }
            }
            return new Mask(size, centre, phases);
        }
    }

    /** The screen's pixels per logical unit, read only on the JavaFX thread (1 elsewhere). */
    private static final class FxOutputScale {
        private FxOutputScale() {
        }

        static double current() {
            if (!javafx.application.Platform.isFxApplicationThread()) {
                return 1;
            }
            try {
                double scale = javafx.stage.Screen.getPrimary().getOutputScaleX();
                return scale >= 1 && scale <= 8 ? scale : 1;
            } catch (RuntimeException e) {
                return 1;
            }
        }
    }
}
