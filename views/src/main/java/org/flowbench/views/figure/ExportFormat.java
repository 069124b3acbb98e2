package org.flowbench.views.figure;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The file formats a figure exports to: a raster image and two vector formats. */
public enum ExportFormat {
    /** Portable Network Graphics, rendered at 1x, 2x or 4x the logical size. */
    PNG("png", "PNG image", false),
    /** Scalable Vector Graphics, one element per drawn shape. */
    SVG("svg", "SVG vector drawing", true),
    /** Portable Document Format, one page of the figure's logical size in points. */
    PDF("pdf", "PDF document", true);

    private final String extension;
    private final String description;
    private final boolean vector;

    ExportFormat(String extension, String description, boolean vector) {
        this.extension = extension;
        this.description = description;
        this.vector = vector;
    }

    /** The file name extension without the dot, lower case ("png"). */
    public String extension() {
        return extension;
    }

    /** A few words for file choosers and help texts ("PNG image"). */
    public String description() {
        return description;
    }

    /** True for SVG and PDF, whose size does not depend on the scale. */
    public boolean isVector() {
        return vector;
    }

    /** True when {@code file}'s name ends with this format's extension, ignoring case. */
    public boolean matches(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith("." + extension);
    }

    /** {@code file} itself when its name already ends with this format's extension, else the name plus the extension. */
    public Path withExtension(Path file) {
        return matches(file) ? file : file.resolveSibling(file.getFileName() + "." + extension);
    }

    /**
     * The format with this name or extension, ignoring case and a leading dot ("png", ".SVG", "Pdf").
     *
     * @throws IllegalArgumentException naming the known formats when there is none
     */
    public static ExportFormat fromName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (key.startsWith(".")) {
            key = key.substring(1);
        }
        for (ExportFormat format : values()) {
            if (format.extension.equals(key)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown export format '" + name + "' (known: " + knownNames() + ")");
    }

    /**
     * The format a file name asks for through its extension.
     *
     * @throws IllegalArgumentException when the name has no known extension
     */
    public static ExportFormat fromFile(Path file) {
        Path name = file == null ? null : file.getFileName();
        if (name != null) {
            for (ExportFormat format : values()) {
                if (format.matches(name)) {
                    return format;
                }
            }
        }
        throw new IllegalArgumentException("cannot tell the export format from the file name '" + name
                + "' (use one of the extensions " + knownNames() + ")");
    }

    private static String knownNames() {
        return Arrays.stream(values()).map(ExportFormat::extension).collect(Collectors.joining(", "));
    }
}
