package org.flowbench.compute.lm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

import java.util.Arrays;

/**
 * Trains a {@link TransformerLm} ({@link LmOptimizerConfig}): one {@link #step} is a forward
 * pass, the backward pass, the optional global-norm clip, the decoupled weight decay and one
 * update: AdamW on the model's device, SGD, SGDP and AdamP on the host ({@link
 * ProjectedOptimizer}; the parameters and gradients cross to the host and back each step). A loss or gradient that is not finite stops the
 * run with a {@link LmDivergedException} naming the step and the first layer where it appeared.
 */
public final class LmTrainer implements AutoCloseable {

    private final TransformerLm model;
    private final LmOptimizerConfig config;
    private final ComputeDevice device;
    private final DeviceBuffer m;
    private final DeviceBuffer v;
    /** 1 where the layout's entry decays, else 0 ([parameters]): AdamW's decay rides in the update's one pass. */
    private final DeviceBuffer decays;
    private final ProjectedOptimizer host;
    private int step;
    private double lastGradNorm = Double.NaN;

    public LmTrainer(TransformerLm model, LmOptimizerConfig config) {
        this.model = model;
        this.config = config;
        this.device = model.device();
        boolean onDevice = config.algorithm() == LmOptimizerConfig.Algorithm.ADAMW;
        this.m = onDevice ? device.allocate(model.layout().total()) : null;
        this.v = onDevice ? device.allocate(model.layout().total()) : null;
        this.host = onDevice ? null : new ProjectedOptimizer(model.layout(), config);
        this.decays = onDevice && config.weightDecay() > 0 ? device.upload(decayMask(model.layout())) : null;
    }

    private static float[] decayMask(LmLayout layout) {
        float[] mask = new float[layout.total()];
        for (LmLayout.Entry e : layout.entries()) {
            if (e.role().decays()) {
                Arrays.fill(mask, e.offset(), e.offset() + e.size(), 1f);
            }
        }
        return mask;
    }

    /** Steps taken so far. */
    public int steps() {
        return step;
    }

    public TransformerLm model() {
        return model;
    }

    public LmOptimizerConfig config() {
        return config;
    }

    /** The global gradient norm of the last step when it was measured (clipping on or a probe asked), else NaN. */
    public double lastGradientNorm() {
        return lastGradNorm;
    }

    /**
     * One training step on a batch; returns the loss before the update.
     *
     * @param beforeUpdate called after the backward pass and before the update (probes read the
     *                     gradients there); may be null
     */
    public double step(LmBatch batch, Runnable beforeUpdate) {
        double loss = model.forward(batch.tokens(), batch.targets(), batch.batch(), batch.seq());
        int next = step + 1;
        if (!Double.isFinite(loss)) {
            throw new LmDivergedException(next, firstNonFiniteLayer(), "loss " + loss);
        }
        model.backward();
        lastGradNorm = Double.NaN;
        if (config.clipNorm() > 0) {
            float[] g = device.download(model.gradients());
            double norm = norm(g);
            lastGradNorm = norm;
            if (!Double.isFinite(norm)) {
                throw new LmDivergedException(next, firstNonFiniteGradient(g), "gradient norm " + norm);
            }
            if (norm > config.clipNorm()) {
                float s = (float) (config.clipNorm() / norm);
                device.axpby(s, model.gradients(), 0f, model.gradients(), model.gradients());
            }
        }
        if (beforeUpdate != null) {
            beforeUpdate.run();
        }
        float lr = (float) config.learningRate(next);
        if (host != null) {
            float[] p = device.download(model.parameters());
            host.step(p, device.download(model.gradients()), lr);
            device.upload(p, model.parameters());
            step = next;
            return loss;
        }
        if (decays != null) {
            float keep = 1f - lr * config.weightDecay();
            device.adamWStep(model.parameters(), model.gradients(), m, v, decays, keep, lr, config.beta1(),
                    config.beta2(), config.eps(), next);
        } else {
            device.adamStep(model.parameters(), model.gradients(), m, v, lr, config.beta1(), config.beta2(),
                    config.eps(), next);
        }
        step = next;
        return loss;
    }

    /** The first layer (0 embeddings .. L) whose residual stream holds a value that is not finite, or -1. */
    private int firstNonFiniteLayer() {
        for (int l = 0; l <= model.config().layers(); l++) {
            for (float x : model.residual(l)) {
                if (!Float.isFinite(x)) {
                    return l;
                }
            }
        }
        return -1;
    }

    private int firstNonFiniteGradient(float[] g) {
        int first = Integer.MAX_VALUE;
        for (LmLayout.Entry e : model.layout().entries()) {
            for (int i = 0; i < e.size(); i++) {
                if (!Float.isFinite(g[e.offset() + i])) {
                    first = Math.min(first, e.layer());
                    break;
                }
            }
        }
        return first == Integer.MAX_VALUE ? -1 : first;
    }

    static double norm(float[] g) {
        double s = 0;
        for (float x : g) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    @Override
    public void close() {
        if (m != null) {
            device.free(m);
            device.free(v);
        }
        if (decays != null) {
            device.free(decays);
        }
    }

    @Override
    public String toString() {
        return "LmTrainer" + Arrays.asList(config, step);
    }
}
