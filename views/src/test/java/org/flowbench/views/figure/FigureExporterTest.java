package org.flowbench.views.figure;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.PDContentStream;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FigureExporterTest {

    private static final int W = 480;
    private static final int H = 360;

    @TempDir
    Path dir;

    private final float[] points = TestFigures.separatedPoints(60, 0.9, 11);
    private final ScatterFigure dots = TestFigures.separatedDots(points, FigureTheme.LIGHT);

    @ParameterizedTest
    @ValueSource(doubles = {1, 2, 4})
    void pngHasTheRequestedPixelSizeAndIsNotOneColour(double scale) throws IOException {
        Path out = dir.resolve("dots.png");
        FigureExporter.export(dots, ExportFormat.PNG, W, H, scale, out);

        BufferedImage image = ImageIO.read(out.toFile());
        assertThat(image.getWidth()).isEqualTo((int) (W * scale));
        assertThat(image.getHeight()).isEqualTo((int) (H * scale));
        assertThat(distinctColours(image)).isGreaterThan(10);
    }

    @Test
    void svgParsesAsXmlAndHasDrawingElementsOfTheLogicalSize() throws Exception {
        Path out = dir.resolve("dots.svg");
        FigureExporter.export(dots, ExportFormat.SVG, W, H, 1, out);

        Document svg = parseXml(out);
        Element root = svg.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(Double.parseDouble(root.getAttribute("width"))).isEqualTo(W);
        assertThat(Double.parseDouble(root.getAttribute("height"))).isEqualTo(H);
        assertThat(svg.getElementsByTagName("rect").getLength()).isPositive();
        assertThat(svg.getElementsByTagName("line").getLength()).isPositive();
        assertThat(svg.getElementsByTagName("text").getLength()).isPositive();
        assertThat(svg.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("Separated dots");
    }

    @Test
    void pdfOpensWithOnePageOfTheLogicalSizeAndDrawingOperators() throws IOException {
        Path out = dir.resolve("dots.pdf");
        FigureExporter.export(dots, ExportFormat.PDF, W, H, 1, out);

        try (PDDocument pdf = Loader.loadPDF(out.toFile())) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(1);
            PDPage page = pdf.getPage(0);
            assertThat(page.getMediaBox().getWidth()).isEqualTo(W);
            assertThat(page.getMediaBox().getHeight()).isEqualTo(H);
            Map<String, Integer> operators = new HashMap<>();
            countOperators(page, page.getResources(), operators, new HashSet<>());
            // Fills (f), strokes (S), path construction (m, l) and Bezier curves (c) of the dots.
            assertThat(operators).containsKeys("f", "S", "m", "l", "c");
            assertThat(operators.get("c")).isGreaterThanOrEqualTo(4 * 60);
            assertThat(pdf.getDocumentInformation().getTitle()).isEqualTo("Separated dots");
        }
    }

    @Test
    void svgAndPngShowTheSameNumberOfPoints() throws Exception {
        float[] withGap = points.clone();
        withGap[2 * 7] = Float.NaN; // a diverged sample is not drawn in either format
        ScatterFigure figure = TestFigures.separatedDots(withGap, FigureTheme.DARK);
        Path svgFile = dir.resolve("count.svg");
        Path pngFile = dir.resolve("count.png");
        FigureExporter.export(figure, ExportFormat.SVG, W, H, 1, svgFile);
        FigureExporter.export(figure, ExportFormat.PNG, W, H, 2, pngFile);

        int inSvg = countSvgPoints(parseXml(svgFile));
        int inPng = countBlobs(ImageIO.read(pngFile.toFile()), TestFigures.DOT_COLOUR, FigureTheme.DARK.panel().getRGB());

        assertThat(inSvg).isEqualTo(59);
        assertThat(inPng).isEqualTo(inSvg);
    }

    @Test
    void vectorExportsAreReproducible() throws IOException {
        Path a = dir.resolve("a.svg");
        Path b = dir.resolve("b.svg");
        FigureExporter.export(dots, ExportFormat.SVG, W, H, 1, a);
        FigureExporter.export(dots, ExportFormat.SVG, W, H, 1, b);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void badSizesAndScalesGiveOneLineErrors() {
        Path out = dir.resolve("x.png");
        assertThatThrownBy(() -> FigureExporter.export(dots, ExportFormat.PNG, 0, 300, 1, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("figure size must be positive, got 0 x 300");
        assertThatThrownBy(() -> FigureExporter.export(dots, ExportFormat.SVG, 400, -2, 1, out))
                .hasMessage("figure size must be positive, got 400 x -2");
        assertThatThrownBy(() -> FigureExporter.export(dots, ExportFormat.PDF, 20_000, 300, 1, out))
                .hasMessage("figure size must be at most 10000 x 10000, got 20000 x 300");
        assertThatThrownBy(() -> FigureExporter.export(dots, ExportFormat.PNG, 400, 300, 3, out))
                .hasMessage("scale must be 1, 2 or 4, got 3");
        assertThatThrownBy(() -> FigureExporter.export(dots, ExportFormat.PNG, 400, 300, Double.NaN, out))
                .hasMessage("scale must be 1, 2 or 4, got NaN");
        assertThatThrownBy(() -> FigureExporter.export(dots, ExportFormat.PNG, 5000, 5000, 4, out))
                .hasMessage("PNG of 20000 x 20000 pixels is too large (at most 64 million pixels); lower the size or the scale");
        assertThat(out).doesNotExist();
    }

    @Test
    void unwritablePathsGiveOneLineErrors() throws IOException {
        Path missingFolder = dir.resolve("no-such-folder").resolve("x.svg");
        assertThatThrownBy(() -> FigureExporter.export(dots, ExportFormat.SVG, W, H, 1, missingFolder))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot write " + missingFolder + ": folder " + missingFolder.getParent() + " does not exist");

        Path folder = Files.createDirectory(dir.resolve("taken.png"));
        assertThatThrownBy(() -> FigureExporter.export(dots, ExportFormat.PNG, W, H, 1, folder))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot write " + folder + ": it is a folder");

        Path plainFile = Files.writeString(dir.resolve("notes.txt"), "not a folder");
        Path underFile = plainFile.resolve("x.pdf");
        assertThatThrownBy(() -> FigureExporter.export(dots, ExportFormat.PDF, W, H, 1, underFile))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot write " + underFile + ": " + plainFile + " is not a folder");
    }

    @Test
    void aFailedExportLeavesTheOldFileAndNoTemporaryFiles() throws IOException {
        Path out = Files.writeString(dir.resolve("keep.svg"), "previous export");
        Figure broken = new Figure() {
            @Override
            public void paint(Graphics2D g, Rectangle2D area) {
                throw new IllegalStateException("figure data missing");
            }

            @Override
            public String title() {
                return "broken";
            }
        };
        assertThatThrownBy(() -> FigureExporter.export(broken, ExportFormat.SVG, W, H, 1, out))
                .hasMessage("figure data missing");
        assertThat(Files.readString(out)).isEqualTo("previous export");

        FigureExporter.export(dots, ExportFormat.SVG, W, H, 1, out);
        assertThat(Files.readString(out)).startsWith("<?xml");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("keep.svg");
        }
    }

    @Test
    void svgNumbersAreShortAndExact() {
        assertThat(FigureExporter.svgNumber(12.0)).isEqualTo("12");
        assertThat(FigureExporter.svgNumber(47.420562744)).isEqualTo("47.421");
        assertThat(FigureExporter.svgNumber(-0.0001)).isEqualTo("0");
        assertThat(FigureExporter.svgNumber(-3.25)).isEqualTo("-3.25");
    }

    static Document parseXml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        try (var in = Files.newInputStream(file)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    /** Number of drawing elements inside the SVG's point groups. */
    static int countSvgPoints(Document svg) {
        NodeList groups = svg.getElementsByTagName("g");
        int count = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            Element group = (Element) groups.item(i);
            if (PlotFrame.POINTS_CLASS.equals(group.getAttribute("class"))) {
                NodeList children = group.getChildNodes();
                for (int j = 0; j < children.getLength(); j++) {
                    if (children.item(j) instanceof Element element
                            && Set.of("ellipse", "circle", "rect", "path").contains(element.getTagName())) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /**
     * Number of 4-connected blobs of dot pixels. Antialiased dot edges are mixtures
     * a dot + (1 - a) background; a pixel is a dot pixel when it lies near that mixing line
     * with a > 1/2. Text, axes and grid are far from the line or on the background's side.
     */
    static int countBlobs(BufferedImage image, int dot, int background) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean[] isDot = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                isDot[y * w + x] = isMostlyDot(rgb, dot, background);
            }
        }
        boolean[] seen = new boolean[w * h];
        int blobs = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < w * h; start++) {
            if (!isDot[start] || seen[start]) {
                continue;
            }
            blobs++;
            seen[start] = true;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                int px = p % w;
                int py = p / w;
                int[] neighbours = {px > 0 ? p - 1 : -1, px < w - 1 ? p + 1 : -1, py > 0 ? p - w : -1, py < h - 1 ? p + w : -1};
                for (int q : neighbours) {
                    if (q >= 0 && isDot[q] && !seen[q]) {
                        seen[q] = true;
                        queue.add(q);
                    }
                }
            }
        }
        return blobs;
    }

    private static boolean isMostlyDot(int rgb, int dot, int background) {
        double[] p = channels(rgb);
        double[] d = channels(dot);
        double[] b = channels(background);
        double along = 0;
        double length2 = 0;
        for (int c = 0; c < 3; c++) {
            along += (p[c] - b[c]) * (d[c] - b[c]);
            length2 += (d[c] - b[c]) * (d[c] - b[c]);
        }
        double a = along / length2;
        double residual2 = 0;
        for (int c = 0; c < 3; c++) {
            double off = p[c] - (b[c] + a * (d[c] - b[c]));
            residual2 += off * off;
        }
        return a > 0.5 && residual2 < 40 * 40;
    }

    private static double[] channels(int rgb) {
        return new double[] {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static void countOperators(PDContentStream stream, PDResources resources, Map<String, Integer> counts,
                                       Set<COSName> visited) throws IOException {
        for (Object token : new PDFStreamParser(stream).parse()) {
            if (token instanceof Operator operator) {
                counts.merge(operator.getName(), 1, Integer::sum);
            }
        }
        if (resources == null) {
            return;
        }
        for (COSName name : resources.getXObjectNames()) {
            if (visited.add(name)) {
                PDXObject xObject = resources.getXObject(name);
                if (xObject instanceof PDFormXObject form) {
                    countOperators(form, form.getResources(), counts, visited);
                }
            }
        }
    }
}
