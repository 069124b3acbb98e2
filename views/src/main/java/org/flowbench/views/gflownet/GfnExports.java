package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.compute.gflownet.StateGraph;
import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureAnimation;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.jobs.JobContext;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * What the lab writes besides single figures, always into a new folder inside the one chosen:
 * the distributions, flows and training curves as CSV, and the training animation (one frame
 * per snapshot) as numbered PNG frames and a looping GIF ({@link FigureAnimation}).
 */
final class GfnExports {

    static final String CSV_FOLDER = "gflownet-csv";
    static final String ANIMATION_FOLDER = "gflownet-animation";

    private GfnExports() {
    }

    /**
     * distribution.csv ({@code x0..x{D-1},reward,target,learned} per state, learned of the shown
     * objective at snapshot k), flows.csv ({@code x0..,action,true_flow,learned_flow} per edge,
     * the exit as action D) and training.csv (every snapshot of every objective).
     */
    static Path csv(GfnRun run, String shownLoss, int k, Path parent) throws IOException {
        Path folder = FigureAnimation.freshFolder(parent, CSV_FOLDER);
        GfnRun.Series series = run.seriesOrFirst(shownLoss);
        if (run.hasExact()) {
            ExactFlows exact = run.exact();
            StateGraph graph = exact.graph();
            GfnRun.Frame frame = series.frame(k);
            int d = run.environment().dimension();
            int a = graph.actions();
            String coords = coordinateHeader(d);
            double[] target = exact.targetDistribution();
            try (Writer w = Files.newBufferedWriter(folder.resolve("distribution.csv"), StandardCharsets.UTF_8)) {
                w.write(coords + ",reward,target,learned\n");
                for (int i = 0; i < graph.size(); i++) {
                    if (!graph.canTerminate(i)) {
                        continue;
                    }
                    w.write(coordinates(graph, i) + String.format(Locale.ROOT, ",%.9g,%.9g,%.9g%n", Math.exp(graph.logReward(i)),
                            target[i], frame.distribution()[i]));
                }
            }
            try (Writer w = Files.newBufferedWriter(folder.resolve("flows.csv"), StandardCharsets.UTF_8)) {
                w.write(coords + ",action,true_flow,learned_flow\n");
                for (int i = 0; i < graph.size(); i++) {
                    for (int j = 0; j < a; j++) {
                        double f = exact.edgeFlow(i, j);
                        if (f <= 0) {
                            continue;
                        }
                        w.write(coordinates(graph, i) + String.format(Locale.ROOT, ",%d,%.9g,%.9g%n", j, f,
                                Math.exp(frame.logEdgeFlows()[i * a + j])));
                    }
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(folder.resolve("training.csv"), StandardCharsets.UTF_8)) {
            w.write("objective,trajectories,step,loss,log_z,log_z_error,l1,jsd,edge_flow_error,modes_found,top100_reward,seconds\n");
            for (GfnRun.Series s : run.series()) {
                for (GfnRun.Frame f : s.frames()) {
                    GfnTraining.Snapshot p = f.snapshot();
                    w.write(String.format(Locale.ROOT, "%s,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%.3f%n", s.loss(), p.trajectoriesSeen(),
                            p.step(), num(p.loss()), num(p.logZEstimate()), num(p.logZError()), num(p.l1()), num(p.jsd()),
                            num(p.edgeFlowError()), p.modesFound() < 0 ? "" : Integer.toString(p.modesFound()),
                            num(p.topMeanReward()), p.seconds()));
                }
            }
        }
        return folder;
    }

    /**
     * One PNG per snapshot ({@code frame(k)} draws snapshot k) and animation.gif looping over them
     * at {@code delayMs} per frame, in a new folder inside {@code parent}.
     */
    static Path animation(int frames, IntFunction<Figure> frame, Path parent, int width, int height, int delayMs, JobContext ctx)
            throws IOException {
        if (frames < 1) {
            throw new IllegalArgumentException("the run has no snapshots to animate yet");
        }
        FigureExporter.validate(ExportFormat.PNG, width, height, 1.0);
        Path folder = FigureAnimation.freshFolder(parent, ANIMATION_FOLDER);
        FigureAnimation.write(frames, frame, folder, "animation.gif", width, height, delayMs, (k, n) -> {
            ctx.checkCancelled();
            ctx.progress(k, n);
        });
        return folder;
    }

    private static String coordinateHeader(int d) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < d; i++) {
            b.append(i == 0 ? "" : ",").append('x').append(i);
        }
        return b.toString();
    }

    private static String coordinates(StateGraph graph, int i) {
        int[] s = graph.state(i);
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < s.length; j++) {
            b.append(j == 0 ? "" : ",").append(s[j]);
        }
        return b.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.9g", v) : "";
    }
}
