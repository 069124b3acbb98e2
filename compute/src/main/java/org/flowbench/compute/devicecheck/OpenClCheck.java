package org.flowbench.compute.devicecheck;

import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.DeviceFailureException;
import org.flowbench.compute.device.DeviceInfo;
import org.flowbench.compute.device.opencl.KernelProfile;
import org.flowbench.compute.device.opencl.OpenClDevice;
import org.flowbench.compute.device.opencl.OpenClDevices;
import org.flowbench.compute.lm.LmBatch;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmOptimizerConfig;
import org.flowbench.compute.lm.LmTrainer;
import org.flowbench.compute.lm.Placement;
import org.flowbench.compute.lm.TransformerLm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code OpenClCheck devices|bench|lm|pool [--small] [--seconds S]}: one part of the GPU check,
 * printing each result as soon as it is measured. {@code --small} shrinks every size so the
 * check runs on a CPU OpenCL driver in seconds; {@code --seconds} is the measuring time per case.
 *
 * <p>Rates: GEMM counts 2 m n k flops; copy and the norm layers count the bytes they must read
 * and write once (copy: 8 per float; norm forward: x read and y written; norm backward: x and dy
 * read, dx written).
 */
public final class OpenClCheck {

    private final boolean small;
    private final double seconds;
    /** The device the timings wait for. */
    private OpenClDevice timed;

