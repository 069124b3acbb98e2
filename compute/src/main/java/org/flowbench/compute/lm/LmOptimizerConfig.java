package org.flowbench.compute.lm;

/**
 * The optimiser of a language-model run, with linear warm-up and cosine decay: AdamW
 * (Loshchilov and Hutter 2019) on the device, or SGD with momentum, SGDP or AdamP (Heo et al.
 * 2021), which run on the host (see {@link ProjectedOptimizer}).
 *
 * @param lr          peak learning rate
 * @param beta1       first-moment decay
 * @param beta2       second-moment decay
 * @param eps         Adam's epsilon
 * @param weightDecay decoupled decay on matrices and embeddings (never on biases and gains)
 * @param warmupSteps steps of linear warm-up from lr / warmupSteps to lr; 0 for none
 * @param totalSteps  steps of the whole run; the cosine goes from lr at the end of warm-up to
 *                    {@code minLrRatio * lr} at the last step
 * @param minLrRatio  the floor of the cosine as a fraction of lr
 * @param clipNorm    global gradient-norm clip; 0 turns clipping off (the default, so that
 *                    instabilities show)
 * @param algorithm   the update rule; SGD and SGDP use beta1 as their momentum
 */
public record LmOptimizerConfig(float lr, float beta1, float beta2, float eps, float weightDecay, int warmupSteps,
                                int totalSteps, float minLrRatio, float clipNorm, Algorithm algorithm) {

    /** Update rules. */
    public enum Algorithm {
        /** Adam with decoupled weight decay, on the device. */
        ADAMW,
        /** AdamW whose update of a matrix loses its radial part when the matrix looks scale-invariant. */
        ADAMP,
        /** SGD with (heavy-ball) momentum and decoupled weight decay. */
        SGD,
        /** SGD with momentum and the same projection as AdamP. */
        SGDP;

        public static Algorithm parse(String text) {
            for (Algorithm a : values()) {
                if (a.name().equalsIgnoreCase(text.strip())) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown optimizer '" + text + "' (expected adamw, adamp, sgd or sgdp)");
        }
    }

    /** AdamW, the pre-existing signature. */
    public LmOptimizerConfig(float lr, float beta1, float beta2, float eps, float weightDecay, int warmupSteps,
                             int totalSteps, float minLrRatio, float clipNorm) {
        this(lr, beta1, beta2, eps, weightDecay, warmupSteps, totalSteps, minLrRatio, clipNorm, Algorithm.ADAMW);
    }

    public LmOptimizerConfig {
        positiveFinite(lr, "learning rate");
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        positiveFinite(eps, "eps");
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and not negative, got " + weightDecay);
        }
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("steps must be at least 1 and warm-up in [0, steps], got steps "
                    + totalSteps + ", warm-up " + warmupSteps);
        }
        if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
            throw new IllegalArgumentException("minimum learning-rate ratio must be in [0, 1], got " + minLrRatio);
        }
        if (!(clipNorm >= 0) || !Float.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm must be finite and not negative (0: off), got " + clipNorm);
        }
        if (algorithm == null) {
            throw new IllegalArgumentException("optimizer must be given");
        }
    }

    private static void positiveFinite(float v, String what) {
        if (!(v > 0) || !Float.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be positive and finite, got " + v);
        }
    }

    /** GPT-style defaults: betas 0.9/0.95, eps 1e-8, weight decay 0.1, cosine to 10%, no clipping. */
    public static LmOptimizerConfig adamW(float lr, int warmupSteps, int totalSteps) {
        return new LmOptimizerConfig(lr, 0.9f, 0.95f, 1e-8f, 0.1f, warmupSteps, totalSteps, 0.1f, 0f);
    }

    public LmOptimizerConfig withClipNorm(float clip) {
        return new LmOptimizerConfig(lr, beta1, beta2, eps, weightDecay, warmupSteps, totalSteps, minLrRatio, clip,
                algorithm);
    }

    public LmOptimizerConfig withAlgorithm(Algorithm a) {
        return new LmOptimizerConfig(lr, beta1, beta2, eps, weightDecay, warmupSteps, totalSteps, minLrRatio, clipNorm,
                a);
    }

    /** The learning rate at 1-based step {@code step}. */
    public double learningRate(int step) {
        if (warmupSteps > 0 && step <= warmupSteps) {
            return lr * (double) step / warmupSteps;
        }
        int decaySteps = totalSteps - warmupSteps;
        if (decaySteps <= 0) {
            return lr;
        }
        double progress = Math.min(1.0, Math.max(0.0, (step - warmupSteps) / (double) decaySteps));
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return lr * (minLrRatio + (1 - minLrRatio) * cosine);
    }
}
