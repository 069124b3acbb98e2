package org.flowbench.views.bench;

import javafx.application.Platform;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureExporter;
import org.jfree.fx.FXGraphics2D;

import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where a paint benchmark draws a figure: an ARGB image with the export hints (a PNG export, an
 * animation frame), or a JavaFX canvas through FXGraphics2D, the way the lab's FigureCanvas
 * repaints. One paint is what a frame costs; which thread it runs on is the benchmark's choice.
 */
final class PaintTarget {

    private final int width;
    private final int height;
    private final Rectangle2D area;
    private BufferedImage image;
    private Graphics2D imageGraphics;
    private Canvas canvas;
    private FXGraphics2D canvasGraphics;

    private PaintTarget(int width, int height) {
        this.width = width;
        this.height = height;
        this.area = new Rectangle2D.Double(0, 0, width, height);
    }

    /** An image of {@code width} x {@code height} pixels. */
    static PaintTarget image(int width, int height) {
        PaintTarget target = new PaintTarget(width, height);
        target.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        target.imageGraphics = target.image.createGraphics();
        FigureExporter.applyQualityHints(target.imageGraphics);
        return target;
    }

    /** A canvas of {@code width} x {@code height}, made on the JavaFX thread (started here if it is not running). */
    static PaintTarget canvas(int width, int height) throws Exception {
        startFx();
        PaintTarget target = new PaintTarget(width, height);
        onFx(() -> {
            target.canvas = new Canvas(width, height);
            target.canvasGraphics = new FXGraphics2D(target.canvas.getGraphicsContext2D());
            FigureExporter.applyQualityHints(target.canvasGraphics);
            return null;
        });
        return target;
    }

    /**
     * Paints {@code figure} over the whole target from a clean transform and clip (the canvas
     * cleared first, as FigureCanvas repaints), on the calling thread; returns what it drew on.
     */
    Object paint(Figure figure) {
        if (image != null) {
            imageGraphics.setTransform(new AffineTransform());
            imageGraphics.setClip(null);
            figure.paint(imageGraphics, area);
            return image;
        }
        GraphicsContext context = canvas.getGraphicsContext2D();
        context.clearRect(0, 0, width, height);
        context.save();
        canvasGraphics.setTransform(new AffineTransform());
        canvasGraphics.setClip(null);
        figure.paint(canvasGraphics, area);
        context.restore();
        return canvas;
    }

    /** The canvas, or null for an image target. */
    Canvas canvas() {
        return canvas;
    }

    /** Releases the image's graphics. */
    void close() {
        if (imageGraphics != null) {
            imageGraphics.dispose();
        }
    }

    /** Starts the JavaFX platform, or goes on when it already runs. */
    static void startFx() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        try {
            Platform.startup(started::countDown);
        } catch (IllegalStateException alreadyRunning) {
            started.countDown();
        }
        started.await();
    }

    /** Runs {@code work} on the JavaFX thread and waits up to a minute for its result. */
    static <V> V onFx(Callable<V> work) throws Exception {
        CompletableFuture<V> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                done.complete(work.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done.get(60, TimeUnit.SECONDS);
    }
}