    private OpenClCheck(boolean small, double seconds) {
        this.small = small;
        this.seconds = seconds;
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            usage();
        }
        boolean small = false;
        double seconds = 1.0;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--small")) {
                small = true;
            } else if (args[i].equals("--seconds") && i + 1 < args.length) {
                seconds = Double.parseDouble(args[++i]);
                if (!(seconds > 0) || seconds > 60) {
                    System.err.println("--seconds must be in (0, 60], got " + args[i]);
                    System.exit(2);
                }
            } else {
                usage();
            }
        }
        OpenClCheck check = new OpenClCheck(small, seconds);
        switch (args[0]) {
            case "devices" -> check.devices();
            case "bench" -> check.bench();
            case "lm" -> check.lm();
            case "pool" -> check.pool();
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: OpenClCheck devices|bench|lm|pool [--small] [--seconds S]");
        System.exit(2);
    }

    private void devices() {
        List<DeviceInfo> list = OpenClDevices.list();
        if (list.isEmpty()) {
            System.out.println("no OpenCL device: " + OpenClDevices.unavailableReason());
            System.exit(1);
        }
        for (int i = 0; i < list.size(); i++) {
            System.out.println("opencl:" + i + "  " + list.get(i).description());
        }
        System.out.println("preferred: opencl:" + OpenClDevices.preferred());
        try (OpenClDevice d = OpenClDevices.open(OpenClDevices.preferred())) {
            System.out.println("launcher: " + d.launcher());
            System.out.println("kernel: " + d.kernelLimits());
            System.out.println(d.name() + " runs on OpenCL: " + d.isRunningOpenCl() + "; work-group kernels: " + d.usesGroupKernels() + "; pool limit "
                    + ((long) d.maxPoolFloats() * Float.BYTES >> 20) + " MiB");
        }
    }

    private OpenClDevice open() {
        if (OpenClDevices.list().isEmpty()) {
            System.out.println("no OpenCL device: " + OpenClDevices.unavailableReason());
            System.exit(1);
        }
        timed = OpenClDevices.open(OpenClDevices.preferred());
        return timed;
    }

    /** A second device on the preferred one, opened with the boolean system property {@code property} true. */
    private static OpenClDevice openWith(String property) {
        System.setProperty(property, "true");
        try {
            return OpenClDevices.open(OpenClDevices.preferred());
        } finally {
            System.clearProperty(property);
        }
    }

    // ----------------------------------------------------------------------------------------

    private void bench() {
        try (OpenClDevice d = open()) {
            System.out.println("launcher: " + d.launcher());
            System.out.println("device: " + d.name() + " " + d.info().description() + "; work-group kernels: "
                    + d.usesGroupKernels() + "; products of 128 x 128 and more in " + (d.usesLargeGemmTiles() ? "128" : "64")
                    + " x " + (d.usesLargeGemmTiles() ? "128" : "64") + " tiles");
            for (int size : small ? new int[] {256, 512} : new int[] {1024, 4096}) {
                gemm(d, size, "");
            }
            if (d.usesGroupKernels()) {
                // The other tile size at the largest product, so one run can pick the faster.
                boolean large = d.usesLargeGemmTiles();
                d.useLargeGemmTiles(!large);
                gemm(d, small ? 512 : 4096, large ? ", 64x64 tiles" : ", 128x128 tiles");
                d.useLargeGemmTiles(large);
                pipelinedGemm(d, small ? 512 : 4096);
            }
            latency(d);
            // Each size twice: as before, and larger (copy and norms twice the bytes, fill four
            // times), where the launch latency weighs less; the pool holds 2047 MiB at most.
            copy(d, small ? 1 << 20 : 1 << 26);
            copy(d, small ? 1 << 22 : 1 << 27);
            fill(d, small ? 1 << 23 : 1 << 28);
            int cols = 1024;
            norms(d, small ? 1024 : 65536, cols);
            norms(d, small ? 4096 : 131072, cols);
            channels(d, small ? 64 : 256, 256, small ? 64 : 256);
        }
    }

    /**
     * The 128 x 128 product in its GPU form ({@link OpenClDevice#PIPELINED_GEMM_PROPERTY}), on a
     * second device of the same card opened with it, so one run times both forms.
     */
    private void pipelinedGemm(OpenClDevice d, int n) {
        if (!d.launchesDirectly() || Boolean.getBoolean(OpenClDevice.PIPELINED_GEMM_PROPERTY)) {
            return;
        }
        try (OpenClDevice pipelined = openWith(OpenClDevice.PIPELINED_GEMM_PROPERTY)) {
            timed = pipelined;
            pipelined.useLargeGemmTiles(true);
            gemm(pipelined, n, ", 128x128 tiles pipelined");
        } finally {
            timed = d;
        }
    }

    private void gemm(OpenClDevice d, int n, String variant) {
        List<DeviceBuffer> made = new ArrayList<>();
        try {
            Random random = new Random(1);
            DeviceBuffer x = keep(made, d.upload(gaussian(random, n * n)));
            DeviceBuffer w = keep(made, d.upload(gaussian(random, n * n)));
            DeviceBuffer b = keep(made, d.upload(gaussian(random, n)));
            DeviceBuffer y = keep(made, d.allocate(n * n));
            DeviceBuffer dx = keep(made, d.allocate(n * n));
            DeviceBuffer dw = keep(made, d.allocate(n * n));
            double flops = 2.0 * n * n * n;
            double ms = time(() -> d.denseForward(x, w, b, y, n, n, n));
            report("dense forward (GEMM) " + n + "^3" + variant, ms, flops / ms / 1e9, "TFLOP/s");
            ms = time(() -> d.denseBackward(x, w, y, dx, null, null, n, n, n));
            report("dense backward dx " + n + "^3" + variant, ms, flops / ms / 1e9, "TFLOP/s");
            ms = time(() -> d.denseBackward(x, w, y, null, dw, null, n, n, n));
            report("dense backward dw " + n + "^3" + variant, ms, flops / ms / 1e9, "TFLOP/s");
            ms = time(() -> d.batchedMatmul(x, false, w, false, y, 1, n, n, n, 1f));
            report("batched matmul NN " + n + "^3" + variant, ms, flops / ms / 1e9, "TFLOP/s");
        } finally {
            made.forEach(d::free);
        }
    }

    /**
     * What one launch costs whatever it does: a fill of 64 floats (one work-group), timed from the
     * call to its return. Aparapi's execute waits for each kernel to finish, so every launch pays
     * this enqueue-to-completion latency; the rates above and below include it (nothing is
     * subtracted), and this line says how much of each time it can be.
     */
    private void latency(OpenClDevice d) {
        DeviceBuffer tiny = d.allocate(64);
        try {
            double ms = time(() -> d.fill(tiny, 1f));
            System.out.printf(Locale.ROOT, "%-60s %10.3f ms  %9.1f us per launch%n",
                    "launch latency (fill of 64 floats, one work-group)", ms, ms * 1e3);
            // Back to back, as a training step launches: the direct launcher queues without waiting.
            int burst = 1000;
            double burstMs = time(() -> {
                for (int i = 0; i < burst; i++) {
                    d.fill(tiny, 1f);
                }
            });
            System.out.printf(Locale.ROOT, "%-60s %10.3f ms  %9.1f us per launch%n",
                    "launch rate (" + burst + " fills of 64 floats back to back)", burstMs, burstMs * 1e3 / burst);
            System.out.flush();
        } finally {
            d.free(tiny);
        }
    }

    /** A fill alone, of a buffer of {@code floats}. */
    private void fill(OpenClDevice d, int floats) {
        DeviceBuffer a = d.allocate(floats);
        try {
            double ms = time(() -> d.fill(a, 0.25f));
            report("device fill " + (floats * 4L >> 20) + " MiB", ms, 4.0 * floats / ms / 1e6, "GB/s");
        } finally {
            d.free(a);
        }
    }

    private void copy(OpenClDevice d, int floats) {
        List<DeviceBuffer> made = new ArrayList<>();
        try {
            DeviceBuffer a = keep(made, d.allocate(floats));
            DeviceBuffer b = keep(made, d.allocate(floats));
            d.fill(a, 1.5f);
            double ms = time(() -> d.copy(a, b));
            report("device copy " + (floats * 4L >> 20) + " MiB", ms, 8.0 * floats / ms / 1e6, "GB/s");
            ms = time(() -> d.fill(b, 0.25f));
            report("device fill " + (floats * 4L >> 20) + " MiB", ms, 4.0 * floats / ms / 1e6, "GB/s");
        } finally {
            made.forEach(d::free);
        }
    }

    private void norms(OpenClDevice d, int rows, int cols) {
        List<DeviceBuffer> made = new ArrayList<>();
        try {
            Random random = new Random(2);
            int n = rows * cols;
            DeviceBuffer x = keep(made, d.upload(gaussian(random, n)));
            DeviceBuffer dy = keep(made, d.upload(gaussian(random, n)));
            DeviceBuffer y = keep(made, d.allocate(n));
            // dx takes y's place (the backward reads no y): three row buffers, so that twice the
            // rows still fit the pool.
            DeviceBuffer dx = y;
            DeviceBuffer g = keep(made, d.upload(gaussian(random, cols)));
            DeviceBuffer beta = keep(made, d.upload(gaussian(random, cols)));
            DeviceBuffer dg = keep(made, d.allocate(cols));
            DeviceBuffer db = keep(made, d.allocate(cols));
            DeviceBuffer mean = keep(made, d.allocate(rows));
            DeviceBuffer rstd = keep(made, d.allocate(rows));
            String shape = rows + " x " + cols;
            double ms = time(() -> d.layerNormForward(x, g, beta, y, mean, rstd, rows, cols, 1e-5f));
            report("LayerNorm forward " + shape, ms, 8.0 * n / ms / 1e6, "GB/s");
            ms = time(() -> d.layerNormBackward(x, g, mean, rstd, dy, dx, dg, db, rows, cols));
            report("LayerNorm backward " + shape + " (dx, dgamma, dbeta)", ms, 12.0 * n / ms / 1e6, "GB/s");
            ms = time(() -> d.layerNormBackward(x, g, mean, rstd, dy, dx, null, null, rows, cols));
            report("LayerNorm backward " + shape + " (dx only)", ms, 12.0 * n / ms / 1e6, "GB/s");
            ms = time(() -> d.rmsNormForward(x, g, y, rstd, rows, cols, 1e-5f));
            report("RMSNorm forward " + shape, ms, 8.0 * n / ms / 1e6, "GB/s");
            ms = time(() -> d.rmsNormBackward(x, g, rstd, dy, dx, dg, rows, cols));
            report("RMSNorm backward " + shape + " (dx, dgamma)", ms, 12.0 * n / ms / 1e6, "GB/s");
        } finally {
            made.forEach(d::free);
        }
    }

    /** The batch-statistics primitives behind BatchNorm, PowerNorm and GroupNorm, on [batch, channels, spatial]. */
    private void channels(OpenClDevice d, int batch, int channels, int spatial) {
        List<DeviceBuffer> made = new ArrayList<>();
        try {
            Random random = new Random(3);
            int n = batch * channels * spatial;
            DeviceBuffer x = keep(made, d.upload(gaussian(random, n)));
            DeviceBuffer dy = keep(made, d.upload(gaussian(random, n)));
            DeviceBuffer y = keep(made, d.allocate(n));
            DeviceBuffer dx = keep(made, d.allocate(n));
            DeviceBuffer mean = keep(made, d.allocate(channels));
            DeviceBuffer var = keep(made, d.allocate(channels));
            DeviceBuffer scale = keep(made, d.upload(gaussian(random, channels)));
            DeviceBuffer shift = keep(made, d.upload(gaussian(random, channels)));
            DeviceBuffer s1 = keep(made, d.allocate(channels));
            DeviceBuffer s2 = keep(made, d.allocate(channels));
            String shape = batch + " x " + channels + " x " + spatial;
            double ms = time(() -> {
                d.channelMoments(x, mean, var, batch, channels, spatial);
                d.channelNormalize(x, mean, scale, shift, y, batch, channels, spatial);
            });
            report("BatchNorm forward (moments + normalize) " + shape, ms, 8.0 * n / ms / 1e6, "GB/s");
            ms = time(() -> {
                d.channelGradientSums(x, mean, dy, s1, s2, batch, channels, spatial);
                d.channelNormalizeBackward(x, mean, dy, scale, s1, s2, dx, batch, channels, spatial);
            });
            report("BatchNorm backward (sums + dx) " + shape, ms, 12.0 * n / ms / 1e6, "GB/s");
        } finally {
            made.forEach(d::free);
        }
    }

    // ----------------------------------------------------------------------------------------

    /** Training steps of the 12-layer, width-128, context-64, batch-16 Pre-LN model (4 heads, 256 tokens). */
    private void lm() {
        int layers = small ? 2 : 12;
        int batch = small ? 4 : 16;
        int seq = 64;
        LmConfig config = LmConfig.of(256, seq, 128, 4, layers, Placement.PRE);
        try (OpenClDevice d = open();
             TransformerLm model = new TransformerLm(d, config, 7L);
             LmTrainer trainer = new LmTrainer(model, LmOptimizerConfig.adamW(1e-3f, 0, 100_000))) {
            Random random = new Random(4);
            int[] tokens = new int[batch * seq];
            int[] targets = new int[batch * seq];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = random.nextInt(256);
                targets[i] = random.nextInt(256);
            }
            LmBatch lmBatch = new LmBatch(tokens, targets, batch, seq);
            double first = trainer.step(lmBatch, null);
            // Counted on the second step: the first also allocates (and zeroes) the model's work buffers.
            long launches0 = d.launches();
            trainer.step(lmBatch, null);
            long launchesPerStep = d.launches() - launches0;
            double[] last = new double[1];
            double ms = time(() -> last[0] = trainer.step(lmBatch, null));
            System.out.printf(Locale.ROOT, "Transformer training step (%s, batch %d, AdamW): %.2f ms/step,"
                            + " %d kernel launches/step, loss %.4f -> %.4f after %d steps%n", config.describe(), batch, ms,
                    launchesPerStep, first, last[0], trainer.steps());
            if (d.launchesDirectly() && !Boolean.getBoolean(OpenClDevice.PROFILE_KERNELS_PROPERTY)) {
                profileSteps(config, lmBatch, ms);
            }
        }
    }

    /** Steps the profiled device records, after two that it does not. */
    private static final int PROFILED_STEPS = 5;

    /**
     * The same model's steps once more on a second device of the same card that records each
     * launch's device time ({@link OpenClDevice#PROFILE_KERNELS_PROPERTY}): where a step's device
     * time goes, kernel by kernel, and how much of the step's wall time ({@code stepMs}, timed on
     * the device without profiling) no kernel runs in: launch gaps and host work.
     */
    private void profileSteps(LmConfig config, LmBatch lmBatch, double stepMs) {
        try (OpenClDevice profiled = openWith(OpenClDevice.PROFILE_KERNELS_PROPERTY);
             TransformerLm model = new TransformerLm(profiled, config, 7L);
             LmTrainer trainer = new LmTrainer(model, LmOptimizerConfig.adamW(1e-3f, 0, 100_000))) {
            trainer.step(lmBatch, null);
            trainer.step(lmBatch, null);
            long start = System.nanoTime();
            KernelProfile profile = profiled.profileKernels(() -> {
                for (int i = 0; i < PROFILED_STEPS; i++) {
                    trainer.step(lmBatch, null);
                }
            });
            double wallMs = (System.nanoTime() - start) / 1e6 / PROFILED_STEPS;
            double kernelMs = profile.nanos() / 1e6 / PROFILED_STEPS;
            System.out.printf(Locale.ROOT, "kernel device time per training step (%d steps on a queue recording launch"
                    + " times):%n%s", PROFILED_STEPS, profile.table(PROFILED_STEPS, 15));
            System.out.printf(Locale.ROOT, "Transformer step device time: %.2f ms in kernels of %.2f ms wall a step while"
                            + " recording (%.0f%%; the rest is launch gaps and host work); %.2f ms a step unrecorded%n",
                    kernelMs, wallMs, 100 * kernelMs / wallMs, stepMs);
        }
    }

    // ----------------------------------------------------------------------------------------

    /**
     * LayerNorm at 65536 x 1024 with more than 1 GiB live, then 256 MiB buffers until the pool is
     * full: the refusal must be an out-of-memory and the device must keep working.
     */
    private void pool() {
        int rows = 65536;
        int cols = 1024;
        int n = rows * cols;
        try (OpenClDevice d = open()) {
            System.out.println("pool limit " + ((long) d.maxPoolFloats() * Float.BYTES >> 20) + " MiB");
            List<DeviceBuffer> made = new ArrayList<>();
            DeviceBuffer x = keep(made, d.allocate(n));
            DeviceBuffer y = keep(made, d.allocate(n));
            DeviceBuffer dy = keep(made, d.allocate(n));
            DeviceBuffer dx = keep(made, d.allocate(n));
            DeviceBuffer mean = keep(made, d.allocate(rows));
            DeviceBuffer rstd = keep(made, d.allocate(rows));
            float[] ramp = new float[cols];
            for (int i = 0; i < cols; i++) {
                ramp[i] = i;
            }
            for (int r = 0; r < rows; r += rows / 8) {
                d.upload(ramp, 0, x, r * cols, cols);
            }
            d.fill(dy, 1f);
            d.layerNormForward(x, null, null, y, mean, rstd, rows, cols, 1e-5f);
            d.layerNormBackward(x, null, mean, rstd, dy, dx, null, null, rows, cols);
            float[] row = new float[cols];
            d.download(y, 0, row, 0, cols);
            double expectedLast = (cols - 1 - (cols - 1) / 2.0) / Math.sqrt((cols * (double) cols - 1) / 12.0);
            System.out.printf(Locale.ROOT, "live %d MiB (pool %d MiB): LayerNorm %d x %d ran; y[0, %d] = %.5f"
                            + " (exact %.5f)%n", d.poolUsage()[1] * 4 >> 20, d.poolUsage()[0] * 4 >> 20, rows, cols,
                    cols - 1, row[cols - 1], expectedLast);
            boolean ok = Math.abs(row[cols - 1] - expectedLast) < 1e-3 && d.poolUsage()[1] * 4L > (1L << 30);
            String refusal = null;
            for (int i = 0; i < 64 && refusal == null; i++) {
                try {
                    keep(made, d.allocate(n));
                    System.out.printf(Locale.ROOT, "live %d MiB (pool %d MiB)%n", d.poolUsage()[1] * 4 >> 20,
                            d.poolUsage()[0] * 4 >> 20);
                } catch (DeviceFailureException e) {
                    refusal = e.getMessage();
                    ok &= e.isOutOfMemory();
                    System.out.println("refused as " + (e.isOutOfMemory() ? "out of memory" : "DEVICE FAILURE") + ": "
                            + e.getMessage());
                }
            }
            d.fill(y, 0.5f);
            d.download(y, n - cols, row, 0, cols);
            ok &= row[cols - 1] == 0.5f && d.isRunningOpenCl() && d.poolUsage()[0] * 4L < (1L << 31);
            System.out.println("device still runs on OpenCL after the refusal: " + d.isRunningOpenCl());
            made.forEach(d::free);
            System.out.println("pool check: " + (ok ? "PASS" : "FAIL"));
            if (!ok) {
                System.exit(1);
            }
        }
    }

    // ----------------------------------------------------------------------------------------

    private static void report(String what, double ms, double rate, String unit) {
        System.out.printf(Locale.ROOT, "%-60s %10.3f ms  %9.2f %s%n", what, ms, rate, unit);
        System.out.flush();
    }

    private static DeviceBuffer keep(List<DeviceBuffer> made, DeviceBuffer b) {
        made.add(b);
        return b;
    }

    /** Median milliseconds of {@code task} over at least 3 runs and about {@link #seconds}, after 2 warm-up runs. */
    /**
     * Median milliseconds of {@code task}, each run timed from its call until the device has
     * finished it (the direct launcher returns before the kernels have run).
     */
    private double time(Runnable task) {
        task.run();
        task.run();
        timed.finish();
        List<Double> times = new ArrayList<>();
        long start = System.nanoTime();
        long budget = (long) (seconds * 1e9);
        while (times.size() < 3 || (System.nanoTime() - start < budget && times.size() < 200)) {
            long t0 = System.nanoTime();
            task.run();
            timed.finish();
            times.add((System.nanoTime() - t0) / 1e6);
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    private static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
