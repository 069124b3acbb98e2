package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * One training run with its probes, as {@code flowbench train-lm} makes it: the probe at
 * initialisation (averaged over {@code probeSeeds} seeds from the training seed on), then
 * training from the seed with a probe every {@code probeEvery} steps and at the last step. The
 * same settings give the same probes and weights as the command line (same seeds, same batches).
 * A loss or gradient that is not finite ends the run early; the result keeps the probes so far
 * and where it diverged.
 */
public final class LmRecording {

    private LmRecording() {
    }

    /**
     * What to train.
     *
     * @param config     the model
     * @param data       where batches come from
     * @param optimizer  the update rule and schedule; its total steps are the run's length
     * @param batch      sequences per step
     * @param probeEvery probe every this many steps (and at the last)
     * @param probeSeeds seeds averaged at initialisation, the training seed first
     * @param seed       seed of the weights and the batches
     */
    public record Settings(LmConfig config, LmData data, LmOptimizerConfig optimizer, int batch, int probeEvery,
                           int probeSeeds, long seed) {
        public Settings {
            if (config == null || data == null || optimizer == null) {
                throw new IllegalArgumentException("model, data and optimizer must be given");
            }
            if (batch < 1 || batch > 4096) {
                throw new IllegalArgumentException("batch must be in [1, 4096], got " + batch);
            }
            if (probeEvery < 1) {
                throw new IllegalArgumentException("probe interval must be at least 1, got " + probeEvery);
            }
            if (probeSeeds < 1 || probeSeeds > 1000) {
                throw new IllegalArgumentException("probe seeds must be in [1, 1000], got " + probeSeeds);
            }
        }

        public int steps() {
            return optimizer.totalSteps();
        }

        /** The training record stored in a run file, as train-lm writes it. */
        public Map<String, String> metadata() {
            LmOptimizerConfig o = optimizer;
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("training", o.algorithm().name().toLowerCase(Locale.ROOT) + " lr=" + o.lr() + " betas="
                    + o.beta1() + "," + o.beta2() + " eps=" + o.eps() + " weight_decay=" + o.weightDecay()
                    + " warmup=" + o.warmupSteps() + " steps=" + o.totalSteps() + " cosine_floor=" + o.minLrRatio()
                    + " clip=" + o.clipNorm() + " batch=" + batch);
            meta.put("data", data.describe());
            return meta;
        }
    }

    /** Told of the probe at initialisation (step 0), then after every training step with its probe or null (on the job's thread). */
    public interface Listener {
        void stepped(int step, int steps, double loss, LmProbe probeOrNull);
    }

    /**
     * What a run produced.
     *
     * @param normStatistics the running statistics of the batch or power norms after the last step
     * @param losses        the loss of every step taken, [steps taken]
     * @param divergedStep  the step whose loss or gradient was not finite, or -1
     * @param divergedLayer the first layer with non-finite values there (0 embeddings), or -1
     * @param divergedWhy   the one-line reason, or null
     */
    public record Result(Settings settings, float[] parameters, LmNormStatistics normStatistics, List<LmProbe> probes,
                         double[] losses,
                         int divergedStep, int divergedLayer, String divergedWhy) {

        public boolean diverged() {
            return divergedStep >= 0;
        }

        /** Metadata for {@link LmRunFile#write}: the training record and, when it happened, the divergence. */
        public Map<String, String> metadata() {
            Map<String, String> meta = settings.metadata();
            if (diverged()) {
                meta.put("diverged", divergedWhy);
            }
            return meta;
        }

        /** The mean loss of the last tenth of the steps taken (at least one step); NaN when diverged. */
        public double finalLoss() {
            if (diverged() || losses.length == 0) {
                return Double.NaN;
            }
            int tail = Math.max(1, losses.length / 10);
            double sum = 0;
            for (int i = losses.length - tail; i < losses.length; i++) {
                sum += losses[i];
            }
            return sum / tail;
        }
    }

    /**
     * Trains one run.
     *
     * @param cancelled polled every step; when it turns true the run stops with a {@link CancellationException}
     */
    public static Result train(ComputeDevice device, Settings s, Listener listener, BooleanSupplier cancelled) {
        List<LmProbe> probes = new ArrayList<>();
        long[] initSeeds = new long[s.probeSeeds()];
        for (int i = 0; i < initSeeds.length; i++) {
            initSeeds[i] = s.seed() + i;
        }
        probes.add(LmProbe.mean(LmProbes.atInitialisation(device, s.config(), s.data(), s.batch(), initSeeds)));
        int steps = s.steps();
        if (listener != null) {
            listener.stepped(0, steps, probes.get(0).loss(), probes.get(0));
        }
        double[] losses = new double[steps];
        int taken = 0;
        int divergedStep = -1;
        int divergedLayer = -1;
        String why = null;
        float[] params;
        LmNormStatistics statistics;
        try (TransformerLm lm = new TransformerLm(device, s.config(), s.seed());
             LmTrainer trainer = new LmTrainer(lm, s.optimizer())) {
            SeededRandom rnd = new SeededRandom(s.seed()).split();
            try {
                for (int step = 1; step <= steps; step++) {
                    if (cancelled != null && cancelled.getAsBoolean()) {
                        throw new CancellationException("training cancelled at step " + step);
                    }
                    boolean probe = step % s.probeEvery() == 0 || step == steps;
                    float[] before = probe ? device.download(lm.parameters()) : null;
                    double loss = trainer.step(s.data().next(s.batch(), rnd), null);
                    losses[taken++] = loss;
                    LmProbe p = null;
                    if (probe) {
                        // The probe reads the activations and gradients of this step's batch.
                        p = LmProbes.measure(lm, step, loss, before, device.download(lm.parameters()));
                        probes.add(p);
                    }
                    if (listener != null) {
                        listener.stepped(step, steps, loss, p);
                    }
                }
            } catch (LmDivergedException e) {
                divergedStep = e.step();
                divergedLayer = e.layer();
                why = e.getMessage();
            }
            params = device.download(lm.parameters());
            statistics = lm.normStatistics();
        }
        double[] kept = java.util.Arrays.copyOf(losses, taken);
        return new Result(s, params, statistics, List.copyOf(probes), kept, divergedStep, divergedLayer, why);
    }
}
