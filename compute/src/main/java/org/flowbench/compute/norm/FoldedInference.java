package org.flowbench.compute.norm;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

import java.util.Arrays;
import java.util.Locale;

/**
 * Inference of a dense layer followed by a batch-style norm, two ways on one device: unfolded
 * (the dense layer, then the norm in evaluation mode with its running statistics) and folded
 * (one dense layer whose weights and bias absorb the norm, {@link ChannelAffine#foldAfterDense}).
 * Both give the same outputs up to rounding; the folded one skips a pass over the activations.
 * This is the inference speed-up Unified Normalization (Yang et al. 2022) is built for.
 *
 * <p>The norm's running statistics come from {@code trainBatches} training-mode passes over
 * random batches through the dense layer, so they are not the initial ones; gains and biases are
 * drawn away from 1 and 0. Timing: {@code warmup} runs of each way, then {@code repeats} rounds
 * that run the two ways one after the other (so a change in the machine's load hits both), the
 * median of each way reported.
 */
public final class FoldedInference {

    /** Largest {@code rows * max(in, out)} accepted, so no setting exhausts memory by itself. */
    public static final long MAX_ACTIVATIONS = 1L << 26;
    /** Largest features on either side of the dense layer. */
    public static final int MAX_FEATURES = 8192;

    private FoldedInference() {
    }

    /** The norm that follows the dense layer. */
    public enum Kind {
        /** BatchNorm: running mean and variance, centred. */
        BATCH("batch"),
        /** Unified Normalization: running variance of the mean square, not centred. */
        UNIFIED("unified");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Kind parse(String text) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            for (Kind k : values()) {
                if (k.label.equals(t)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown norm '" + text + "' for folding (expected one of "
                    + Arrays.stream(values()).map(Kind::label).toList() + ")");
        }
    }

    /**
     * @param rows         tokens per inference batch
     * @param in           the dense layer's inputs
     * @param out          its outputs, the norm's channels
     * @param trainBatches training-mode passes that set the running statistics
     * @param warmup       untimed runs of each way
     * @param repeats      timed runs of each way
     */
    public record Settings(Kind kind, int rows, int in, int out, int trainBatches, int warmup, int repeats, long seed) {
        public Settings {
            if (kind == null) {
                throw new IllegalArgumentException("the norm kind must be given");
            }
            range(rows, 2, 1 << 20, "rows");
            range(in, 1, MAX_FEATURES, "in");
            range(out, 1, MAX_FEATURES, "out");
            range(trainBatches, 1, 10_000, "train batches");
            range(warmup, 0, 10_000, "warm-up runs");
            range(repeats, 1, 100_000, "repeats");
            if ((long) rows * Math.max(in, out) > MAX_ACTIVATIONS) {
                throw new IllegalArgumentException("rows x features = " + (long) rows * Math.max(in, out)
                        + " is too large (at most " + MAX_ACTIVATIONS + ")");
            }
        }

        private static void range(int v, int lo, int hi, String what) {
            if (v < lo || v > hi) {
                throw new IllegalArgumentException(what + " must be in [" + lo + ", " + hi + "], got " + v);
            }
        }
    }

    /**
     * What one measurement found.
     *
     * @param maxAbsDifference largest |folded - unfolded| over the outputs
     * @param maxAbsOutput     largest |unfolded output|, the scale of the difference
     * @param unfoldedMs       median milliseconds of one unfolded inference (dense, then norm)
     * @param foldedMs         median milliseconds of one folded inference (one dense layer)
     */
    public record Result(Settings settings, double maxAbsDifference, double maxAbsOutput, double unfoldedMs,
                         double foldedMs) {

        /** The difference relative to the outputs' scale. */
        public double relativeDifference() {
            return maxAbsOutput == 0 ? maxAbsDifference : maxAbsDifference / maxAbsOutput;
        }

        /** Unfolded time over folded time. */
        public double speedup() {
            return unfoldedMs / foldedMs;
        }

        /** The fraction of inference time folding saves. */
        public double timeSaved() {
            return 1 - foldedMs / unfoldedMs;
        }
    }

