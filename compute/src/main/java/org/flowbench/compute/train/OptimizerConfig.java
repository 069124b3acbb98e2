package org.flowbench.compute.train;

import java.util.Locale;

/**
 * Adam or AdamW hyper-parameters. AdamW (Loshchilov and Hutter 2019) decays weights directly,
 * {@code p -= lr * weightDecay * p}, before the Adam update, instead of adding the decay to the
 * gradient; PyTorch's default decay for AdamW is 0.01.
 */
public record OptimizerConfig(Kind kind, double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {

    public enum Kind { ADAM, ADAMW }

    public static final double DEFAULT_ADAMW_DECAY = 0.01;

    public OptimizerConfig {
        if (!(learningRate > 0) || !Double.isFinite(learningRate) || learningRate > 10) {
            throw new IllegalArgumentException("learning rate must be in (0, 10], got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("Adam epsilon must be positive, got " + epsilon);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay) || learningRate * weightDecay >= 1) {
            throw new IllegalArgumentException("weight decay must be non-negative with lr * decay < 1, got " + weightDecay);
        }
        if (kind == Kind.ADAM && weightDecay != 0) {
            throw new IllegalArgumentException("plain Adam takes no weight decay here; use AdamW");
        }
    }

    public static OptimizerConfig adam(double learningRate) {
        return new OptimizerConfig(Kind.ADAM, learningRate, 0.9, 0.999, 1e-8, 0);
    }

    public static OptimizerConfig adamW(double learningRate) {
        return new OptimizerConfig(Kind.ADAMW, learningRate, 0.9, 0.999, 1e-8, DEFAULT_ADAMW_DECAY);
    }

    public static OptimizerConfig adamW(double learningRate, double weightDecay) {
        return new OptimizerConfig(Kind.ADAMW, learningRate, 0.9, 0.999, 1e-8, weightDecay);
    }

    /** {@code adam} or {@code adamw}, with the learning rate given separately. */
    public static OptimizerConfig parse(String name, double learningRate, double weightDecay) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "adam" -> adam(learningRate);
            case "adamw" -> adamW(learningRate, weightDecay);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "' (expected adam or adamw)");
        };
    }

    public String spec() {
        return kind == Kind.ADAM ? "adam" : "adamw";
    }
}
