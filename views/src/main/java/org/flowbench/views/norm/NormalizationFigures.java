package org.flowbench.views.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.lm.LmActivations;
import org.flowbench.compute.lm.LmBatch;
import org.flowbench.compute.lm.LmSweep;
import org.flowbench.compute.lm.Placement;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureSpec.Parameter;
import org.flowbench.views.figure.FigureTheme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Depth and Sweep figures as {@code flowbench export} draws them without a window, from the
 * recorded samples in {@code samples/norm} unless files are given.
 */
public final class NormalizationFigures {

    public static final String DEPTH = "norm-depth";
    public static final String SWEEP = "norm-sweep";

    private NormalizationFigures() {
    }

    /** The figures this lab's Depth and Sweep pages register. */
    public static List<FigureSpec> specs() {
        return List.of(
                new FigureSpec(DEPTH, "hidden-state size per layer under Post-, Pre- and Peri-LN side by side, layer x step "
                        + "heatmaps, attention entropy, losses and |x| per token and channel (default: the runs in samples/norm)",
                        DepthFigure.PREFERRED_WIDTH, DepthFigure.PREFERRED_HEIGHT,
                        List.of(new Parameter("runs", "", "run files side by side, comma-separated (empty: the sample run "
                                        + "of each placement in samples/norm)"),
                                new Parameter("placement", "post,pre,peri", "placements of the sample runs shown when no runs "
                                        + "are given: post, pre, peri"),
                                new Parameter("step", "-1", "training step shown; -1 for the last"),
                                new Parameter("metric", DepthMetric.VARIANCE.key(), "one of " + java.util.Arrays.stream(
                                        DepthMetric.values()).map(DepthMetric::key).toList()),
                                new Parameter("layer", "-1", "layer of the |x| panel; -1 for the last"),
                                new Parameter("activations", "true", "compute the |x| panel (one forward pass of the last "
                                        + "run's weights)")),
                        (v, theme) -> depth(runFiles(v.list("runs"), v.list("placement")), DepthMetric.parse(v.text("metric")),
                                v.integer("step", -1, Integer.MAX_VALUE), v.integer("layer", -1, 512), v.bool("activations"),
                                v.seed(), theme)),
                new FigureSpec(SWEEP, "final loss of every run of a sweep (placement x learning rate x warm-up x seed), "
                        + "diverged runs marked (default: samples/norm/" + NormSamples.SWEEP + ")",
                        SweepFigure.PREFERRED_WIDTH, SweepFigure.PREFERRED_HEIGHT,
                        List.of(new Parameter("sweep", "", "sweep file written by flowbench sweep-lm (empty: the sample)")),
                        (v, theme) -> new SweepFigure(LmSweep.read(v.text("sweep").isEmpty()
                                ? NormSamples.folder().resolve(NormSamples.SWEEP) : Path.of(v.text("sweep"))), null, theme)));
    }

    private static List<Path> runFiles(List<String> given, List<String> placements) {
        if (!given.isEmpty()) {
            return given.stream().map(Path::of).toList();
        }
        List<Path> out = new ArrayList<>();
        for (String p : placements) {
            String label = Placement.parse(p).label();
            Path f = NormSamples.depthRun(label);
            if (f == null) {
                throw new IllegalArgumentException("no sample run of placement '" + label
                        + "' (samples/norm has post, pre and peri); give run files with --set runs=");
            }
            out.add(f);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("name at least one placement or run file");
        }
        return out;
    }

    /**
     * The Depth figure of run files, as the page draws it.
     *
     * @throws IOException for an unreadable, corrupt or wrong-kind file (one line naming it)
     */
    public static DepthFigure depth(List<Path> files, DepthMetric metric, int step, int layer, boolean activations,
                                    long seed, FigureTheme theme) throws IOException {
        if (files.size() > DepthModel.MAX_RUNS) {
            throw new IllegalArgumentException("at most " + DepthModel.MAX_RUNS + " runs side by side, got " + files.size());
        }
        List<DepthRun> runs = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IOException(f + ": no such run file");
            }
            runs.add(DepthModel.read(f));
        }
        int max = 0;
        for (DepthRun r : runs) {
            max = Math.max(max, r.lastStep());
        }
        int shown = step < 0 ? max : step;
        DepthFigure.Activations act = null;
        if (activations) {
            // the page's default: the second run (Pre-LN among the samples), or the only one
            DepthRun last = runs.get(Math.min(1, runs.size() - 1));
            int l = layer < 0 ? last.config().layers() : Math.min(layer, last.config().layers());
            try (ComputeDevice device = ComputeDevices.open(ComputeDevices.CPU)) {
                LmBatch batch = LmActivations.batchFor(last.config(), last.data(), DepthModel.ACTIVATION_SEQUENCES, seed);
                act = new DepthFigure.Activations(last.label(), last.lastStep(), l,
                        LmActivations.measure(device, last.config(), last.parameters(), last.normStatistics(),
                                batch));
            }
        }
        return new DepthFigure(runs, metric, shown, act, theme);
    }
}
