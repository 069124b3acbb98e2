package org.flowbench.views.trajectories;

import org.flowbench.views.figure.FigureAnimation;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.jobs.JobContext;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the lab writes besides single figures: the animation as numbered PNG frames and as a
 * looping GIF ({@link FigureAnimation}), and the samples, traced trajectories and metrics as CSV.
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
        return FigureAnimation.write(frames, f -> figure.at(f / (double) (frames - 1)), folder, "trajectories.gif", width, height,
                delayMs, (f, n) -> {
                    ctx.checkCancelled();
                    ctx.progress(f, n);
                });
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


    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
