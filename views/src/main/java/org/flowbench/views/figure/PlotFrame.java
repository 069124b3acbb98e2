package org.flowbench.views.figure;

import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGHints;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.Map;

/**
 * One 2D plot: a rectangle on the canvas, the data limits it shows, and the transform between
 * them, plus the pieces every scatter plot draws (panel, grid, frame with ticks and labels, points).
 *
 * <p>Screen y grows downwards, data y upwards. {@link #equalAspect} widens the data limits so
 * that one data unit is as long on screen along x as along y: circles stay round, which matters
 * for distributions. Points are drawn one shape each (a filled circle) so that vector exports
 * hold one element per point; in SVG (JFreeSVG's group hints, which other Graphics2D refuse)
 * they are grouped in {@code <g class="points">}.
 */
public final class PlotFrame {

    /** The SVG class of the group holding one element per drawn point. */
    public static final String POINTS_CLASS = "points";

    /** Ticks are at least this far apart, in logical units: room for a short label and a gap. */
    private static final double MIN_TICK_SPACING = 26.0;
    /** At most about this many tick intervals per axis, however long the axis: a grid, not a ruler. */
    private static final double MAX_TICK_INTERVALS = 6.0;
    private static final double TICK_LENGTH = 4.0;
    private static final double TICK_FONT_SIZE = 10.5;

    private final Rectangle2D area;
    private final DataBounds shown;
    private final double unitsPerDataX;
    private final double unitsPerDataY;
    private final double xTickStep;
    private final double yTickStep;

    private PlotFrame(Rectangle2D area, DataBounds shown, boolean sharedStep) {
        if (!(area.getWidth() > 0 && area.getHeight() > 0)) {
            throw new IllegalArgumentException("plot area must have positive width and height, got "
                    + area.getWidth() + " x " + area.getHeight());
        }
        this.area = new Rectangle2D.Double(area.getX(), area.getY(), area.getWidth(), area.getHeight());
        this.shown = shown;
        this.unitsPerDataX = area.getWidth() / shown.width();
        this.unitsPerDataY = area.getHeight() / shown.height();
        double xStep = niceStep(shown.width(), Math.min(MAX_TICK_INTERVALS, area.getWidth() / MIN_TICK_SPACING));
        double yStep = niceStep(shown.height(), Math.min(MAX_TICK_INTERVALS, area.getHeight() / MIN_TICK_SPACING));
        this.xTickStep = sharedStep ? Math.max(xStep, yStep) : xStep;
        this.yTickStep = sharedStep ? Math.max(xStep, yStep) : yStep;
    }

    /**
     * A frame showing at least {@code data} in {@code area}, widened on one axis so both axes
     * share one scale; both axes then also share one tick step.
     */
    public static PlotFrame equalAspect(Rectangle2D area, DataBounds data) {
        return new PlotFrame(area, data.withAspect(area.getWidth() / area.getHeight()), true);
    }

    /** A frame showing exactly {@code data} in {@code area}, each axis with its own scale. */
    public static PlotFrame stretched(Rectangle2D area, DataBounds data) {
        return new PlotFrame(area, data, false);
    }

    /** The rectangle on the canvas, in logical units. */
    public Rectangle2D area() {
        return (Rectangle2D) area.clone();
    }

    /** The data limits actually shown (at least those asked for). */
    public DataBounds shown() {
        return shown;
    }

    /** Screen x of data x. */
    public double screenX(double x) {
        return area.getX() + (x - shown.xMin()) * unitsPerDataX;
    }

    /** Screen y of data y (screen y grows downwards). */
    public double screenY(double y) {
        return area.getMaxY() - (y - shown.yMin()) * unitsPerDataY;
    }

    /** Data x of screen x; the inverse of {@link #screenX}. */
    public double dataX(double screenX) {
        return shown.xMin() + (screenX - area.getX()) / unitsPerDataX;
    }

    /** Data y of screen y; the inverse of {@link #screenY}. */
    public double dataY(double screenY) {
        return shown.yMin() + (area.getMaxY() - screenY) / unitsPerDataY;
    }

    /** Logical units per data unit along x. */
    public double unitsPerDataX() {
        return unitsPerDataX;
    }

    /** Logical units per data unit along y. */
    public double unitsPerDataY() {
        return unitsPerDataY;
    }

    /** Distance between x ticks: 1, 2 or 5 times a power of ten, at most about 6 intervals, ticks at least 26 units apart. */
    public double xTickStep() {
        return xTickStep;
    }

    /** Distance between y ticks: 1, 2 or 5 times a power of ten, at most about 6 intervals, ticks at least 26 units apart. */
    public double yTickStep() {
        return yTickStep;
    }

    /** Tick values on the x axis, multiples of {@link #xTickStep()} inside the shown limits. */
    public double[] xTicks() {
        return ticks(shown.xMin(), shown.xMax(), xTickStep());
    }

    /** Tick values on the y axis, multiples of {@link #yTickStep()} inside the shown limits. */
    public double[] yTicks() {
        return ticks(shown.yMin(), shown.yMax(), yTickStep());
    }

    /** Fills the plot area with the theme's panel colour and draws the grid at every tick. */
    public void paintPanel(Graphics2D g, FigureTheme theme) {
        g.setPaint(theme.panel());
        g.fill(area);
        Stroke saved = g.getStroke();
        g.setStroke(new BasicStroke(1.0f));
        g.setPaint(theme.grid());
        for (double x : xTicks()) {
            double sx = screenX(x);
            g.draw(new Line2D.Double(sx, area.getMinY(), sx, area.getMaxY()));
        }
        for (double y : yTicks()) {
            double sy = screenY(y);
            g.draw(new Line2D.Double(area.getMinX(), sy, area.getMaxX(), sy));
        }
        g.setStroke(saved);
    }

