package org.flowbench.views.figure;

import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;

import java.awt.geom.Rectangle2D;
import java.util.function.IntPredicate;

/** Bounding boxes of the pixels of a snapshot that match a test on their ARGB value. */
final class PixelBounds {

    private PixelBounds() {
    }

    /** The smallest box holding every pixel whose ARGB value passes {@code hit}, or null when none does. */
    static Rectangle2D of(Image image, IntPredicate hit) {
        PixelReader reader = image.getPixelReader();
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (hit.test(reader.getArgb(x, y))) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? null : new Rectangle2D.Double(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }
}
