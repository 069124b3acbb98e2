package org.flowbench.views.gflownet;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.gflownet.Environments;
import org.flowbench.compute.gflownet.Evaluation;
import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.GfnEnvironment;
import org.flowbench.compute.gflownet.GfnModelFile;
import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.compute.gflownet.StateGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Trains every objective of a {@link GfnSettings} side by side, one step of each in turn, so
 * their curves grow together; measures each every {@code snapshotEvery} trajectories (and once
 * before the first step) against the exact solution, keeping the induced distribution and the
 * learned flows of every snapshot for the timeline. The same seed gives the same run.
 */
final class GfnTrainer {

    /** Receives the run so far after every round of snapshots (on the training thread). */
    @FunctionalInterface
    interface Live {
        void show(GfnRun run);
    }

    private GfnTrainer() {
    }

    /** The exact solution the lab keeps per snapshot, or null when the environment is too large. */
    static ExactFlows exactFor(GfnEnvironment env) {
        long n = env.stateCount();
        if (n < 0 || n > GfnRun.MAX_SHOWN_STATES || !StateGraph.fits(n, env.dimension(), env.actionCount())) {
            return null;
        }
        return ExactFlows.of(env);
    }

    static GfnRun train(ComputeDevice device, GfnSettings settings, BooleanSupplier cancelled,
                        Consumer<Double> progress, Live live) {
        GfnEnvironment env = Environments.parse(settings.environment());
        ExactFlows exact = exactFor(env);
        List<GfnTraining.Run> runs = new ArrayList<>();
        List<List<GfnRun.Frame>> frames = new ArrayList<>();
        List<GfnRun.Policy> policies = new ArrayList<>();
        try {
            for (String loss : settings.losses()) {
                runs.add(new GfnTraining.Run(device, settings.config(loss)));
                frames.add(new ArrayList<>());
                policies.add(null);
            }
            long started = System.nanoTime();
            for (int i = 0; i < runs.size(); i++) {
                measure(runs.get(i), exact, frames.get(i), policies, i, started);
            }
            live.show(snapshot(env, exact, settings, frames, policies, false));
            long[] next = new long[runs.size()];
            java.util.Arrays.fill(next, Math.min(settings.snapshotEvery(), settings.trajectories()));
            long total = settings.trajectories() * runs.size();
            boolean going = true;
            while (going) {
                going = false;
                boolean measured = false;
                long seen = 0;
                for (int i = 0; i < runs.size(); i++) {
                    if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("training cancelled");
                    }
                    GfnTraining.Run run = runs.get(i);
                    if (run.trajectoriesSeen() < settings.trajectories()) {
                        run.step();
                        going |= run.trajectoriesSeen() < settings.trajectories();
                        if (run.trajectoriesSeen() >= next[i] || run.trajectoriesSeen() >= settings.trajectories()) {
                            measure(run, exact, frames.get(i), policies, i, started);
                            next[i] += settings.snapshotEvery();
                            measured = true;
                        }
                    }
                    seen += run.trajectoriesSeen();
                }
                progress.accept(seen / (double) total);
                if (measured && going) {
                    live.show(snapshot(env, exact, settings, frames, policies, false));
                }
            }
            return snapshot(env, exact, settings, frames, policies, true);
        } finally {
            for (GfnTraining.Run run : runs) {
                run.close();
            }
        }
    }

    /**
     * A run of one snapshot from a model read from a file: its exact distribution and flows (when
     * the environment is small enough); trajectories seen and modes found are unknown (-1, NaN).
     */
    static GfnRun fromModel(GfnModelFile.Loaded model) {
        GfnEnvironment env = model.environment();
        ExactFlows exact = exactFor(env);
        GfnRun.Frame frame;
        if (exact != null) {
            Evaluation.Exact e = Evaluation.exact(exact, model.network(), model.objective(), model.logZ());
            frame = new GfnRun.Frame(new GfnTraining.Snapshot(0, 0, Double.NaN, e.logZEstimate(), e.logZError(), e.l1(), e.jsd(),
                    e.edgeFlowError(), -1, Double.NaN, 0), e.distribution(), e.logStateFlows(), e.logEdgeFlows());
        } else {
            double estimate = GfnTraining.logZEstimateAtOrigin(env, model.network(), model.objective(), model.logZ());
            double truth = env.logPartitionClosedForm();
            frame = new GfnRun.Frame(new GfnTraining.Snapshot(0, 0, Double.NaN, estimate, Math.abs(estimate - truth), Double.NaN,
                    Double.NaN, Double.NaN, -1, Double.NaN, 0), null, null, null);
        }
        GfnRun.Policy policy = new GfnRun.Policy(model.objective(), model.network().shape(), model.network().parameterValues(),
                model.logZ());
        return new GfnRun(env, exact, java.util.List.of(new GfnRun.Series(model.objective().spec(), java.util.List.of(frame), policy)),
                true);
    }

    private static void measure(GfnTraining.Run run, ExactFlows exact, List<GfnRun.Frame> frames, List<GfnRun.Policy> policies,
                                int index, long started) {
        GfnTraining.Snapshot snapshot = run.measure((System.nanoTime() - started) / 1e9);
        if (exact != null) {
            Evaluation.Exact e = Evaluation.exact(exact, run.network(), run.objective(), run.logZ());
            frames.add(new GfnRun.Frame(snapshot, e.distribution(), e.logStateFlows(), e.logEdgeFlows()));
        } else {
            frames.add(new GfnRun.Frame(snapshot, null, null, null));
        }
        policies.set(index, new GfnRun.Policy(run.objective(), run.shape(), run.network().parameterValues(), run.logZ()));
    }

    private static GfnRun snapshot(GfnEnvironment env, ExactFlows exact, GfnSettings settings, List<List<GfnRun.Frame>> frames,
                                   List<GfnRun.Policy> policies, boolean finished) {
        List<GfnRun.Series> series = new ArrayList<>();
        for (int i = 0; i < settings.losses().size(); i++) {
            series.add(new GfnRun.Series(settings.losses().get(i), frames.get(i), policies.get(i)));
        }
        return new GfnRun(env, exact, series, finished);
    }
}