    /**
     * Draws the frame, outward ticks, and tick labels below the x axis and left of the y axis.
     * Panels in a row that share the y axis pass {@code yLabels = false} after the first.
     */
    public void paintAxes(Graphics2D g, FigureTheme theme, boolean xLabels, boolean yLabels) {
        Stroke savedStroke = g.getStroke();
        Font savedFont = g.getFont();
        g.setStroke(new BasicStroke(1.0f));
        g.setPaint(theme.axis());
        g.draw(area);
        double xStep = xTickStep();
        double yStep = yTickStep();
        double[] xs = xTicks();
        double[] ys = yTicks();
        for (double x : xs) {
            double sx = screenX(x);
            g.draw(new Line2D.Double(sx, area.getMaxY(), sx, area.getMaxY() + TICK_LENGTH));
        }
        for (double y : ys) {
            double sy = screenY(y);
            g.draw(new Line2D.Double(area.getMinX() - TICK_LENGTH, sy, area.getMinX(), sy));
        }
        g.setFont(FigureText.plain(TICK_FONT_SIZE));
        g.setPaint(theme.text());
        if (xLabels) {
            double baseline = area.getMaxY() + TICK_LENGTH + 3 + FigureText.ascent(g);
            for (double x : xs) {
                FigureText.drawCentered(g, FigureText.tickLabel(x, xStep), screenX(x), baseline);
            }
        }
        if (yLabels) {
            for (double y : ys) {
                FigureText.drawRight(g, FigureText.tickLabel(y, yStep), area.getMinX() - TICK_LENGTH - 3,
                        FigureText.baselineForCenter(g, screenY(y)));
            }
        }
        g.setFont(savedFont);
        g.setStroke(savedStroke);
    }

    /** Room below the plot area that x tick labels need, in logical units. */
    public static double xLabelHeight() {
        return TICK_LENGTH + 3 + TICK_FONT_SIZE * 1.25;
    }

    /** Room left of the plot area that y tick labels of up to {@code characters} characters need. */
    public static double yLabelWidth(int characters) {
        return TICK_LENGTH + 3 + characters * TICK_FONT_SIZE * 0.62;
    }

    /**
     * Draws every finite point of {@code xy // [n*2]} as a filled circle of {@code radius}
     * logical units, coloured {@code rgb[i] // [n]} (0xRRGGBB), in index order so later points lie
     * on top. Points are clipped to the plot area.
     *
     * @return the number of points drawn (non-finite points are skipped)
     */
    public int paintPoints(Graphics2D g, float[] xy, int[] rgb, double radius) {
        if (rgb.length * 2 != xy.length) {
            throw new IllegalArgumentException("need one colour per point: " + xy.length / 2 + " points, "
                    + rgb.length + " colours");
        }
        Shape savedClip = g.getClip();
        // Clip only when a dot would cross the frame: clip paths in SVG are heavy and some
        // SVG renderers handle them poorly.
        boolean clipped = !fitsInside(xy, radius);
        if (clipped) {
            g.clip(area);
        }
        boolean svg = g instanceof SVGGraphics2D;
        if (svg) {
            g.setRenderingHint(SVGHints.KEY_BEGIN_GROUP, Map.of("class", POINTS_CLASS));
        }
        Ellipse2D.Double dot = new Ellipse2D.Double();
        double diameter = 2.0 * radius;
        int current = -1;
        int drawn = 0;
        int n = rgb.length;
        for (int i = 0; i < n; i++) {
            float x = xy[2 * i];
            float y = xy[2 * i + 1];
            if (!Float.isFinite(x) || !Float.isFinite(y)) {
                continue;
            }
            int colour = rgb[i] & 0xFFFFFF;
            if (colour != current) {
                g.setPaint(new Color(colour));
                current = colour;
            }
            dot.setFrame(screenX(x) - radius, screenY(y) - radius, diameter, diameter);
            g.fill(dot);
            drawn++;
        }
        if (svg) {
            g.setRenderingHint(SVGHints.KEY_END_GROUP, POINTS_CLASS);
        }
        if (clipped) {
            g.setClip(savedClip);
        }
        return drawn;
    }

    /** True when every finite point's dot of {@code radius} lies inside the plot area. */
    private boolean fitsInside(float[] xy, double radius) {
        for (int i = 0; i + 1 < xy.length; i += 2) {
            float x = xy[i];
            float y = xy[i + 1];
            if (!Float.isFinite(x) || !Float.isFinite(y)) {
                continue;
            }
            double sx = screenX(x);
            double sy = screenY(y);
            if (sx - radius < area.getMinX() || sx + radius > area.getMaxX()
                    || sy - radius < area.getMinY() || sy + radius > area.getMaxY()) {
                return false;
            }
        }
        return true;
    }

    /** The tick step (1, 2 or 5 times a power of ten) giving at most {@code maxTicks} intervals over {@code range}. */
    static double niceStep(double range, double maxTicks) {
        double target = range / Math.max(1.0, maxTicks);
        double magnitude = Math.pow(10, Math.floor(Math.log10(target)));
        for (double mantissa : new double[] {1, 2, 5, 10}) {
            double step = mantissa * magnitude;
            if (step >= target * (1 - 1e-9)) {
                return step;
            }
        }
        return 10 * magnitude;
    }

    private static double[] ticks(double min, double max, double step) {
        long first = (long) Math.ceil(min / step - 1e-9);
        long last = (long) Math.floor(max / step + 1e-9);
        int count = (int) Math.max(0, last - first + 1);
        double[] ticks = new double[count];
        for (int i = 0; i < count; i++) {
            ticks[i] = (first + i) * step;
        }
        return ticks;
    }
}
