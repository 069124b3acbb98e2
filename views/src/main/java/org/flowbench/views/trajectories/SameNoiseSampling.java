package org.flowbench.views.trajectories;

import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.views.figure.DataBounds;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Samples several models "on the same noise", the one routine behind the lab's panels and the
 * headless trajectories figure: every model draws its noise from its own source with the same
 * seed (so two models of one source see identical noise, and a model trained on 8 gaussians is
 * not fed N(0, I)), walks the uniform or BOSS grid of the settings, and the view is fitted to
 * everything drawn.
 */
public final class SameNoiseSampling {

    /** Target samples drawn under the panels. */
    static final int TARGET_SAMPLES = 2000;

    /** Progress: which model, of how many, and what is happening. */
    @FunctionalInterface
    public interface Progress {
        void report(int done, int total, String what);
    }

    /**
     * @param runs   one run per model, in order
     * @param target samples of the first model's target
     * @param plans  BOSS plans of the models sampled on a BOSS grid
     * @param fitted the data bounds holding every particle at every step and the target
     */
    public record Result(List<FlowRun> runs, float[] target, List<BossPlan> plans, DataBounds fitted) {
    }

    /** Beyond this distance from the origin a point is a divergence, not something to zoom out for. */
    static final double MAX_EXTENT = 50;

    private SameNoiseSampling() {
    }

    /** The lab's usual view, grown to hold what was drawn (within {@link #MAX_EXTENT}). */
    static DataBounds fitted(DataBounds drawn) {
        DataBounds padded = drawn.padded(0.05);
        DataBounds view = TrajectoriesFigure.DEFAULT_VIEW;
        return new DataBounds(Math.min(view.xMin(), cap(padded.xMin())), Math.max(view.xMax(), cap(padded.xMax())),
                Math.min(view.yMin(), cap(padded.yMin())), Math.max(view.yMax(), cap(padded.yMax())));
    }

    private static double cap(double v) {
        return Math.max(-MAX_EXTENT, Math.min(MAX_EXTENT, v));
    }

    private static float[] finalStates(FlowRun run) {
        int n = run.n();
        return java.util.Arrays.copyOfRange(run.states(), run.steps() * n * 2, (run.steps() + 1) * n * 2);
    }

    public static Result sample(List<LoadedFlow> flows, SamplingSettings settings, BooleanSupplier cancelled, Progress progress) {
        if (flows.isEmpty()) {
            throw new IllegalArgumentException("no model to sample");
        }
        List<FlowRun> runs = new ArrayList<>();
        List<BossPlan> plans = new ArrayList<>();
        float[] target = flows.get(0).targetDataset().sample(TARGET_SAMPLES, settings.seed() + 1);
        DataBounds drawn = DataBounds.of(target);
        for (int p = 0; p < flows.size(); p++) {
            LoadedFlow flow = flows.get(p);
            progress.report(p, flows.size(), "sampling " + flow.label());
            Dataset source = Datasets.byName(flow.source());
            float[] noise = source.sample(settings.particles(), settings.seed());
            TimeGrid grid = TimeGrid.forward(settings.steps());
            if (SamplingSettings.BOSS.equals(settings.schedule()) && !flow.oneStep()) {
                BossPlan plan = FlowSampler.bossPlan(flow.label(), flow.model(), source, settings, cancelled);
                plans.add(plan);
                grid = plan.schedule().grid();
            }
            FlowRun run = FlowSampler.run(flow.label(), flow.model(), noise, grid, settings, flow.oneStep(), cancelled);
            runs.add(run);
            drawn = drawn.union(DataBounds.of(noise, finalStates(run)));
        }
        progress.report(flows.size(), flows.size(), "sampled");
        return new Result(List.copyOf(runs), target, List.copyOf(plans), fitted(drawn));
    }
}
