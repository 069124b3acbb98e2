package org.flowbench.views.figure;

import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a {@link Figure} to PNG, SVG or PDF through its one paint routine.
 *
 * <p>Every format sees the same logical canvas of {@code width x height} units: the PNG has
 * {@code width*scale x height*scale} pixels (and says 72*scale dots per inch, so its printed size
 * does not depend on the scale), the SVG is {@code width x height} px with a matching view box,
 * and the PDF page is {@code width x height} points. Files are written to a temporary file in the
 * target's folder and then moved over the target, so a failed or cancelled export never leaves a
 * half-written file behind.
 */
public final class FigureExporter {

    /** The scales a PNG may be rendered at. */
    public static final List<Double> SCALES = List.of(1.0, 2.0, 4.0);

    /** Largest logical width or height accepted. */
    public static final int MAX_SIDE = 10_000;

    /** Largest number of pixels a PNG may have (a 4x render of 2000 x 2000 fits; 256 MB of memory). */
    public static final long MAX_PIXELS = 64_000_000L;

    private static final String SOFTWARE = "Flowbench";

    private FigureExporter() {
    }

    /**
     * Paints {@code figure} into {@code out} in the given format.
     *
     * @param width  logical width (PNG pixels at scale 1, SVG px, PDF points), 1 to {@value #MAX_SIDE}
     * @param height logical height, 1 to {@value #MAX_SIDE}
     * @param scale  1, 2 or 4; multiplies the PNG's pixel size, does not change the vector formats
     * @throws IllegalArgumentException for a bad size or scale, with a one-line message
     * @throws IOException              when the file cannot be written, with a one-line message
     */
    public static void export(Figure figure, ExportFormat format, int width, int height, double scale, Path out)
            throws IOException {
        if (figure == null || format == null || out == null) {
            throw new IllegalArgumentException("export needs a figure, a format and a file");
        }
        validate(format, width, height, scale);
        Path target = checkWritable(out);
        byte[] bytes = switch (format) {
            case PNG -> toPng(figure, width, height, scale);
            case SVG -> toSvg(figure, width, height).getBytes(StandardCharsets.UTF_8);
            case PDF -> toPdf(figure, width, height);
        };
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("export of " + target.getFileName() + " cancelled");
        }
        writeAtomically(target, bytes);
    }

    /**
     * Checks a size and scale for {@code format}.
     *
     * @throws IllegalArgumentException naming the first problem in one line
     */
    public static void validate(ExportFormat format, int width, int height, double scale) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("figure size must be positive, got " + width + " x " + height);
        }
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("figure size must be at most " + MAX_SIDE + " x " + MAX_SIDE
                    + ", got " + width + " x " + height);
        }
        if (!SCALES.contains(scale)) {
            throw new IllegalArgumentException("scale must be 1, 2 or 4, got " + formatScale(scale));
        }
        if (format == ExportFormat.PNG) {
            long pixels = Math.round(width * scale) * Math.round(height * scale);
            if (pixels > MAX_PIXELS) {
                throw new IllegalArgumentException("PNG of " + Math.round(width * scale) + " x "
                        + Math.round(height * scale) + " pixels is too large (at most "
                        + MAX_PIXELS / 1_000_000 + " million pixels); lower the size or the scale");
            }
        }
    }

    /** A scale as the user typed it: "2" rather than "2.0". */
    public static String formatScale(double scale) {
        if (scale == Math.rint(scale) && Math.abs(scale) < 1e9) {
            return Long.toString((long) scale);
        }
        return Double.toString(scale);
    }

    /**
     * Renders {@code figure} into a new ARGB image of {@code width*scale x height*scale} pixels,
     * antialiased. Pixels the figure does not paint stay transparent.
     */
    public static BufferedImage renderImage(Figure figure, int width, int height, double scale) {
        validate(ExportFormat.PNG, width, height, scale);
        BufferedImage image = new BufferedImage((int) Math.round(width * scale), (int) Math.round(height * scale),
                BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            applyQualityHints(g);
            g.scale(scale, scale);
            figure.paint(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The figure as a PNG file's bytes, with its title and resolution recorded in the file. */
    public static byte[] toPng(Figure figure, int width, int height, double scale) throws IOException {
        BufferedImage image = renderImage(figure, width, height, scale);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("this Java runtime has no PNG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            metadata.mergeTree("javax_imageio_png_1.0", pngMetadata(figure.title(), scale));
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The figure as a standalone SVG document of {@code width x height} px. */
    public static String toSvg(Figure figure, int width, int height) {
        validate(ExportFormat.SVG, width, height, 1.0);
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        // A fixed prefix for clip-path ids and short coordinates keep the file reproducible and small.
        g.setDefsKeyPrefix("flowbench-");
        g.setGeomDoubleConverter(FigureExporter::svgNumber);
        applyQualityHints(g);
        figure.paint(g, new Rectangle2D.Double(0, 0, width, height));
        String element = g.getSVGElement(null, true, new ViewBox(0, 0, width, height), null, null);
        int tagEnd = element.indexOf('>') + 1;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + element.substring(0, tagEnd)
                + "<title>" + escapeXml(figure.title()) + "</title>"
                + element.substring(tagEnd) + "\n";
    }

    /** The figure as a one-page PDF of {@code width x height} points; text is drawn as outlines. */
    public static byte[] toPdf(Figure figure, int width, int height) throws IOException {
        validate(ExportFormat.PDF, width, height, 1.0);
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle(width, height));
            document.addPage(page);
            PdfBoxGraphics2D g = new PdfBoxGraphics2D(document, width, height);
            try {
                applyQualityHints(g);
                figure.paint(g, new Rectangle2D.Double(0, 0, width, height));
            } finally {
                g.dispose();
            }
            PDFormXObject form = g.getXFormObject();
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.drawForm(form);
            }
            document.getDocumentInformation().setTitle(figure.title());
            document.getDocumentInformation().setCreator(SOFTWARE);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            document.save(bytes);
            return bytes.toByteArray();
        }
    }

    /** A coordinate with at most three decimals (a thousandth of a logical unit) and no trailing zeros. */
    static String svgNumber(double value) {
        if (!Double.isFinite(value)) {
            return "0";
        }
        String text = BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return text.equals("-0") ? "0" : text;
    }

    /** The rendering hints every export uses, so that all formats draw the same geometry. */
    public static void applyQualityHints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }

    /**
     * Resolves {@code out} and checks that a file can be created there.
     *
     * @throws IOException saying in one line why not
     */
    static Path checkWritable(Path out) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        Path folder = target.getParent();
        if (folder == null || target.getFileName() == null) {
            throw new IOException("cannot write " + target + ": not a file name");
        }
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write " + target + ": it is a folder");
        }
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IOException("cannot write " + target + ": " + folder + " is not a folder");
        }
        if (!Files.isDirectory(folder)) {
            throw new IOException("cannot write " + target + ": folder " + folder + " does not exist");
        }
        if (!Files.isWritable(folder)) {
            throw new IOException("cannot write " + target + ": folder " + folder + " is not writable");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw new IOException("cannot write " + target + ": the file is read-only");
        }
        return target;
    }

    /** Writes {@code bytes} to a temporary file next to {@code target}, then moves it over {@code target}. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        // A plain new file (not Files.createTempFile, which is private to the owner) so the
        // export gets the same permissions as any file the user creates.
        Path temp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".part");
        boolean moved = false;
        try {
            try (OutputStream stream = new BufferedOutputStream(
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                stream.write(bytes);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + reason(e), e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    private static IIOMetadataNode pngMetadata(String title, double scale) {
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        IIOMetadataNode physical = new IIOMetadataNode("pHYs");
        String pixelsPerMetre = Long.toString(Math.round(72.0 * scale / 0.0254));
        physical.setAttribute("pixelsPerUnitXAxis", pixelsPerMetre);
        physical.setAttribute("pixelsPerUnitYAxis", pixelsPerMetre);
        physical.setAttribute("unitSpecifier", "meter");
        root.appendChild(physical);
        IIOMetadataNode text = new IIOMetadataNode("tEXt");
        text.appendChild(textEntry("Title", title));
        text.appendChild(textEntry("Software", SOFTWARE));
        root.appendChild(text);
        return root;
    }

    private static IIOMetadataNode textEntry(String keyword, String value) {
        IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
        entry.setAttribute("keyword", keyword);
        // tEXt holds Latin-1 only; anything else becomes '?'.
        entry.setAttribute("value", new String((value == null ? "" : value).getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.ISO_8859_1));
        return entry;
    }

    private static String escapeXml(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
