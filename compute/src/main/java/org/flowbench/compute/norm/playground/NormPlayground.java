package org.flowbench.compute.norm.playground;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.EvoNormKind;
import org.flowbench.compute.norm.BatchChannelNorm;
import org.flowbench.compute.norm.BatchNorm;
import org.flowbench.compute.norm.ChannelAffine;
import org.flowbench.compute.norm.EvoNorm;
import org.flowbench.compute.norm.GroupNorm;
import org.flowbench.compute.norm.NormLayer;
import org.flowbench.compute.norm.PowerNorm;
import org.flowbench.compute.norm.UnifiedNorm;
import org.flowbench.compute.norm.WeightStandardization;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Runs one {@link PlaygroundLayer} in training mode over {@code batches} batches of a
 * {@link PlaygroundInput} and records, per batch and channel:
 * <ul>
 *   <li>the batch's own statistic of the kind the layer uses (variance for the centring layers,
 *       quadratic mean {@code mean(x^2)} for PowerNorm and Unified Normalization);</li>
 *   <li>the statistic the forward pass actually divided by (BatchNorm, EvoNorm-B0: the batch's
 *       variance; PowerNorm: the running psi of the batches before, the batch's own during its
 *       warm-up; Unified Normalization: the geometric mean of its window; Batch-Channel Norm: its
 *       estimate, moved first); NaN for the layers with per-sample statistics;</li>
 *   <li>the running statistic after the batch (NaN where there is none).</li>
 * </ul>
 * After the last batch the same batch goes through the layer in evaluation mode (the train/eval
 * mismatch), and BatchNorm and Unified Normalization have their inference folded into a random
 * dense layer before them, timed against the unfolded dense layer plus norm.
 *
 * <p>PowerNorm and Unified Normalization warm up for {@link #WARMUP} batches (the papers' 10000
 * and 4000 iterations would outlast the playground); GroupNorm, EvoNorm-S0 and Batch-Channel Norm
 * use {@code groups} groups; LayerNorm is GroupNorm with one group and RMSNorm the same without
 * centring, both over every channel and position of a sample (the GroupNorm paper's LN);
 * Weight Standardization is a dense layer over channels, {@code y[n, o, s] = sum_i w_hat[o, i]
 * x[n, i, s]}, with He-normal weights standardised per output row.
 */
public final class NormPlayground {

    public static final int WARMUP = 10;
    public static final int MIN_BATCHES = 2;
    public static final int MAX_BATCHES = 2000;
    public static final double EPS = 1e-5;
    /** Timed repetitions of folded and unfolded inference; the median is reported. */
    public static final int TIMING_REPEATS = 15;

    /**
     * @param channel the channel whose series the figures show first
     */
    public record Settings(PlaygroundInput input, int microBatch, PlaygroundLayer layer, int batches, int groups,
                           int channel, long seed) {
        public Settings {
            if (input == null || layer == null) {
                throw new IllegalArgumentException("preset and layer are required");
            }
            if (microBatch < 1 || microBatch > PlaygroundInput.MAX_MICRO_BATCH) {
                throw new IllegalArgumentException("micro-batch must be between 1 and " + PlaygroundInput.MAX_MICRO_BATCH
                        + ", got " + microBatch);
            }
            if (batches < MIN_BATCHES || batches > MAX_BATCHES) {
                throw new IllegalArgumentException("batches must be between " + MIN_BATCHES + " and " + MAX_BATCHES
                        + ", got " + batches);
            }
            int c = input.channels();
            if (groups < 1 || c % groups != 0) {
                throw new IllegalArgumentException("groups must divide the " + c + " channels of the " + input.id()
                        + " preset, got " + groups);
            }
            if (channel < 0 || channel >= c) {
                throw new IllegalArgumentException("channel must be between 0 and " + (c - 1) + " for the " + input.id()
                        + " preset, got " + channel);
            }
            if (seed < 0) {
                throw new IllegalArgumentException("seed must not be negative, got " + seed);
            }
        }

        public int batch() {
            return input.batch(microBatch);
        }

        public int channels() {
            return input.channels();
        }

        public int spatial() {
            return input.spatial();
        }
    }

    /** Folded against unfolded inference: largest difference and median times. */
    public record Folding(double maxAbsDifference, double maxAbsOutput, double unfoldedMillis, double foldedMillis) {
    }

    /**
     * What one run recorded.
     *
     * @param statistic     what batchStat and runningStat are: {@code variance} or {@code quadratic mean}
     * @param input         {@code [n*c*s]} the last batch
     * @param trainOutput   {@code [n*c*s]} the layer's output on it in training mode
     * @param evalOutput    {@code [n*c*s]} the layer's output on it in evaluation mode afterwards
     * @param batchStat     {@code [batches*c]} the batch's own statistic
     * @param usedStat      {@code [batches*c]} what the forward pass divided by (NaN: per-sample statistics)
     * @param runningStat   {@code [batches*c]} the running statistic after each batch (NaN: none)
     * @param folding       null unless the layer folds
     */
    public record Result(Settings settings, String statistic, float[] input, float[] trainOutput, float[] evalOutput,
                         double[] batchStat, double[] usedStat, double[] runningStat, Folding folding) {

        public int batches() {
            return settings.batches();
        }

        /** Per channel, the root mean square of train minus eval output over the last batch, in units of the train output's root mean square. */
        public double[] trainEvalMismatch() {
            int n = settings.batch();
            int c = settings.channels();
            int s = settings.spatial();
            double[] out = new double[c];
            for (int ch = 0; ch < c; ch++) {
                double diff = 0;
                double scale = 0;
                for (int b = 0; b < n; b++) {
                    int base = (b * c + ch) * s;
                    for (int i = 0; i < s; i++) {
                        double d = trainOutput[base + i] - evalOutput[base + i];
                        diff += d * d;
                        scale += (double) trainOutput[base + i] * trainOutput[base + i];
                    }
                }
                out[ch] = scale == 0 ? 0 : Math.sqrt(diff / scale);
            }
            return out;
        }

        /** Per batch, the root mean square over channels of (batch - running before it) / running before it; NaN without running statistics. */
        public double[] relativeDeviation() {
            int c = settings.channels();
            double[] d = new double[batches()];
            for (int t = 0; t < d.length; t++) {
                if (t == 0 || Double.isNaN(runningStat[(t - 1) * c])) {
                    d[t] = Double.NaN;
                    continue;
                }
                double ss = 0;
                for (int ch = 0; ch < c; ch++) {
                    double r = runningStat[(t - 1) * c + ch];
                    double e = (batchStat[t * c + ch] - r) / r;
                    ss += e * e;
                }
                d[t] = Math.sqrt(ss / c);
            }
            return d;
        }
    }

    private NormPlayground() {
    }

    /**
     * Runs the settings on {@code device}; {@code progress} gets the batches done, {@code cancelled}
     * is polled between batches (a cancelled run throws {@link java.util.concurrent.CancellationException}).
     */
    public static Result run(ComputeDevice device, Settings s, IntConsumer progress, BooleanSupplier cancelled) {
        int n = s.batch();
        int c = s.channels();
        int sp = s.spatial();
        int size = n * c * sp;
        int batches = s.batches();
        Supplier<float[]> source = s.input().source(s.microBatch(), s.seed());
        double[] batchStat = new double[batches * c];
        double[] usedStat = new double[batches * c];
        double[] runningStat = new double[batches * c];
        Arrays.fill(usedStat, Double.NaN);
        Arrays.fill(runningStat, Double.NaN);
        boolean quadratic = s.layer() == PlaygroundLayer.POWERNORM || s.layer() == PlaygroundLayer.UNIFIED;
        float[] x = null;
        float[] trainOut = new float[size];
        float[] evalOut;
        DeviceBuffer xb = device.allocate(size);
        DeviceBuffer yb = device.allocate(size);
        Layer layer = new Layer(device, s);
        try {
            for (int t = 0; t < batches; t++) {
                if (cancelled != null && cancelled.getAsBoolean()) {
                    throw new java.util.concurrent.CancellationException("cancelled");
                }
                x = source.get();
                double[][] moments = moments(x, n, c, sp);
                double[] before = layer.running();
                device.upload(x, xb);
                layer.forward(xb, yb, x);
                for (int ch = 0; ch < c; ch++) {
                    double var = moments[1][ch];
                    double square = var + moments[0][ch] * moments[0][ch];
                    batchStat[t * c + ch] = quadratic ? square : var;
                }
                double[] used = layer.used(moments, before, t);
                double[] after = layer.running();
                if (used != null) {
                    System.arraycopy(used, 0, usedStat, t * c, c);
                }
                if (after != null) {
                    System.arraycopy(after, 0, runningStat, t * c, c);
                }
                if (progress != null) {
                    progress.accept(t + 1);
                }
            }
            device.download(yb, trainOut);
            layer.setTraining(false);
            layer.forward(xb, yb, x);
            evalOut = new float[size];
            device.download(yb, evalOut);
            Folding folding = s.layer().folds() ? fold(device, layer, x, s) : null;
            return new Result(s, quadratic ? "quadratic mean" : "variance", x, trainOut, evalOut, batchStat, usedStat,
                    runningStat, folding);
        } finally {
            layer.close();
            device.free(xb);
            device.free(yb);
        }
    }

    /** Per channel mean and biased variance over batch and positions, in double: {@code {mean, var}}. */
    public static double[][] moments(float[] x, int n, int c, int s) {
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    sum += x[base + i];
                }
            }
            double mu = sum / ((double) n * s);
            double ss = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    double d = x[base + i] - mu;
                    ss += d * d;
                }
            }
            mean[ch] = mu;
            var[ch] = ss / ((double) n * s);
        }
        return new double[][] {mean, var};
    }

    /** He-normal dense weights {@code [c_in * c_out]} and biases {@code [c]} for the folding experiment. */
    static float[][] denseLayer(int c, long seed) {
        SeededRandom random = new SeededRandom(seed ^ 0x7F4A7C15L);
        float[] w = new float[c * c];
        float[] b = new float[c];
        double std = Math.sqrt(2.0 / c);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (std * random.nextGaussian());
        }
        for (int i = 0; i < c; i++) {
            b[i] = (float) (0.1 * random.nextGaussian());
        }
        return new float[][] {w, b};
    }

    /** {@code y[n, o, s] = sum_i x[n, i, s] w[i * c + o] + b[o]} over {@code [n, c, s]} tensors. */
    static float[] dense(float[] x, float[] w, float[] b, int n, int c, int s) {
        float[] y = new float[x.length];
        for (int bi = 0; bi < n; bi++) {
            for (int o = 0; o < c; o++) {
                int out = (bi * c + o) * s;
                float bias = b == null ? 0f : b[o];
                for (int p = 0; p < s; p++) {
                    y[out + p] = bias;
                }
                for (int i = 0; i < c; i++) {
                    float wi = w[i * c + o];
                    int in = (bi * c + i) * s;
                    for (int p = 0; p < s; p++) {
                        y[out + p] += x[in + p] * wi;
                    }
                }
            }
        }
        return y;
    }

    private static Folding fold(ComputeDevice device, Layer layer, float[] x, Settings s) {
        int n = s.batch();
        int c = s.channels();
        int sp = s.spatial();
        float[][] dense = denseLayer(c, s.seed());
        ChannelAffine affine = layer.inference();
        float[][] folded = affine.foldAfterDense(dense[0], dense[1], c, c);
        DeviceBuffer zb = device.allocate(x.length);
        DeviceBuffer yb = device.allocate(x.length);
        try {
            float[] unfolded = new float[x.length];
            float[] foldedOut = null;
            double[] unfoldedTimes = new double[TIMING_REPEATS];
            double[] foldedTimes = new double[TIMING_REPEATS];
            for (int r = 0; r < TIMING_REPEATS; r++) {
                long t0 = System.nanoTime();
                float[] z = dense(x, dense[0], dense[1], n, c, sp);
                device.upload(z, zb);
                layer.forward(zb, yb, z);
                device.download(yb, unfolded);
                long t1 = System.nanoTime();
                foldedOut = dense(x, folded[0], folded[1], n, c, sp);
                long t2 = System.nanoTime();
                unfoldedTimes[r] = (t1 - t0) / 1e6;
                foldedTimes[r] = (t2 - t1) / 1e6;
            }
            double maxDiff = 0;
            double maxOut = 0;
            for (int i = 0; i < unfolded.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(unfolded[i] - foldedOut[i]));
                maxOut = Math.max(maxOut, Math.abs(unfolded[i]));
            }
            return new Folding(maxDiff, maxOut, median(unfoldedTimes), median(foldedTimes));
        } finally {
            device.free(zb);
            device.free(yb);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The chosen layer behind one face: forward, its statistics, its mode. */
    private static final class Layer implements AutoCloseable {
        private final ComputeDevice device;
        private final Settings s;
        private final NormLayer norm;
        private final WeightStandardization standardization;
        private final DeviceBuffer weight;
        private final DeviceBuffer weightHat;
        private final DeviceBuffer rms;
        private float[] standardised;

        Layer(ComputeDevice device, Settings s) {
            this.device = device;
            this.s = s;
            int c = s.channels();
            NormLayer made = switch (s.layer()) {
                case BATCHNORM -> new BatchNorm(device, c, EPS, 0.1);
                case GROUPNORM -> new GroupNorm(device, c, s.groups(), EPS);
                case LAYERNORM -> new GroupNorm(device, c, 1, EPS);
                case POWERNORM -> new PowerNorm(device, c, EPS, 0.9, 0.9, WARMUP, 0);
                case UNIFIED -> new UnifiedNorm(device, c, 4, WARMUP, false, EPS, 0.9);
                case EVONORM_B0 -> new EvoNorm(device, EvoNormKind.B0, c, c, EPS, 0.1);
                case EVONORM_S0 -> new EvoNorm(device, EvoNormKind.S0, c, s.groups(), EPS, 0.1);
                case BATCH_CHANNEL -> new BatchChannelNorm(device, c, s.groups(), EPS, 0.1);
                case RMSNORM, WEIGHT_STANDARDIZATION -> null;
            };
            norm = made;
            if (s.layer() == PlaygroundLayer.WEIGHT_STANDARDIZATION) {
                standardization = new WeightStandardization(device, c, c, EPS);
                weight = device.allocate(c * c);
                weightHat = device.allocate(c * c);
                // [out, in] rows, as Weight Standardization reads them
                float[] w = denseLayer(c, s.seed())[0];
                float[] rows = new float[c * c];
                for (int i = 0; i < c; i++) {
                    for (int o = 0; o < c; o++) {
                        rows[o * c + i] = w[i * c + o];
                    }
                }
                device.upload(rows, weight);
                standardization.forward(weight, weightHat);
                float[] hat = device.download(weightHat);
                standardised = new float[c * c];
                for (int i = 0; i < c; i++) {
                    for (int o = 0; o < c; o++) {
                        standardised[i * c + o] = hat[o * c + i];
                    }
                }
            } else {
                standardization = null;
                weight = null;
                weightHat = null;
            }
            rms = s.layer() == PlaygroundLayer.RMSNORM ? device.allocate(Math.max(s.batch(), 1)) : null;
        }

        void forward(DeviceBuffer x, DeviceBuffer y, float[] host) {
            int n = s.batch();
            int sp = s.spatial();
            if (norm != null) {
                norm.forward(x, y, n, sp);
            } else if (rms != null) {
                device.rmsNormForward(x, null, y, rms, n, s.channels() * sp, (float) EPS);
            } else {
                device.upload(dense(host, standardised, null, n, s.channels(), sp), y);
            }
        }

        void setTraining(boolean training) {
            if (norm != null) {
                norm.setTraining(training);
            }
        }

        /** The running statistic now, or null. */
        double[] running() {
            if (norm instanceof BatchNorm bn) {
                return bn.runningVar();
            }
            if (norm instanceof PowerNorm pn) {
                return pn.runningPhi();
            }
            if (norm instanceof UnifiedNorm un) {
                return un.runningVar();
            }
            if (norm instanceof BatchChannelNorm bcn) {
                return bcn.runningVar();
            }
            if (norm instanceof EvoNorm evo && s.layer() == PlaygroundLayer.EVONORM_B0) {
                return evo.runningVar();
            }
            return null;
        }

        /** What the forward pass of batch t divided by, given the batch's moments and the running statistic before it. */
        double[] used(double[][] moments, double[] runningBefore, int t) {
            int c = s.channels();
            double[] out = new double[c];
            switch (s.layer()) {
                case BATCHNORM, EVONORM_B0 -> System.arraycopy(moments[1], 0, out, 0, c);
                case POWERNORM -> {
                    for (int ch = 0; ch < c; ch++) {
                        out[ch] = t < WARMUP ? moments[1][ch] + moments[0][ch] * moments[0][ch] : runningBefore[ch];
                    }
                }
                case UNIFIED -> out = ((UnifiedNorm) norm).lastVariance();
                case BATCH_CHANNEL -> out = ((BatchChannelNorm) norm).runningVar();
                default -> {
                    return null;
                }
            }
            return out;
        }

        ChannelAffine inference() {
            if (norm instanceof BatchNorm bn) {
                return bn.inference();
            }
            if (norm instanceof UnifiedNorm un) {
                return un.inference();
            }
            throw new IllegalStateException(s.layer().label() + " does not fold");
        }

        @Override
        public void close() {
            if (norm != null) {
                norm.close();
            }
            if (standardization != null) {
                standardization.close();
                device.free(weight);
                device.free(weightHat);
            }
            if (rms != null) {
                device.free(rms);
            }
        }
    }
}
