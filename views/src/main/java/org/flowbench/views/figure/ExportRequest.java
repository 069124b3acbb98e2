package org.flowbench.views.figure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the user asked to export: the format, the logical size, the PNG scale and the file.
 * Valid by construction; {@link #writeFigure} runs the export (call it from a background job).
 *
 * @param format PNG, SVG or PDF
 * @param width  logical width, 1 to {@value FigureExporter#MAX_SIDE}
 * @param height logical height, 1 to {@value FigureExporter#MAX_SIDE}
 * @param scale  1, 2 or 4 (PNG pixels per logical unit; vector formats ignore it)
 * @param file   the file to write
 */
public record ExportRequest(ExportFormat format, int width, int height, double scale, Path file) {

    public ExportRequest {
        if (format == null || file == null) {
            throw new IllegalArgumentException("an export needs a format and a file");
        }
        FigureExporter.validate(format, width, height, scale);
    }

    /**
     * A first suggestion for the export dialog: PNG at 2x of the given size, in {@code folder},
     * named after {@code title} ("Probability path N(0, I)" becomes "probability-path-n-0-i.png").
     */
    public static ExportRequest suggest(Path folder, String title, int width, int height) {
        String base = title == null ? "" : title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (base.isEmpty()) {
            base = "figure";
        }
        return new ExportRequest(ExportFormat.PNG, width, height, 2.0, folder.resolve(base + ".png"));
    }

    /** Writes {@code figure} as requested. */
    public void writeFigure(Figure figure) throws IOException {
        FigureExporter.export(figure, format, width, height, scale, file);
    }

    /** Pixel size for PNG ("3000 x 800 pixels"), logical size for vector formats ("1500 x 400 px"). */
    public String sizeDescription() {
        return describeSize(format, width, height, scale);
    }

    static String describeSize(ExportFormat format, int width, int height, double scale) {
        return switch (format) {
            case PNG -> Math.round(width * scale) + " x " + Math.round(height * scale) + " pixels";
            case SVG -> width + " x " + height + " px";
            case PDF -> width + " x " + height + " pt";
        };
    }
}
