package org.flowbench.views.figure;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * An animation written as files: each frame a figure drawn by the same paint routine as the
 * screen, saved as {@code frame-0001.png}, {@code frame-0002.png}, ... and all of them as one GIF
 * that loops forever (the JDK's ImageIO GIF writer). Exports go into a folder of their own
 * ({@link #freshFolder}), so they never overwrite or mix into an earlier export.
 */
public final class FigureAnimation {

    /** Told before each frame is drawn; a job reports progress here and throws to stop. */
    @FunctionalInterface
    public interface FrameListener {
        void beforeFrame(int frame, int frames);
    }

    private FigureAnimation() {
    }

    /**
     * Draws {@code frames} frames ({@code frame.apply(k)} for k = 0..frames-1) at {@code width} x
     * {@code height} into {@code folder} as numbered PNGs and {@code gifName}, each GIF frame shown
     * for {@code delayMs} (GIF counts in hundredths of a second). Returns the GIF's path.
     */
    public static Path write(int frames, IntFunction<Figure> frame, Path folder, String gifName, int width, int height,
                             int delayMs, FrameListener listener) throws IOException {
        if (frames < 1) {
            throw new IllegalArgumentException("an animation needs at least one frame (got " + frames + ")");
        }
        if (delayMs < 10 || delayMs > 60_000) {
            throw new IllegalArgumentException("frame delay must be between 10 ms and 60 s (got " + delayMs + " ms)");
        }
        FigureExporter.validate(ExportFormat.PNG, width, height, 1.0);
        Path gif = folder.resolve(gifName);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(gif))) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int k = 0; k < frames; k++) {
                listener.beforeFrame(k, frames);
                BufferedImage image = FigureExporter.renderImage(frame.apply(k), width, height, 1.0);
                ImageIO.write(image, "png", folder.resolve(String.format(Locale.ROOT, "frame-%04d.png", k + 1)).toFile());
                // the GIF writer quantises an opaque RGB image to its palette
                BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                rgb.getGraphics().drawImage(image, 0, 0, null);
                writer.writeToSequence(new IIOImage(rgb, null, frameMetadata(writer, rgb, delayMs, k == 0)), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return gif;
    }

    /** A frame's delay, and on the first frame the NETSCAPE extension that makes viewers loop forever. */
    private static IIOMetadata frameMetadata(ImageWriter writer, BufferedImage image, int delayMs, boolean first) throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
        String format = metadata.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(Math.max(1, delayMs / 10)));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[] {1, 0, 0}); // loop count 0: forever
            child(root, "ApplicationExtensions").appendChild(loop);
        }
        metadata.setFromTree(format, root);
        return metadata;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    /** A new, empty folder {@code name} inside {@code parent} ({@code name-2}, ... when taken). */
    public static Path freshFolder(Path parent, String name) throws IOException {
        if (!Files.isDirectory(parent)) {
            throw new IOException(parent + " is not a folder");
        }
        for (int k = 1; k < 10_000; k++) {
            try {
                return Files.createDirectory(parent.resolve(k == 1 ? name : name + "-" + k));
            } catch (FileAlreadyExistsException taken) {
                // the next number
            }
        }
        throw new IOException(parent + " already holds 10,000 folders named " + name + "-N");
    }
}
