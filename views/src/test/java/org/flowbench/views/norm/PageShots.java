package org.flowbench.views.norm;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Snapshots of a page for looking at it: written only when the system property
 * {@code flowbench.shots} names a folder (e.g. {@code -Dflowbench.shots=/tmp/shots}).
 */
final class PageShots {

    private PageShots() {
    }

    /** Saves {@code node} as {@code name}.png in the shots folder, if one is set; call on the FX thread. */
    static void save(Node node, String name) throws IOException {
        String folder = System.getProperty("flowbench.shots");
        if (folder == null || folder.isBlank()) {
            return;
        }
        Path dir = Path.of(folder);
        Files.createDirectories(dir);
        WritableImage image = node.snapshot(null, null);
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", dir.resolve(name + ".png").toFile());
    }
}