    /** Measures both ways on {@code device}. */
    public static Result measure(ComputeDevice device, Settings s) {
        SeededRandom root = new SeededRandom(s.seed());
        int rows = s.rows();
        int in = s.in();
        int out = s.out();
        float[] w = gaussian(root.split(), in * out, 1 / Math.sqrt(in), 0);
        float[] b = gaussian(root.split(), out, 0.5, 0);
        try (AbstractNormLayer norm = s.kind() == Kind.BATCH ? new BatchNorm(device, out) : new UnifiedNorm(device, out);
             Buffers buf = new Buffers(device)) {
            device.upload(gaussian(root.split(), out, 0.2, 1), norm.parameters().get(0).value());
            device.upload(gaussian(root.split(), out, 0.2, 0), norm.parameters().get(1).value());
            DeviceBuffer x = buf.add(device.allocate(rows * in));
            DeviceBuffer weight = buf.add(device.upload(w));
            DeviceBuffer bias = buf.add(device.upload(b));
            DeviceBuffer z = buf.add(device.allocate(rows * out));
            DeviceBuffer y = buf.add(device.allocate(rows * out));
            DeviceBuffer folded = buf.add(device.allocate(rows * out));
            SeededRandom data = root.split();
            norm.setTraining(true);
            for (int i = 0; i < s.trainBatches(); i++) {
                device.upload(gaussian(data, rows * in, 1, 0), x);
                device.denseForward(x, weight, bias, z, rows, in, out);
                norm.forward(z, y, rows, 1);
            }
            norm.setTraining(false);
            ChannelAffine affine = norm instanceof BatchNorm bn ? bn.inference() : ((UnifiedNorm) norm).inference();
            float[][] fw = affine.foldAfterDense(w, b, in, out);
            DeviceBuffer foldedWeight = buf.add(device.upload(fw[0]));
            DeviceBuffer foldedBias = buf.add(device.upload(fw[1]));
            device.upload(gaussian(data, rows * in, 1, 0), x);

            Runnable unfoldedRun = () -> {
                device.denseForward(x, weight, bias, z, rows, in, out);
                norm.forward(z, y, rows, 1);
            };
            Runnable foldedRun = () -> device.denseForward(x, foldedWeight, foldedBias, folded, rows, in, out);
            unfoldedRun.run();
            foldedRun.run();
            float[] ya = device.download(y);
            float[] yb = device.download(folded);
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < ya.length; i++) {
                diff = Math.max(diff, Math.abs((double) ya[i] - yb[i]));
                scale = Math.max(scale, Math.abs(ya[i]));
            }
            for (int i = 0; i < s.warmup(); i++) {
                unfoldedRun.run();
                foldedRun.run();
            }
            double[] tu = new double[s.repeats()];
            double[] tf = new double[s.repeats()];
            for (int i = 0; i < s.repeats(); i++) {
                tu[i] = time(device, unfoldedRun);
                tf[i] = time(device, foldedRun);
            }
            return new Result(s, diff, scale, median(tu), median(tf));
        }
    }

    /** Milliseconds from the call until the device has run it (an OpenCL device queues its kernels). */
    private static double time(ComputeDevice device, Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        device.finish();
        return (System.nanoTime() - t0) / 1e6;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    private static float[] gaussian(SeededRandom rnd, int n, double std, double mean) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (mean + std * rnd.nextGaussian());
        }
        return x;
    }

    /** Device buffers freed together. */
    private static final class Buffers implements AutoCloseable {
        private final ComputeDevice device;
        private final java.util.List<DeviceBuffer> list = new java.util.ArrayList<>();

        Buffers(ComputeDevice device) {
            this.device = device;
        }

        DeviceBuffer add(DeviceBuffer b) {
            list.add(b);
            return b;
        }

        @Override
        public void close() {
            for (DeviceBuffer b : list) {
                device.free(b);
            }
        }
    }
}
