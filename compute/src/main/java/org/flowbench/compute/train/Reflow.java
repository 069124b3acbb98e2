package org.flowbench.compute.train;

import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.VelocityMlp;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Reflow and one-step distillation (Liu, Gong and Liu 2022; InstaFlow). A round draws fresh
 * noise z0 from the source, carries it through the current model to z1, and trains on the
 * fixed pairs (z0, z1) along straight lines, x_t = (1-t) z0 + t z1 with target z1 - z0. The new
 * model starts from the current weights (warm start) or from a fresh initialisation.
 * Distillation trains on the same kind of pairs with t fixed at 0, so one Euler step
 * z1 = z0 + v(z0, 0) lands on the pair: a one-step generator with the network's own layout.
 */
public final class Reflow {

    private Reflow() {
    }

    /** Reflow pairs: {@code z0 // [n*2]} and {@code z1 // [n*2]} with z1 = ODE(z0). */
    public record Pairs(float[] z0, float[] z1, int count) {
    }

    /**
     * Draws {@code n} source points from {@code seed} and simulates them.
     *
     * @param chunk simulate this many points at a time so cancellation is honoured between chunks
     */
    public static Pairs pairs(Dataset source, PairSimulator simulator, int n, long seed, int chunk, BooleanSupplier cancelled) {
        if (n < 1) {
            throw new IllegalArgumentException("number of reflow pairs must be positive, got " + n);
        }
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive, got " + chunk);
        }
        float[] z0 = source.sample(n, seed);
        float[] z1 = new float[2 * n];
        for (int start = 0; start < n; start += chunk) {
            if (Thread.currentThread().isInterrupted() || (cancelled != null && cancelled.getAsBoolean())) {
                throw new TrainingCancelledException(0);
            }
            int rows = Math.min(chunk, n - start);
            float[] part = java.util.Arrays.copyOfRange(z0, 2 * start, 2 * (start + rows));
            float[] end = simulator.simulate(part, rows);
            for (int k = 0; k < 2 * rows; k++) {
                if (!Float.isFinite(end[k])) {
                    throw new IllegalStateException("simulating reflow pair " + (start + k / 2) + " gave a non-finite point; "
                            + "the model or the solver diverged");
                }
            }
            System.arraycopy(end, 0, z1, 2 * start, 2 * rows);
        }
        return new Pairs(z0, z1, n);
    }

    /**
     * Trains a new straight-path model on the pairs.
     *
     * @param start parameters to begin from (warm start), or null for a fresh initialisation from {@code initSeed}
     * @return the trained parameters (EMA when the settings turn it on)
     */
    public static FlowMatchingTrainer.Result train(ComputeDevice device, MlpArchitecture architecture, float[] start, long initSeed,
                                                   Pairs pairs, FlowMatchingTrainer.Settings settings,
                                                   TrainingProgress progress, BooleanSupplier cancelled) {
        Objects.requireNonNull(pairs, "pairs");
        try (VelocityMlp model = start != null ? VelocityMlp.withParameters(device, architecture, start)
                : VelocityMlp.create(device, architecture, initSeed)) {
            return new FlowMatchingTrainer(model, TrainingPaths.fixedPairs(pairs.z0(), pairs.z1()), ConditionalPath.STRAIGHT, settings)
                    .train(progress, cancelled);
        }
    }

    /** Distillation settings: the given ones with t fixed at 0. */
    public static FlowMatchingTrainer.Settings distillationSettings(FlowMatchingTrainer.Settings settings) {
        return new FlowMatchingTrainer.Settings(settings.steps(), settings.batch(), settings.optimizer(),
                new TimestepDistribution.Constant(0), settings.loss(), settings.emaDecay(), settings.seed());
    }

    /** A seed for round {@code round}'s pairs derived from the run's seed, so rounds draw different noise. */
    public static long roundSeed(long seed, int round) {
        SeededRandom random = new SeededRandom(seed ^ 0x52E7F10DL);
        long s = 0;
        for (int i = 0; i <= round; i++) {
            s = random.nextLong();
        }
        return s;
    }
}
