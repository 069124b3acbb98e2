package org.flowbench.app.cli;

import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.trajectories.SampleModels;
import org.flowbench.views.trajectories.SamplingSettings;
import org.flowbench.views.trajectories.TrajectoriesExport;
import java.util.List;

import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCatalog;
import org.flowbench.views.figure.FigureExporter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code flowbench export}: renders a named figure headless, with the same paint routine as the window. */
@Command(name = "export",
        description = "Render a named figure to PNG, SVG or PDF without opening a window.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--list", description = "List the figures that can be exported, then exit.")
    boolean list;

    @Option(names = "--figure", paramLabel = "NAME", description = "Figure to render (see --list).")
    String figure;

    @Option(names = "--format", paramLabel = "png|svg|pdf", description = "Output format (default: from the file name).")
    String format;

    @Option(names = "--width", paramLabel = "W", defaultValue = "1200", description = "Width in points/pixels (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", paramLabel = "H", defaultValue = "400", description = "Height in points/pixels (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "1", description = "PNG pixel scale: 1, 2 or 4 (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "7", description = "Seed of every random draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "File to write.")
    Path out;

    @Option(names = "--models", paramLabel = "FILE", split = ",",
            description = "trajectories: one or two velocity checkpoints, left then right (default: samples/moons-1rf and moons-2rf).")
    List<Path> models;

    @Option(names = "--solver", paramLabel = "NAME", defaultValue = "euler",
            description = "trajectories: euler, midpoint, heun, rk4 or dopri5 (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "8", description = "trajectories: solver steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--schedule", paramLabel = "uniform|boss", defaultValue = "uniform",
            description = "trajectories: uniform steps or BOSS-K (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--tolerance", paramLabel = "TOL", defaultValue = "1e-5", description = "trajectories: dopri5 atol = rtol (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--time", paramLabel = "T", defaultValue = "1", description = "trajectories: time shown, 0 (noise) to 1 (data) (default: ${DEFAULT-VALUE}).")
    double time;

    @Option(names = "--particles", paramLabel = "N", defaultValue = "2000", description = "trajectories: particles (default: ${DEFAULT-VALUE}).")
    int particles;

    @Option(names = "--traced", paramLabel = "M", defaultValue = "150", description = "trajectories: particles drawn with their paths (default: ${DEFAULT-VALUE}).")
    int traced;

    @Option(names = "--theme", paramLabel = "light|dark", defaultValue = "light", description = "Figure theme (default: ${DEFAULT-VALUE}).")
    String theme;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        TrajectoriesExport.register();
        if (list) {
            for (String name : FigureCatalog.names()) {
                stdout.printf(Locale.ROOT, "%-22s %s%n", name, FigureCatalog.describe(name));
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
        if (width <= 0 || height <= 0) {
            throw bad("--width and --height must be positive (got " + width + " x " + height + ")");
        }
        if (seed < 0) {
            throw bad("--seed must not be negative (got " + seed + ")");
        }
        ExportFormat exportFormat;
        try {
            exportFormat = format != null ? ExportFormat.fromName(format) : ExportFormat.fromFile(out);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        if (!FigureCatalog.names().contains(figure)) {
            throw bad("unknown figure '" + figure + "' (known: " + String.join(", ", FigureCatalog.names()) + ")");
        }
        try {
            FigureExporter.validate(exportFormat, width, height, scale);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Path folder = out.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw bad("cannot write " + out + ": folder " + folder + " does not exist");
        }
        if (!Files.isWritable(folder)) {
            throw bad("cannot write " + out + ": folder " + folder + " is not writable");
        }
        stderr.printf(Locale.ROOT, "rendering %s (%d x %d, seed %d)...%n", figure, width, height, seed);
        stderr.flush();
        FigureTheme figureTheme;
        try {
            figureTheme = FigureTheme.fromName(theme);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Figure rendered;
        if (TrajectoriesExport.FIGURE.equals(figure)) {
            SamplingSettings settings;
            try {
                settings = new SamplingSettings(solver, steps, tolerance, schedule, particles, traced, seed);
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
            Path samples = SampleModels.folder();
            List<Path> files = models == null || models.isEmpty()
                    ? List.of(samples.resolve(SampleModels.CURVED), samples.resolve(SampleModels.STRAIGHT)) : models;
            if (!(time >= 0 && time <= 1)) {
                throw bad("--time must be between 0 and 1 (got " + time + ")");
            }
            rendered = TrajectoriesExport.figure(files, settings, time, figureTheme);
        } else {
            rendered = FigureCatalog.create(figure, seed, figureTheme);
        }
        FigureExporter.export(rendered, exportFormat, width, height, scale, out);
        stderr.printf("wrote %s%n", out);
        stdout.println(out.toAbsolutePath());
        stdout.flush();
        return 0;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
