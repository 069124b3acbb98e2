package org.flowbench.app.cli;

import org.flowbench.compute.io.OutputFileException;
import org.flowbench.compute.io.OutputFiles;
import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCatalog;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureTheme;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code flowbench export}: renders any lab's figure headless, with the same paint routine as the
 * window. The figure's own parameters come as {@code --set key=value}; this command knows no lab.
 */
@Command(name = "export",
        description = "Render a named figure of any lab to PNG, SVG or PDF without opening a window.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class ExportCommand implements Callable<Integer> {

    private final FigureCatalog catalog;

    /** @param catalog the figures of every lab in the lab list */
    public ExportCommand(FigureCatalog catalog) {
        this.catalog = catalog;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--list", description = "List the figures with their --set keys and defaults, then exit.")
    boolean list;

    @Option(names = "--figure", paramLabel = "NAME", description = "Figure to render (see --list).")
    String figure;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A parameter of the figure (repeatable; export --list shows each figure's keys and defaults).")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--format", paramLabel = "png|svg|pdf", description = "Output format (default: from the file name).")
    String format;

    @Option(names = "--width", paramLabel = "W", description = "Width in points/pixels (default: the figure's own).")
    Integer width;

    @Option(names = "--height", paramLabel = "H", description = "Height in points/pixels (default: the figure's own).")
    Integer height;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "1", description = "PNG pixel scale: 1, 2 or 4 (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random draw (the same as --set seed=N; default 7).")
    Long seed;

    @Option(names = "--theme", paramLabel = "light|dark", defaultValue = "light", description = "Figure theme (default: ${DEFAULT-VALUE}).")
    String theme;

    @Option(names = "--out", paramLabel = "FILE", description = "File to write.")
    Path out;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (list) {
            for (FigureSpec figureSpec : catalog.specs()) {
                stdout.printf(Locale.ROOT, "%s  (%d x %d)%n    %s%n", figureSpec.name(), figureSpec.width(), figureSpec.height(),
                        figureSpec.description());
                for (FigureSpec.Parameter p : figureSpec.parameters()) {
                    stdout.printf(Locale.ROOT, "    --set %-26s %s%n", p.key() + "=" + p.defaultValue(), p.description());
                }
            }
            stdout.flush();
            return 0;
        }
        if (figure == null) {
            throw bad("--figure is required (see export --list)");
        }
        if (out == null) {
            throw bad("--out is required");
        }
        FigureSpec figureSpec;
        Map<String, String> values = new LinkedHashMap<>(set);
        if (seed != null) {
            values.put(FigureSpec.SEED.key(), Long.toString(seed));
        }
        FigureTheme figureTheme;
        ExportFormat exportFormat;
        int w;
        int h;
        try {
            figureSpec = catalog.spec(figure);
            figureSpec.values(values).seed();
            figureTheme = FigureTheme.fromName(theme);
            w = width != null ? width : figureSpec.width();
            h = height != null ? height : figureSpec.height();
            if (w <= 0 || h <= 0) {
                throw new IllegalArgumentException("--width and --height must be positive (got " + w + " x " + h + ")");
            }
            exportFormat = format != null ? ExportFormat.fromName(format) : ExportFormat.fromFile(out);
            FigureExporter.validate(exportFormat, w, h, scale);
            String name = out.getFileName().toString();
            if (format != null && name.contains(".") && !exportFormat.matches(out)) {
                throw new IllegalArgumentException("--format " + format + " does not match the file name " + name
                        + " (name it ." + exportFormat.extension() + ", or leave --format out)");
            }
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        checkWritable(values);
        stderr.printf(Locale.ROOT, "rendering %s (%d x %d)...%n", figure, w, h);
        stderr.flush();
        Figure rendered = figureSpec.create(values, figureTheme);
        FigureExporter.export(rendered, exportFormat, w, h, scale, out);
        stderr.printf("wrote %s%n", out);
        stdout.println(out.toAbsolutePath());
        stdout.flush();
        return 0;
    }

    /**
     * Refuses a folder, a missing folder, an existing file without --force, and any file the
     * figure reads: a --set value naming an existing file is an input of this run.
     */
    private void checkWritable(Map<String, String> values) {
        List<Path> inputs = new ArrayList<>();
        for (String value : values.values()) {
            for (String part : value.split(",")) {
                try {
                    Path p = Path.of(part.strip());
                    if (!part.isBlank() && Files.isRegularFile(p)) {
                        inputs.add(p);
                    }
                } catch (InvalidPathException notAPath) {
                    // a value that is no path names no input
                }
            }
        }
        try {
            OutputFiles.checkWritable(out, force, inputs);
        } catch (OutputFileException e) {
            throw bad(e.getMessage());
        }
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
