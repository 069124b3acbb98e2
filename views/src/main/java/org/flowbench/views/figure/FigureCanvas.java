package org.flowbench.views.figure;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import org.jfree.fx.FXGraphics2D;

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
 */
public class FigureCanvas extends Region {

    private static final double DEFAULT_PREF_WIDTH = 640;
    private static final double DEFAULT_PREF_HEIGHT = 400;

    private final Canvas canvas = new Canvas();
    private final Map<java.awt.Font, CanvasFontMetrics> fontMetrics = CanvasGraphics2D.metricsCache();
    private final ObjectProperty<Figure> figure = new SimpleObjectProperty<>(this, "figure");
    private long paintCount;

    public FigureCanvas() {
        this(null);
    }

    public FigureCanvas(Figure initial) {
        getStyleClass().add("figure-canvas");
        getChildren().add(canvas);
        figure.addListener((observable, before, after) -> repaint());
        figure.set(initial);
        setMinSize(0, 0);
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
        context.save();
        try {
            CanvasGraphics2D graphics = CanvasGraphics2D.freshOn(context, fontMetrics);
            FigureExporter.applyQualityHints(graphics);
            current.paint(graphics, new Rectangle2D.Double(0, 0, width, height));
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
