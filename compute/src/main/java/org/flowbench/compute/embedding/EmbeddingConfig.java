package org.flowbench.compute.embedding;

import java.util.Locale;

/**
 * Settings of one training run; the defaults are facebookresearch/poincare-embeddings'
 * train-mammals.sh (dim 5, lr 0.3, 300 epochs, 50 negatives, burn-in 20, batch 10) with its
 * embed.py defaults (burn-in learning rate multiplier 0.01, degree^0.75 negatives during burn-in).
 *
 * @param threads workers that share each batch; results do not depend on it
 */
public record EmbeddingConfig(Manifold manifold, int dim, int epochs, double learningRate, int negatives, int burnInEpochs,
                              double burnInMultiplier, double dampening, int batchSize, long seed, int threads) {

    public static final int MAX_DIM = 4096;
    public static final int MAX_NEGATIVES = 100_000;
    public static final int MAX_EPOCHS = 1_000_000;
    public static final int MAX_BATCH = 1_000_000;
    public static final int MAX_THREADS = 256;

    public EmbeddingConfig {
        if (manifold == null) {
            throw new IllegalArgumentException("manifold is required");
        }
        within("dim", dim, 1, MAX_DIM);
        within("epochs", epochs, 0, MAX_EPOCHS);
        within("negatives", negatives, 1, MAX_NEGATIVES);
        within("burn-in", burnInEpochs, 0, MAX_EPOCHS);
        within("batch", batchSize, 1, MAX_BATCH);
        within("threads", threads, 1, MAX_THREADS);
        positive("lr", learningRate);
        positive("burn-in multiplier", burnInMultiplier);
        if (!(dampening >= 0) || !Double.isFinite(dampening)) {
            throw new IllegalArgumentException("dampening must be a non-negative finite number, got " + dampening);
        }
    }

    /** The reference mammal settings on the given manifold. */
    public static EmbeddingConfig reference(Manifold manifold, long seed) {
        return new EmbeddingConfig(manifold, 5, 300, 0.3, 50, 20, 0.01, 0.75, 10, seed, 1);
    }

    public EmbeddingConfig withEpochs(int e) {
        return new EmbeddingConfig(manifold, dim, e, learningRate, negatives, burnInEpochs, burnInMultiplier, dampening, batchSize, seed, threads);
    }

    public EmbeddingConfig withDim(int d) {
        return new EmbeddingConfig(manifold, d, epochs, learningRate, negatives, burnInEpochs, burnInMultiplier, dampening, batchSize, seed, threads);
    }

    public EmbeddingConfig withThreads(int t) {
        return new EmbeddingConfig(manifold, dim, epochs, learningRate, negatives, burnInEpochs, burnInMultiplier, dampening, batchSize, seed, t);
    }

    public EmbeddingConfig withSeed(long s) {
        return new EmbeddingConfig(manifold, dim, epochs, learningRate, negatives, burnInEpochs, burnInMultiplier, dampening, batchSize, s, threads);
    }

    public EmbeddingConfig withLearningRate(double lr) {
        return new EmbeddingConfig(manifold, dim, epochs, lr, negatives, burnInEpochs, burnInMultiplier, dampening, batchSize, seed, threads);
    }

    public EmbeddingConfig withBatchSize(int b) {
        return new EmbeddingConfig(manifold, dim, epochs, learningRate, negatives, burnInEpochs, burnInMultiplier, dampening, b, seed, threads);
    }

    /** One line for logs and file metadata. */
    public String describe() {
        return String.format(Locale.ROOT, "manifold=%s dim=%d epochs=%d lr=%s negatives=%d burn_in=%d burn_in_multiplier=%s dampening=%s batch=%d seed=%d",
                manifold.name(), dim, epochs, learningRate, negatives, burnInEpochs, burnInMultiplier, dampening, batchSize, seed);
    }

    private static void within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive finite number, got " + value);
        }
    }
}
