package org.flowbench.compute.device;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A few-second benchmark of a device, for {@code flowbench bench} and the settings page: an MLP
 * forward pass and LayerNorm forward and backward on the device, next to ND4J's sgemm and a memory
 * copy measured in the same run, so the device's rates read against what the machine gives now.
 * Each case warms up for about half of {@code secondsPerCase}, then runs repeatedly for about
 * {@code secondsPerCase}; the median time counts. (The JMH suite in the compute module's tests is the careful measurement.)
 */
public final class QuickBenchmark {

    /** MLP shape: 2 inputs, three hidden layers of this width, 2 outputs. */
    public static final int MLP_WIDTH = 256;
    public static final int MLP_BATCH = 10_000;
    public static final int NORM_ROWS = 4096;
    public static final int NORM_COLS = 1024;

    /**
     * One measured case.
     *
     * @param name      what ran
     * @param device    where it ran
     * @param size      its size in words
     * @param millis    median milliseconds per run
     * @param rate      the rate in {@code unit}
     * @param unit      {@code GFLOP/s} or {@code GB/s}
     * @param evalsPerSecond particle evaluations per second, or 0 where that means nothing
     * @param baseline  the baseline case the rate compares with, or null for a baseline
     * @param ratio     rate / baseline rate, or NaN
     */
    public record Result(String name, String device, String size, double millis, double rate, String unit,
                         double evalsPerSecond, String baseline, double ratio) {
    }

    private QuickBenchmark() {
    }

    /**
     * Runs the cases on {@code device}.
     *
     * @param progress  receives a line before each case
     * @param cancelled polled between runs; when true the benchmark stops with a {@link CancellationException}
     */
    public static List<Result> run(ComputeDevice device, double secondsPerCase, Consumer<String> progress,
                                   BooleanSupplier cancelled) {
        if (!(secondsPerCase > 0) || secondsPerCase > 60) {
            throw new IllegalArgumentException("seconds per case must be in (0, 60], got " + secondsPerCase);
        }
        Random random = new Random(20240531L);
        List<Result> results = new ArrayList<>();

        progress.accept("sgemm baseline (ND4J, cpu)");
        double sgemm = sgemmBaseline(random, secondsPerCase, cancelled, results);
        progress.accept("memory copy baseline");
        double copy = copyBaseline(random, secondsPerCase, cancelled, results);
        progress.accept("MLP forward on " + device.name());
        mlpForward(device, random, secondsPerCase, cancelled, sgemm, results);
        progress.accept("LayerNorm on " + device.name());
        layerNorm(device, random, secondsPerCase, cancelled, copy, results);
        return results;
    }

    private static double sgemmBaseline(Random random, double seconds, BooleanSupplier cancelled, List<Result> out) {
        // The machine's sgemm: OpenBLAS on every core, whatever the cpu device set before.
        CpuDevice.setOpenBlasThreads(Runtime.getRuntime().availableProcessors());
        int m = MLP_BATCH;
        int k = MLP_WIDTH;
        int n = MLP_WIDTH;
        INDArray a = Nd4j.create(gaussian(random, m * k, 1), new long[] {m, k}, 'c');
        INDArray b = Nd4j.create(gaussian(random, k * n, 1), new long[] {k, n}, 'c');
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, m, n);
        double ms = time(() -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0), seconds, cancelled);
        double gflops = 2.0 * m * n * k / (ms * 1e6);
        out.add(new Result("sgemm (ND4J)", "cpu", m + "x" + k + " * " + k + "x" + n, ms, gflops, "GFLOP/s", 0, null,
                Double.NaN));
        return gflops;
    }

    private static double copyBaseline(Random random, double seconds, BooleanSupplier cancelled, List<Result> out) {
        int floats = NORM_ROWS * NORM_COLS;
        float[] src = gaussian(random, floats, 1);
        float[] dst = new float[floats];
        double ms = time(() -> System.arraycopy(src, 0, dst, 0, floats), seconds, cancelled);
        double gbs = 8.0 * floats / (ms * 1e6);
        out.add(new Result("copy (arraycopy)", "cpu", floats * 4 / (1024 * 1024) + " MiB read + written", ms, gbs,
                "GB/s", 0, null, Double.NaN));
        return gbs;
    }

    private static void mlpForward(ComputeDevice d, Random random, double seconds, BooleanSupplier cancelled,
                                   double sgemm, List<Result> out) {
        int[] dims = {2, MLP_WIDTH, MLP_WIDTH, MLP_WIDTH, 2};
        int batch = MLP_BATCH;
        List<DeviceBuffer> made = new ArrayList<>();
        try {
            DeviceBuffer[] w = new DeviceBuffer[4];
            DeviceBuffer[] b = new DeviceBuffer[4];
            DeviceBuffer[] h = new DeviceBuffer[5];
            h[0] = keep(made, d.upload(gaussian(random, batch * 2, 1)));
            long flopsPerParticle = 0;
            for (int l = 0; l < 4; l++) {
                w[l] = keep(made, d.upload(gaussian(random, dims[l] * dims[l + 1], 1 / Math.sqrt(dims[l]))));
                b[l] = keep(made, d.upload(gaussian(random, dims[l + 1], 0.1)));
                h[l + 1] = keep(made, d.allocate(batch * dims[l + 1]));
                flopsPerParticle += 2L * dims[l] * dims[l + 1];
            }
            double ms = time(() -> {
                for (int l = 0; l < 4; l++) {
                    if (l < 3) {
                        d.denseForward(h[l], w[l], b[l], Activation.SELU, null, h[l + 1], batch, dims[l], dims[l + 1]);
                    } else {
                        d.denseForward(h[l], w[l], b[l], h[l + 1], batch, dims[l], dims[l + 1]);
                    }
                }
                d.finish();
            }, seconds, cancelled);
            double gflops = flopsPerParticle * (double) batch / (ms * 1e6);
            out.add(new Result("MLP forward", d.name(), "2-" + MLP_WIDTH + "x3-2 selu, batch " + batch, ms, gflops,
                    "GFLOP/s", batch / (ms / 1e3), "sgemm (ND4J)", gflops / sgemm));
        } finally {
            made.forEach(d::free);
        }
    }

    private static void layerNorm(ComputeDevice d, Random random, double seconds, BooleanSupplier cancelled,
                                  double copy, List<Result> out) {
        int rows = NORM_ROWS;
        int cols = NORM_COLS;
        List<DeviceBuffer> made = new ArrayList<>();
        try {
            DeviceBuffer x = keep(made, d.upload(gaussian(random, rows * cols, 2)));
            DeviceBuffer g = keep(made, d.upload(gaussian(random, cols, 0.1)));
            DeviceBuffer beta = keep(made, d.upload(gaussian(random, cols, 0.1)));
            DeviceBuffer y = keep(made, d.allocate(rows * cols));
            DeviceBuffer mean = keep(made, d.allocate(rows));
            DeviceBuffer rstd = keep(made, d.allocate(rows));
            DeviceBuffer dy = keep(made, d.upload(gaussian(random, rows * cols, 1)));
            DeviceBuffer dx = keep(made, d.allocate(rows * cols));
            DeviceBuffer dg = keep(made, d.allocate(cols));
            DeviceBuffer db = keep(made, d.allocate(cols));
            double fwd = time(() -> {
                d.layerNormForward(x, g, beta, y, mean, rstd, rows, cols, 1e-5f);
                d.finish();
            }, seconds,
                    cancelled);
            double fwdGbs = 4.0 * (2.0 * rows * cols + 2.0 * cols + 2.0 * rows) / (fwd * 1e6);
            out.add(new Result("LayerNorm forward", d.name(), rows + " x " + cols, fwd, fwdGbs, "GB/s", 0,
                    "copy (arraycopy)", fwdGbs / copy));
            double bwd = time(() -> {
                d.layerNormBackward(x, g, mean, rstd, dy, dx, dg, db, rows, cols);
                d.finish();
            }, seconds,
                    cancelled);
            double bwdGbs = 4.0 * (3.0 * rows * cols + 3.0 * cols + 2.0 * rows) / (bwd * 1e6);
            out.add(new Result("LayerNorm backward", d.name(), rows + " x " + cols, bwd, bwdGbs, "GB/s", 0,
                    "copy (arraycopy)", bwdGbs / copy));
        } finally {
            made.forEach(d::free);
        }
    }

    private static DeviceBuffer keep(List<DeviceBuffer> made, DeviceBuffer b) {
        made.add(b);
        return b;
    }

    /**
     * Median milliseconds of {@code task} over at least 3 runs and about {@code seconds}, after
     * warm-up runs for about half that time (the JIT compiles the loops during the first runs).
     */
    static double time(Runnable task, double seconds, BooleanSupplier cancelled) {
        long budget = (long) (seconds * 1e9);
        long warmStart = System.nanoTime();
        int warmRuns = 0;
        while (warmRuns < 2 || (System.nanoTime() - warmStart < budget / 2 && warmRuns < 1000)) {
            check(cancelled);
            task.run();
            warmRuns++;
        }
        List<Double> times = new ArrayList<>();
        long start = System.nanoTime();
        while (times.size() < 3 || (System.nanoTime() - start < budget && times.size() < 1000)) {
            check(cancelled);
            long t0 = System.nanoTime();
            task.run();
            times.add((System.nanoTime() - t0) / 1e6);
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("benchmark cancelled");
        }
    }

    private static float[] gaussian(Random random, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (sigma * random.nextGaussian());
        }
        return a;
    }
}
