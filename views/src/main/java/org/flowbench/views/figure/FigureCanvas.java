package org.flowbench.views.figure;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import org.jfree.fx.FXGraphics2D;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.Map;

/**
 * Shows a {@link Figure} on screen: a resizable region holding a canvas that follows the
 * region's size. Each frame is drawn through a new {@link FXGraphics2D} ({@link CanvasGraphics2D}:
 * text measured as JavaFX draws it, see {@link FigureText}) on a context reset to its initial
 * state, so no paint, font or stroke cached by the previous frame is skipped; the figure is
 * repainted whenever the size changes, the figure is replaced, or {@link #repaint()} is called
 * (after the figure's data changed). Painting happens on the JavaFX thread and must stay light;
 * heavy work belongs in the background job that produces the figure's data.
 *
 * <p>A display scale enlarges the figure on screen (the shell's zoom, for projectors): at scale
 * {@code s} the figure is painted into the logical area {@link #figureArea()} of
 * (width / s) x (height / s) with the graphics scaled by {@code s}, so its text, lines and markers
 * grow by {@code s} and its layout sees less room, as if it were exported at that smaller size.
 * Every canvas follows {@link #sharedDisplayScale()} unless its own scale is set; whatever maps
 * a mouse position to the figure goes through {@link #toFigure}. Export does not look at it.
 */
public class FigureCanvas extends Region {

    private static final double DEFAULT_PREF_WIDTH = 640;
    private static final double DEFAULT_PREF_HEIGHT = 400;
    private static final double MIN_SCALE = 0.25;
    private static final double MAX_SCALE = 8;

    /** The scale every canvas follows: set by the application from its zoom, on the JavaFX thread. */
    private static final DoubleProperty SHARED_DISPLAY_SCALE = new SimpleDoubleProperty(FigureCanvas.class, "sharedDisplayScale", 1);

    private final Canvas canvas = new Canvas();
    private final Map<java.awt.Font, CanvasFontMetrics> fontMetrics = CanvasGraphics2D.metricsCache();
    private final ObjectProperty<Figure> figure = new SimpleObjectProperty<>(this, "figure");
    private final DoubleProperty displayScale = new SimpleDoubleProperty(this, "displayScale", 1);
    private long paintCount;

    public FigureCanvas() {
        this(null);
    }

    public FigureCanvas(Figure initial) {
        getStyleClass().add("figure-canvas");
        getChildren().add(canvas);
        figure.addListener((observable, before, after) -> repaint());
        figure.set(initial);
        // bind() listens weakly, so the shared scale does not keep a closed page's canvas alive
        displayScale.bind(SHARED_DISPLAY_SCALE);
        displayScale.addListener((observable, before, after) -> repaint());
        setMinSize(0, 0);
    }

    /**
     * The display scale every canvas follows unless its own {@link #displayScaleProperty()} is
     * unbound and set: 1 paints the figure at the canvas's size, 1.5 paints its text, lines and
     * markers half as large again. Values outside 0.25 to 8 are clamped when painting.
     */
    public static DoubleProperty sharedDisplayScale() {
        return SHARED_DISPLAY_SCALE;
    }

    /** This canvas's display scale; bound to {@link #sharedDisplayScale()} until unbound. */
    public DoubleProperty displayScaleProperty() {
        return displayScale;
    }

    /** The scale the figure is painted at now: the display scale, clamped, 1 when it is not a number. */
    public double displayScale() {
        double value = displayScale.get();
        return Double.isFinite(value) ? Math.max(MIN_SCALE, Math.min(MAX_SCALE, value)) : 1;
    }

    /** The area the figure is painted into, in figure units: the canvas's size divided by the display scale. */
    public Rectangle2D figureArea() {
        double scale = displayScale();
        return new Rectangle2D.Double(0, 0, canvas.getWidth() / scale, canvas.getHeight() / scale);
    }

    /**
     * The figure's position under a point of this region (a mouse event's x and y), in the
     * units of {@link #figureArea()}: what hit tests, picks and drags must use.
     */
    public Point2D toFigure(double x, double y) {
        double scale = displayScale();
        return new Point2D.Double((x - canvas.getLayoutX()) / scale, (y - canvas.getLayoutY()) / scale);
    }

    /** The figure shown; null shows nothing. */
    public ObjectProperty<Figure> figureProperty() {
        return figure;
    }

    public Figure getFigure() {
        return figure.get();
    }

    public void setFigure(Figure value) {
        figure.set(value);
    }

    /** How many times the figure has been painted; lets tests and profilers see repaints. */
    public long paintCount() {
        return paintCount;
    }

    /** The canvas the figure is drawn on (for snapshots). */
    public Canvas canvas() {
        return canvas;
    }

    /** Paints the figure again now, at the current size. Call on the JavaFX thread. */
    public void repaint() {
        double width = canvas.getWidth();
        double height = canvas.getHeight();
        GraphicsContext context = canvas.getGraphicsContext2D();
        context.clearRect(0, 0, width, height);
        Figure current = figure.get();
        if (current == null || width < 1 || height < 1) {
            return;
        }
        double scale = displayScale();
        context.save();
        try {
            CanvasGraphics2D graphics = CanvasGraphics2D.freshOn(context, fontMetrics);
            FigureExporter.applyQualityHints(graphics);
            if (scale != 1) {
                graphics.scale(scale, scale);
            }
            current.paint(graphics, figureArea());
        } finally {
            context.restore();
        }
        paintCount++;
    }

    @Override
    protected void layoutChildren() {
        Insets insets = getInsets();
        double width = Math.max(0, snapSizeX(getWidth() - insets.getLeft() - insets.getRight()));
        double height = Math.max(0, snapSizeY(getHeight() - insets.getTop() - insets.getBottom()));
        canvas.relocate(snappedLeftInset(), snappedTopInset());
        if (width != canvas.getWidth() || height != canvas.getHeight()) {
            canvas.setWidth(width);
            canvas.setHeight(height);
            repaint();
        }
    }

    @Override
    protected double computePrefWidth(double height) {
        return DEFAULT_PREF_WIDTH + snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computePrefHeight(double width) {
        return DEFAULT_PREF_HEIGHT + snappedTopInset() + snappedBottomInset();
    }

    @Override
    protected double computeMinWidth(double height) {
        return 0;
    }

    @Override
    protected double computeMinHeight(double width) {
        return 0;
    }
}
