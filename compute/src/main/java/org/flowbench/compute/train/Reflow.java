package org.flowbench.compute.train;

import org.flowbench.compute.checkpoint.Checkpoint;
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

    /**
     * One reflow round or one-step distillation, as the window and the command line both run it.
     *
     * @param pairs     reflow pairs to simulate
     * @param pairSeed  seed of the pairs' noise
     * @param initSeed  seed of a fresh initialisation (unused with {@code warmStart})
     * @param warmStart begin from the parent's weights
     * @param distill   train a one-step generator (t fixed at 0) instead of the next k-RF
     * @param settings  the training settings (for distillation: already with t fixed at 0)
     * @param solver    how the pairs are simulated, in words, for the child's record
     */
    public record Plan(int pairs, long pairSeed, long initSeed, boolean warmStart, boolean distill,
                       FlowMatchingTrainer.Settings settings, String solver) {
    }

    /**
     * The child model: its trained parameters and loss history, its k of k-RF and its checkpoint
     * metadata (source and target carried over from the parent, the rest said anew).
     */
    public record Child(FlowMatchingTrainer.Result result, int round, java.util.Map<String, String> metadata) {
    }

    /**
     * Simulates {@code plan.pairs()} pairs of the parent from its source, then trains the child
     * on straight lines between them.
     *
     * @param parent         the parent's parameters (the warm start)
     * @param parentMetadata the parent checkpoint's metadata (source, target, reflow_round)
     * @param simulator      carries noise through the parent (callers hold what the parent needs, e.g. a lock)
     * @param parentName     the parent's file name for the record, or null
     */
    public static Child rectify(ComputeDevice device, MlpArchitecture architecture, float[] parent,
                                java.util.Map<String, String> parentMetadata, Dataset source, PairSimulator simulator, Plan plan,
                                String parentName, TrainingProgress progress, BooleanSupplier cancelled) {
        Pairs pairs = pairs(source, simulator, plan.pairs(), plan.pairSeed(), PAIR_CHUNK, cancelled);
        FlowMatchingTrainer.Result result = train(device, architecture, plan.warmStart() ? parent : null, plan.initSeed(), pairs,
                plan.settings(), progress, cancelled);
        int parentRound = roundOf(parentMetadata);
        int round = plan.distill() ? parentRound : parentRound + 1;
        com.fasterxml.jackson.databind.node.ObjectNode record = FlowTraining.settingsJson(plan.settings());
        record.put("pairs", plan.pairs());
        record.put("pair_solver", plan.solver());
        record.put("warm_start", plan.warmStart());
        if (parentName != null) {
            record.put("parent", parentName);
        }
        record.put("final_loss", result.recentLoss(100));
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();
        metadata.put(Checkpoint.KEY_SOURCE, parentMetadata.getOrDefault(Checkpoint.KEY_SOURCE, "normal"));
        metadata.put(Checkpoint.KEY_TARGET, parentMetadata.getOrDefault(Checkpoint.KEY_TARGET, "unknown"));
        if (parentMetadata.containsKey(KEY_TARGET_POINTS)) {
            metadata.put(KEY_TARGET_POINTS, parentMetadata.get(KEY_TARGET_POINTS));
        }
        metadata.put(Checkpoint.KEY_PATH, "rectified");
        metadata.put(Checkpoint.KEY_COUPLING, "reflow");
        metadata.put(Checkpoint.KEY_REFLOW_ROUND, Integer.toString(round));
        metadata.put(Checkpoint.KEY_SEED, Long.toString(plan.settings().seed()));
        metadata.put(Checkpoint.KEY_TRAINING, record.toString());
        return new Child(result, round, metadata);
    }

    /** Metadata key of a sketched target's points ("x y x y ..."), carried from parent to child. */
    public static final String KEY_TARGET_POINTS = "target_points";

    /** Points simulated per solver call while making pairs (cancellation is checked between calls). */
    public static final int PAIR_CHUNK = 4096;

    /** k of k-RF from checkpoint metadata: 1 when absent or unreadable. */
    public static int roundOf(java.util.Map<String, String> metadata) {
        try {
            return Integer.parseInt(metadata.getOrDefault(Checkpoint.KEY_REFLOW_ROUND, "1"));
        } catch (NumberFormatException e) {
            return 1;
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
