package org.flowbench.views.figure;

import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;

import java.awt.geom.Point2D;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Pan, zoom, pick and sketch on the plot panels of a figure shown in a node: the wheel zooms
 * about the pointer, a drag pans, a double click resets the view, a click without a drag picks,
 * and Shift + drag sketches points in data coordinates. The keys + and - zoom about the middle
 * of the view. The panels share one view, so whichever panel the pointer is over moves all.
 * The navigator knows nothing of what is drawn: it asks for the panels' frames (in the figure's
 * units, as the canvas paints it at its display scale) and reports views, picks and sketched points;
 * every pointer position goes through {@link FigureCanvas#toFigure}.
 */
public final class PlotNavigator {

    /** Zoom factor of one wheel notch or key press. */
    public static final double ZOOM_STEP = 1.15;
    /** Pointer movement (screen px) after which a press is a drag, not a click. */
    static final double DRAG_SLOP = 3;

    /** A click without a drag, in the figure's units, on the panel it hit (null when between panels). */
    public interface PickHandler {
        void picked(PlotFrame frame, double x, double y);
    }

    /** A sketched point in data coordinates. */
    public interface SketchHandler {
        void sketched(double x, double y);
    }

    private final FigureCanvas surface;
    private final Supplier<List<PlotFrame>> frames;
    private final Consumer<DataBounds> setView;
    private PickHandler pick = (frame, x, y) -> { };
    private SketchHandler sketch;
    /** Where the press was, in screen px of the canvas (for the drag slop) and in figure units. */
    private double pressX;
    private double pressY;
    private Point2D pressAt = new Point2D.Double();
    private DataBounds pressView;
    private boolean dragged;

    /**
     * @param surface the canvas showing the figure (mouse events are read from it)
     * @param frames  the panels' frames in figure units, as now drawn
     * @param setView receives the new shared view; null asks for the default view
     */
    public PlotNavigator(FigureCanvas surface, Supplier<List<PlotFrame>> frames, Consumer<DataBounds> setView) {
        this.surface = Objects.requireNonNull(surface, "surface");
        this.frames = Objects.requireNonNull(frames, "frames");
        this.setView = Objects.requireNonNull(setView, "setView");
        surface.addEventHandler(ScrollEvent.SCROLL, this::scrolled);
        surface.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        surface.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        surface.addEventHandler(MouseEvent.MOUSE_CLICKED, this::clicked);
    }

    /** What a click picks (a particle, a node); nothing unless set. */
    public void setOnPick(PickHandler handler) {
        pick = Objects.requireNonNull(handler, "handler");
    }

    /** Where Shift + drag sends its points; without one, Shift + drag pans like a plain drag. */
    public void setOnSketch(SketchHandler handler) {
        sketch = handler;
    }

    /** The panel under a point in figure units, or null. */
    public PlotFrame frameAt(double x, double y) {
        for (PlotFrame frame : frames.get()) {
            if (frame.area().contains(x, y)) {
                return frame;
            }
        }
        return null;
    }

    /** Zooms the shared view about its middle: factor below 1 zooms in. */
    public void zoom(double factor) {
        List<PlotFrame> all = frames.get();
        if (all.isEmpty()) {
            return;
        }
        DataBounds shown = all.get(0).shown();
        setView.accept(scaled(shown, factor, 0.5 * (shown.xMin() + shown.xMax()), 0.5 * (shown.yMin() + shown.yMax())));
    }

    /** Goes back to the default view. */
    public void reset() {
        setView.accept(null);
    }

    /**
     * Handles + and - (zoom) and 0 (reset) without modifiers, consuming them; other keys are left
     * alone. Returns whether the key was the navigator's.
     */
    public boolean handleKey(KeyEvent e) {
        if (e.isShortcutDown() || e.isControlDown() || e.isAltDown() || e.isMetaDown()) {
            return false;
        }
        KeyCode code = e.getCode();
        if (code == KeyCode.PLUS || code == KeyCode.ADD || code == KeyCode.EQUALS) {
            zoom(1 / ZOOM_STEP);
        } else if (code == KeyCode.MINUS || code == KeyCode.SUBTRACT) {
            zoom(ZOOM_STEP);
        } else if (code == KeyCode.DIGIT0 || code == KeyCode.NUMPAD0) {
            reset();
        } else {
            return false;
        }
        e.consume();
        return true;
    }

    private static DataBounds scaled(DataBounds shown, double factor, double cx, double cy) {
        return new DataBounds(cx + (shown.xMin() - cx) * factor, cx + (shown.xMax() - cx) * factor,
                cy + (shown.yMin() - cy) * factor, cy + (shown.yMax() - cy) * factor);
    }

    private void scrolled(ScrollEvent e) {
        Point2D at = surface.toFigure(e.getX(), e.getY());
        PlotFrame frame = frameAt(at.getX(), at.getY());
        if (frame == null || e.getDeltaY() == 0) {
            return;
        }
        double factor = e.getDeltaY() > 0 ? 1 / ZOOM_STEP : ZOOM_STEP;
        setView.accept(scaled(frame.shown(), factor, frame.dataX(at.getX()), frame.dataY(at.getY())));
        e.consume();
    }

    private boolean sketching(MouseEvent e) {
        return sketch != null && e.isShiftDown();
    }

    private void pressed(MouseEvent e) {
        pressX = e.getX();
        pressY = e.getY();
        pressAt = surface.toFigure(e.getX(), e.getY());
        PlotFrame frame = frameAt(pressAt.getX(), pressAt.getY());
        pressView = frame == null ? null : frame.shown();
        dragged = false;
        if (frame != null && sketching(e)) {
            sketch.sketched(frame.dataX(pressAt.getX()), frame.dataY(pressAt.getY()));
        }
    }

    private void dragged(MouseEvent e) {
        if (Math.hypot(e.getX() - pressX, e.getY() - pressY) > DRAG_SLOP) {
            dragged = true;
        }
        Point2D at = surface.toFigure(e.getX(), e.getY());
        if (sketching(e)) {
            PlotFrame here = frameAt(at.getX(), at.getY());
            if (here != null) {
                sketch.sketched(here.dataX(at.getX()), here.dataY(at.getY()));
            }
            return;
        }
        PlotFrame frame = frameAt(pressAt.getX(), pressAt.getY());
        if (frame == null || pressView == null) {
            return;
        }
        double dx = (at.getX() - pressAt.getX()) / frame.unitsPerDataX();
        double dy = (at.getY() - pressAt.getY()) / frame.unitsPerDataY();
        setView.accept(new DataBounds(pressView.xMin() - dx, pressView.xMax() - dx, pressView.yMin() + dy, pressView.yMax() + dy));
    }

    private void clicked(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY || dragged || sketching(e)) {
            return;
        }
        if (e.getClickCount() == 2) {
            reset();
            return;
        }
        Point2D at = surface.toFigure(e.getX(), e.getY());
        pick.picked(frameAt(at.getX(), at.getY()), at.getX(), at.getY());
    }
}
