package org.flowbench.views.figure;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.Arrays;

/**
 * One scatter plot of 2D points with a title: samples of a data set, a model's output, one
 * frame of an animation. Equal aspect, axes with ticks, one dot per finite point.
 */
public final class ScatterFigure implements Figure {

    private static final double MARGIN = 14.0;
    private static final double TITLE_SIZE = 14.0;

    private final String title;
    private final float[] xy;   // [n*2]
    private final int[] rgb;    // [n] 0xRRGGBB
    private final DataBounds limits;
    private final FigureTheme theme;

    /**
     * @param xy     {@code float[] xy // [n*2]} point coordinates (copied)
     * @param rgb    {@code int[] rgb // [n]} colour of each point as 0xRRGGBB (copied)
     * @param limits data limits to show, or null for the points' own bounds plus a margin
     */
    public ScatterFigure(String title, float[] xy, int[] rgb, DataBounds limits, FigureTheme theme) {
        if (xy == null || rgb == null || theme == null) {
            throw new IllegalArgumentException("scatter figure needs points, colours and a theme");
        }
        if (xy.length % 2 != 0 || rgb.length * 2 != xy.length) {
            throw new IllegalArgumentException("scatter figure needs [n*2] coordinates and [n] colours, got "
                    + xy.length + " coordinates and " + rgb.length + " colours");
        }
        this.title = title == null ? "" : title;
        this.xy = xy.clone();
        this.rgb = rgb.clone();
        this.limits = limits != null ? limits : DataBounds.of(xy).padded(0.05);
        this.theme = theme;
    }

    /** All points in one colour. */
    public static ScatterFigure uniform(String title, float[] xy, int rgb, FigureTheme theme) {
        int[] colours = new int[xy.length / 2];
        Arrays.fill(colours, rgb);
        return new ScatterFigure(title, xy, colours, null, theme);
    }

    @Override
    public String title() {
        return title;
    }

    /** Number of points (finite or not). */
    public int count() {
        return rgb.length;
    }

    /** Radius of the dots, in logical units. */
    public double pointRadius() {
        return 2.5;
    }

    /** The plot frame for a figure painted into {@code area}: the transform {@link #paint} uses. */
    public PlotFrame frame(Rectangle2D area) {
        double left = area.getX() + MARGIN + PlotFrame.yLabelWidth(3);
        double top = area.getY() + MARGIN + (title.isEmpty() ? 0 : TITLE_SIZE * 1.6);
        double right = area.getMaxX() - MARGIN;
        double bottom = area.getMaxY() - MARGIN - PlotFrame.xLabelHeight();
        Rectangle2D plot = new Rectangle2D.Double(left, top, Math.max(1, right - left), Math.max(1, bottom - top));
        return PlotFrame.equalAspect(plot, limits);
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        PlotFrame frame = frame(area);
        frame.paintPanel(g, theme);
        frame.paintPoints(g, xy, rgb, pointRadius());
        frame.paintAxes(g, theme, true, true);
        if (!title.isEmpty()) {
            g.setFont(FigureText.bold(TITLE_SIZE));
            g.setPaint(theme.text());
            Rectangle2D plot = frame.area();
            FigureText.drawCentered(g, title, plot.getCenterX(), plot.getMinY() - 0.55 * TITLE_SIZE);
        }
    }
}
