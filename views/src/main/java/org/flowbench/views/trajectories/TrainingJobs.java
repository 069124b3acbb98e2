package org.flowbench.views.trajectories;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.VelocityMlp;
import org.flowbench.compute.ode.DormandPrince;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.train.ConditionalPath;
import org.flowbench.compute.train.FlowMatchingTrainer;
import org.flowbench.compute.train.FlowTraining;
import org.flowbench.compute.train.PairSimulator;
import org.flowbench.compute.train.Reflow;
import org.flowbench.compute.train.TrainingPaths;
import org.flowbench.compute.train.TrainingProgress;
import org.flowbench.views.jobs.JobContext;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lab's training jobs as plain functions of their inputs: train a fresh 1-RF, one reflow
 * round, one-step distillation. Each returns a {@link Trained} model living on the job's device;
 * the lab puts it in a panel.
 */
final class TrainingJobs {

    /** The architecture of the flows the lab trains: the sample checkpoints' (3 x 64 SELU, sinusoidal time). */
    static final String ARCHITECTURE = "mlp:in=2,out=2,time=sin4,hidden=64x64x64,activation=selu";
    /** Reflow pairs simulated per round in the window (the command line takes --pairs). */
    static final int REFLOW_PAIRS = 5000;
    /** How often the loss curve of a running job is shown, in optimiser steps. */
    static final int LIVE_LOSS_EVERY = 50;

    /** A trained model, its loss per step and its straightness (0 for a one-step generator). */
    record Trained(LoadedFlow flow, float[] losses, double straightness) {
    }

    /** Sees the losses so far while a job trains (on the job's thread). */
    @FunctionalInterface
    interface LiveLoss {
        void show(float[] losses);
    }

    private TrainingJobs() {
    }

    /** A fresh 1-RF from N(0, I) to {@code target}, paired independently or by minibatch OT. */
    static Trained train(ComputeDevice on, Dataset target, String coupling, FlowMatchingTrainer.Settings settings,
                         JobContext ctx, LiveLoss live) throws Exception {
        MlpArchitecture architecture = MlpArchitecture.parse(ARCHITECTURE);
        FlowMatchingTrainer.Result result;
        try (VelocityMlp model = VelocityMlp.create(on, architecture, FlowTraining.initSeed(settings.seed()))) {
            result = new FlowMatchingTrainer(model, TrainingPaths.coupling(coupling, Datasets.NORMAL, target),
                    ConditionalPath.STRAIGHT, settings).train(progress(ctx, live, settings.steps()), ctx::isCancelled);
        }
        ctx.checkCancelled();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.KEY_SOURCE, "normal");
        meta.put(Checkpoint.KEY_TARGET, target.name());
        meta.put(Checkpoint.KEY_PATH, "rectified");
        meta.put(Checkpoint.KEY_COUPLING, coupling);
        meta.put(Checkpoint.KEY_REFLOW_ROUND, "1");
        meta.put(Checkpoint.KEY_SEED, Long.toString(settings.seed()));
        meta.put(Checkpoint.KEY_TRAINING, FlowTraining.settingsJson(settings).toString());
        return trained("1-RF \u00b7 trained on " + target.name(), on, architecture, result, meta, false);
    }

    /**
     * One reflow round (or, with {@code distill}, one-step distillation) of {@code from}, warm
     * started: pairs simulated with dopri5 (each chunk under the model lock), then training on
     * straight lines between them. The same routine as {@code flowbench reflow} and {@code distill}.
     */
    static Trained rectify(ModelSlots models, ComputeDevice on, LoadedFlow from, boolean distill, long seed,
                           FlowMatchingTrainer.Settings settings, JobContext ctx, LiveLoss live) throws Exception {
        int round = from.round();
        DormandPrince dopri = new DormandPrince(1e-5, 1e-5);
        PairSimulator underLock = (z0, n) -> {
            try {
                return models.withModels(() -> dopri.integrate(from.model(), z0, n, TimeGrid.forward(1)).finalState());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new java.util.concurrent.CancellationException("reflow cancelled");
            }
        };
        float[] start = models.withModels(() -> from.model().parameterValues());
        MlpArchitecture architecture = from.model().architecture();
        ctx.message("simulating " + REFLOW_PAIRS + " pairs with dopri5, then training on straight lines between them");
        Reflow.Plan plan = new Reflow.Plan(REFLOW_PAIRS, Reflow.roundSeed(seed, round), FlowTraining.initSeed(seed + round), true,
                distill, settings, dopri.name());
        Reflow.Child child = Reflow.rectify(on, architecture, start, from.metadata(), Datasets.byName(from.source()), underLock, plan,
                null, progress(ctx, live, settings.steps()), ctx::isCancelled);
        ctx.checkCancelled();
        String label = distill ? round + "-RF distilled, one step" : child.round() + "-RF \u00b7 reflow of " + round + "-RF";
        return trained(label, on, architecture, child.result(), child.metadata(), distill);
    }

    /** Progress for the jobs panel (step and loss) and, every few steps, the loss curve so far. */
    private static TrainingProgress progress(JobContext ctx, LiveLoss live, int total) {
        float[] losses = new float[total];
        return (step, steps, loss) -> {
            if (step >= 1 && step <= total) {
                losses[step - 1] = (float) loss;
            }
            ctx.progress(step, steps);
            if (step % LIVE_LOSS_EVERY == 0 || step == steps) {
                ctx.message(String.format(java.util.Locale.ROOT, "step %d of %d, loss %.4f", step, steps, loss));
                live.show(Arrays.copyOf(losses, step));
            }
        };
    }

    private static Trained trained(String label, ComputeDevice on, MlpArchitecture architecture, FlowMatchingTrainer.Result result,
                                   Map<String, String> meta, boolean oneStep) {
        VelocityMlp model = VelocityMlp.withParameters(on, architecture, result.parameters());
        LoadedFlow flow = new LoadedFlow(label, model, meta, oneStep);
        float[] losses = Arrays.copyOf(result.losses(), result.steps());
        double straightness = oneStep ? 0 : probeStraightness(model, flow.source());
        return new Trained(flow, losses, straightness);
    }

    /** Straightness with RK4, 32 steps, 500 particles: the measure the chart compares across rounds. */
    static double probeStraightness(VelocityMlp model, String source) {
        float[] noise = Datasets.byName(source).sample(500, 99);
        SamplingSettings probe = new SamplingSettings("rk4", 32, 1e-5, SamplingSettings.UNIFORM, 500, 0, 99);
        return FlowSampler.run("probe", model, noise, TimeGrid.forward(32), probe, false, () -> false).straightness();
    }
}
