package org.flowbench.views.figure;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Points drawn over a figure's plot panels without repainting the figure: the user's sketch, a
 * selection. It lies on top of a {@link FigureCanvas} of the same size, lets the mouse through,
 * and draws every point in every panel (each cut to its panel) as a dot with a contrasting rim,
 * at the canvas's display scale so the dots sit where the figure's panels are painted.
 */
public final class PointsOverlay extends Region {

    private static final double RADIUS = 3.0;

    private final Canvas canvas = new Canvas();
    private final FigureCanvas under;
    private final Supplier<List<PlotFrame>> frames;
    private float[] points = new float[0]; // [2k] data coordinates
    private Color fill = Color.rgb(0x11, 0x11, 0x11);
    private Color rim = Color.WHITE;
    private int drawn;

    /**
     * @param under  the canvas this overlay covers (its display scale maps figure units to pixels)
     * @param frames the panels' frames in figure units, as the figure under it draws them
     */
    public PointsOverlay(FigureCanvas under, Supplier<List<PlotFrame>> frames) {
        this.under = Objects.requireNonNull(under, "under");
        this.frames = Objects.requireNonNull(frames, "frames");
        under.displayScaleProperty().addListener((observable, before, after) -> redraw());
        getChildren().add(canvas);
        setMouseTransparent(true);
        getStyleClass().add("points-overlay");
    }

    /** Shows these points {@code // [2k] x, y in data coordinates}; an odd last value is ignored. */
    public void setPoints(float[] xy) {
        points = xy.clone();
        redraw();
    }

    /** Dark dots with a light rim on a light figure, light dots with a dark rim on a dark one. */
    public void setDark(boolean dark) {
        fill = dark ? Color.WHITE : Color.rgb(0x11, 0x11, 0x11);
        rim = dark ? Color.rgb(0x11, 0x11, 0x11) : Color.WHITE;
        redraw();
    }

    /** How many point marks the last redraw put on the canvas (over all panels). */
    public int drawnCount() {
        return drawn;
    }

    public Canvas canvas() {
        return canvas;
    }

    /** Draws again (the figure's view or size changed). */
    public void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        drawn = 0;
        if (points.length < 2 || canvas.getWidth() <= 0) {
            return;
        }
        // rims first, then the dots: a dense stroke of points reads as one dark line with a light edge
        List<PlotFrame> panels = frames.get();
        double scale = under.displayScale();
        for (int pass = 0; pass < 2; pass++) {
            double r = pass == 0 ? RADIUS + 1.2 : RADIUS;
            g.setFill(pass == 0 ? rim : fill);
            for (PlotFrame frame : panels) {
                java.awt.geom.Rectangle2D inside = frame.area();
                for (int i = 0; i + 1 < points.length; i += 2) {
                    double x = frame.screenX(points[i]);
                    double y = frame.screenY(points[i + 1]);
                    if (inside.contains(x, y)) {
                        g.fillOval((x - r) * scale, (y - r) * scale, 2 * r * scale, 2 * r * scale);
                        drawn += pass;
                    }
                }
            }
        }
    }

    @Override
    protected void layoutChildren() {
        double width = snapSizeX(getWidth());
        double height = snapSizeY(getHeight());
        if (width != canvas.getWidth() || height != canvas.getHeight()) {
            canvas.setWidth(width);
            canvas.setHeight(height);
            redraw();
        }
    }
}
