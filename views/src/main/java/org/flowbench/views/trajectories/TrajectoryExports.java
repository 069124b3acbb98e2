package org.flowbench.views.trajectories;

import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.jobs.JobContext;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the lab writes besides single figures: the animation as numbered PNG frames and as a
 * looping GIF (javax.imageio's GIF writer), and the samples, traced trajectories and metrics as CSV.
 */
public final class TrajectoryExports {

    public static final int MAX_FRAMES = 600;

    private TrajectoryExports() {
    }

    /**
     * Renders {@code frames} frames from t = 0 to t = 1 into {@code folder}: frame-0001.png ... and
     * trajectories.gif looping forever at {@code delayMs} per frame.
     */
    public static Path animation(TrajectoriesFigure figure, Path folder, int frames, int width, int height, int delayMs,
                                 JobContext ctx) throws IOException {
        if (frames < 2 || frames > MAX_FRAMES) {
            throw new IllegalArgumentException("frames must be between 2 and " + MAX_FRAMES + " (got " + frames + ")");
        }
        FigureExporter.validate(org.flowbench.views.figure.ExportFormat.PNG, width, height, 1.0);
        Files.createDirectories(folder);
        Path gif = folder.resolve("trajectories.gif");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(gif))) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int f = 0; f < frames; f++) {
                ctx.checkCancelled();
                ctx.progress(f, frames);
                BufferedImage image = FigureExporter.renderImage(figure.at(f / (double) (frames - 1)), width, height, 1.0);
                ImageIO.write(image, "png", folder.resolve(String.format(Locale.ROOT, "frame-%04d.png", f + 1)).toFile());
                BufferedImage indexed = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                indexed.getGraphics().drawImage(image, 0, 0, null);
                writer.writeToSequence(new IIOImage(indexed, null, gifMetadata(writer, indexed, delayMs, f == 0)), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return gif;
    }

    private static IIOMetadata gifMetadata(ImageWriter writer, BufferedImage image, int delayMs, boolean first)
            throws IOException {
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
            IIOMetadataNode extensions = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[] {1, 0, 0}); // loop count 0: forever
            extensions.appendChild(loop);
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

    /** samples.csv (final states), trajectories.csv (traced paths at every grid time), metrics.csv. */
    public static void csv(TrajectoriesFigure figure, Path folder) throws IOException {
        Files.createDirectories(folder);
        try (Writer w = Files.newBufferedWriter(folder.resolve("samples.csv"), StandardCharsets.UTF_8)) {
            w.write("model,particle,x0,y0,x1,y1\n");
            for (FlowRun run : figure.runs()) {
                int last = run.steps();
                for (int i = 0; i < run.n(); i++) {
                    w.write(String.format(Locale.ROOT, "%s,%d,%.7g,%.7g,%.7g,%.7g%n", quote(run.label()), i,
                            run.x(0, i), run.y(0, i), run.x(last, i), run.y(last, i)));
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(folder.resolve("trajectories.csv"), StandardCharsets.UTF_8)) {
            w.write("model,particle,step,t,nfe,x,y\n");
            for (FlowRun run : figure.runs()) {
                for (int i = 0; i < run.traced(); i++) {
                    for (int k = 0; k <= run.steps(); k++) {
                        w.write(String.format(Locale.ROOT, "%s,%d,%d,%.9g,%d,%.7g,%.7g%n", quote(run.label()), i, k,
                                run.times()[k], run.nfe()[k], run.x(k, i), run.y(k, i)));
                    }
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(folder.resolve("metrics.csv"), StandardCharsets.UTF_8)) {
            w.write("model,solver,schedule,steps,nfe,particles,straightness\n");
            for (FlowRun run : figure.runs()) {
                w.write(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%.9g%n", quote(run.label()), quote(run.solver()),
                        run.schedule(), run.steps(), run.totalNfe(), run.n(), run.straightness()));
            }
        }
    }

    /**
     * A new, empty folder {@code name} inside {@code parent} ({@code name-2}, {@code name-3}, ...
     * when taken), so an export with many files never mixes them into the user's folder or
     * over an earlier export.
     */
    public static Path freshFolder(Path parent, String name) throws IOException {
        if (!Files.isDirectory(parent)) {
            throw new IOException(parent + " is not a folder");
        }
        for (int k = 1; k < 10_000; k++) {
            Path candidate = parent.resolve(k == 1 ? name : name + "-" + k);
            try {
                return Files.createDirectory(candidate);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // try the next number
            }
        }
        throw new IOException(parent + " already holds 10,000 folders named " + name + "-N");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
