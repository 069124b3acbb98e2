package org.flowbench.views.norm;

import org.flowbench.compute.norm.invariance.BatchNormOnlyTraining;
import org.flowbench.compute.norm.invariance.InvarianceOptimizer;
import org.flowbench.compute.norm.invariance.LabelledTask;
import org.flowbench.compute.norm.invariance.ScaleInvariantToy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/** The computations behind the Scale invariance page, shared by its jobs and by the export specs. */
final class ScaleInvarianceRuns {

    static final int POINTS = 200;
    static final int GRID = 64;

    private ScaleInvarianceRuns() {
    }

    /** Every optimizer on the toy, the same noise for each. */
    static List<ScaleInvariantToy.Run> toy(ScaleInvariantToy.Settings settings, long seed) {
        return ScaleInvariantToy.runAll(List.of(InvarianceOptimizer.values()), settings, seed);
    }

    /** The labelled points of {@code task} the page trains on. */
    static LabelledTask.Points points(LabelledTask task, long seed) {
        return task.sample(POINTS, task == LabelledTask.MOONS ? 0.08 : 0.03, seed);
    }

    /** A square around the points with a margin: {xMin, xMax, yMin, yMax}. */
    static double[] bounds(LabelledTask.Points p) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : p.xy()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double pad = 0.12 * (hi - lo);
        return new double[] {lo - pad, hi + pad, lo - pad, hi + pad};
    }

    /** The seed of the network's random weights: drawn apart from the points' stream of the same page seed. */
    static long weightSeed(long seed) {
        return Long.rotateLeft(seed, 17) ^ 0x9E3779B97F4A7C15L;
    }

    /** Frozen, BatchNorm-only and all-parameter training of networks with the same random weights. */
    static List<BatchNormOnlyTraining.Result> training(BatchNormOnlyTraining.Settings settings, LabelledTask.Points points,
                                                       long seed, IntConsumer progress, BooleanSupplier cancelled) {
        List<BatchNormOnlyTraining.Result> results = new ArrayList<>();
        double[] bounds = bounds(points);
        int done = 0;
        for (BatchNormOnlyTraining.Trained t : BatchNormOnlyTraining.Trained.values()) {
            results.add(new BatchNormOnlyTraining(settings, weightSeed(seed)).train(t, points, GRID, bounds, cancelled));
            done++;
            if (progress != null) {
                progress.accept(done);
            }
        }
        return results;
    }
}
