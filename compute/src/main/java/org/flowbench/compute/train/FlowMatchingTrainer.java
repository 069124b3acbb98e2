package org.flowbench.compute.train;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.nn.VelocityMlp;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Conditional flow matching: each step draws a minibatch of pairs (x0, x1), times t, the path
 * point x_t and target u_t, and moves the model's v(x_t, t) towards u_t with one optimizer step.
 * The loss is reported after every step; a NaN or infinite loss stops training with a message
 * naming the step; a cancel flag or a thread interrupt stops it between steps.
 *
 * <p>Everything random comes from one {@link SeededRandom} built from the seed, so the same
 * model, settings and seed give the same parameters bit for bit (on the same device).
 */
public final class FlowMatchingTrainer {

    /** Settings of one run. */
    public record Settings(int steps, int batch, OptimizerConfig optimizer, TimestepDistribution time, Loss loss,
                           double emaDecay, long seed) {
        public static final int MAX_STEPS = 100_000_000;
        public static final int MAX_BATCH = 1 << 20;

        public Settings {
            if (steps < 1 || steps > MAX_STEPS) {
                throw new IllegalArgumentException("number of training steps must be in [1, " + MAX_STEPS + "], got " + steps);
            }
            if (batch < 1 || batch > MAX_BATCH) {
                throw new IllegalArgumentException("batch size must be in [1, " + MAX_BATCH + "], got " + batch);
            }
            Objects.requireNonNull(optimizer, "optimizer");
            Objects.requireNonNull(time, "time distribution");
            Objects.requireNonNull(loss, "loss");
            if (!(emaDecay == 0 || (emaDecay > 0 && emaDecay < 1))) {
                throw new IllegalArgumentException("EMA decay must be 0 (off) or in (0, 1), got " + emaDecay);
            }
        }
    }

    /** What a run produced. */
    public record Result(float[] parameters, float[] losses, int steps, double seconds) {
        /** Mean loss over the last {@code k} steps (fewer if the run was shorter). */
        public double recentLoss(int k) {
            int from = Math.max(0, steps - k);
            double s = 0;
            for (int i = from; i < steps; i++) {
                s += losses[i];
            }
            return s / Math.max(1, steps - from);
        }
    }

    private final VelocityMlp model;
    private final PairBatches pairs;
    private final ConditionalPath path;
    private final Settings settings;

    public FlowMatchingTrainer(VelocityMlp model, PairBatches pairs, ConditionalPath path, Settings settings) {
        this.model = Objects.requireNonNull(model, "model");
        this.pairs = Objects.requireNonNull(pairs, "pairs");
        this.path = Objects.requireNonNull(path, "path");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (model.architecture().inputDim() != 2 || model.architecture().outputDim() != 2) {
            throw new IllegalArgumentException("flow matching here trains 2D velocity fields, got " + model.architecture().spec());
        }
    }

    /**
     * Trains the model in place. With EMA on, the returned parameters are the average (the model
     * itself keeps the last iterate).
     *
     * @throws TrainingDivergedException  when the loss stops being finite
     * @throws TrainingCancelledException when {@code cancelled} turns true or the thread is interrupted
     */
    public Result train(TrainingProgress progress, BooleanSupplier cancelled) {
        float[] losses = new float[settings.steps()];
        long start = System.nanoTime();
        try (Run run = start()) {
            for (int step = 1; step <= settings.steps(); step++) {
                if (Thread.currentThread().isInterrupted() || (cancelled != null && cancelled.getAsBoolean())) {
                    throw new TrainingCancelledException(step - 1);
                }
                double loss = run.step();
                losses[step - 1] = (float) loss;
                progress.onStep(step, settings.steps(), loss);
            }
            return new Result(run.parameters(), losses, settings.steps(), (System.nanoTime() - start) * 1e-9);
        }
    }

    /** Starts a run whose steps the caller makes one at a time (benchmarks, interactive training). */
    public Run start() {
        return new Run();
    }

    /** The state of one run: random stream, batch arrays, optimizer and EMA. */
    public final class Run implements AutoCloseable {
        private final int n = settings.batch();
        private final SeededRandom random = new SeededRandom(settings.seed());
        private final float[] x0 = new float[2 * n];
        private final float[] x1 = new float[2 * n];
        private final float[] t = new float[n];
        private final float[] xt = new float[2 * n];
        private final float[] ut = new float[2 * n];
        private final float[] v = new float[2 * n];
        private final float[] grad = new float[2 * n];
        private final Optimizer optimizer;
        private final WeightAverage ema;
        private int step;

        private Run() {
            model.ensureCapacity(n);
            optimizer = new Optimizer(model.device(), settings.optimizer(), model.parameterCount());
            ema = settings.emaDecay() > 0 ? new WeightAverage(model.device(), model.parameters(), settings.emaDecay()) : null;
        }

        /** One optimizer step on a fresh minibatch; returns its loss. */
        public double step() {
            step++;
            pairs.next(random, n, x0, x1);
            settings.time().sample(random, t, n);
            path.sample(x0, x1, t, n, random, xt, ut);
            model.forward(xt, t, n, v);
            double loss = settings.loss().evaluate(v, ut, n, 2, grad);
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(step, loss, settings.optimizer().learningRate());
            }
            model.backward(grad, n);
            optimizer.step(model.parameters(), model.gradients());
            if (ema != null) {
                ema.update(model.parameters());
            }
            return loss;
        }

        /** The parameters to keep: the EMA when it is on, else the current ones. */
        public float[] parameters() {
            return ema != null ? ema.values() : model.parameterValues();
        }

        @Override
        public void close() {
            optimizer.close();
            if (ema != null) {
                ema.close();
            }
        }
    }
}
