package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.EvoNormKind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * How much the statistics a normalization layer divides by move from batch to batch, measured by
 * running the layers in training mode over many batches of an {@link InputPreset} (PowerNorm's
 * Figure 1 measures the first row: batch statistics against BatchNorm's running statistics).
 *
 * <p>Every deviation is a root mean square over channels of a relative difference, averaged over
 * the batches after a burn-in (a quarter of them, at least 20) in which running estimates settle
 * and the warm-up of PowerNorm and Unified Normalization ends:
 * <ul>
 *   <li>{@code batch}: batch mean against the running mean, in running standard deviations,
 *       {@code (mu_B - mu) / sigma}; batch variance against the running variance,
 *       {@code (var_B - var) / var};</li>
 *   <li>{@code power}: the batch's quadratic mean against the running psi^2 it would replace;
 *       and the statistic the forward pass divides by (the running psi^2 of the previous
 *       iterations) against its value one batch earlier;</li>
 *   <li>{@code unified}: the variance its forward pass divides by (the geometric mean of the
 *       window) against the running variance;</li>
 *   <li>{@code batch-channel}: the estimated variance it divides by against its value one batch
 *       earlier;</li>
 *   <li>{@code evonorm-b0}: the batch variance its training forward pass divides by against
 *       its running variance (the instance variance is per sample);</li>
 *   <li>{@code group}: per-sample statistics, independent of the batch by construction (0; so
 *       for LayerNorm, RMSNorm and EvoNorm-S0).</li>
 * </ul>
 */
public final class BatchFluctuation {

    /** One measured deviation: its mean over the measured batches and the largest. */
    public record Row(String preset, String layer, String statistic, double mean, double max) {
    }

    private BatchFluctuation() {
    }

    /** Batches not measured while running estimates settle. */
    public static int burnIn(int batches) {
        return Math.max(20, batches / 4);
    }

    /**
     * Runs the layers over {@code batches} batches of {@code preset} and returns one row per
     * statistic. {@code progress} receives the number of batches done.
     */
    public static List<Row> measure(ComputeDevice device, InputPreset preset, int batches, long seed,
                                    IntConsumer progress) {
        int burn = burnIn(batches);
        if (batches <= burn) {
            throw new IllegalArgumentException("batches must be more than the burn-in of " + burn + ", got " + batches);
        }
        int n = preset.batch();
        int c = preset.channels();
        int s = preset.spatial();
        int groups = c % 4 == 0 ? 4 : 1;
        InputPreset.Source source = preset.source(seed);
        Accumulator bnMean = new Accumulator();
        Accumulator bnVar = new Accumulator();
        Accumulator psiBatch = new Accumulator();
        Accumulator psiUsed = new Accumulator();
        Accumulator unUsed = new Accumulator();
        Accumulator bcnUsed = new Accumulator();
        Accumulator gnBatch = new Accumulator();
        Accumulator evoVar = new Accumulator();
        DeviceBuffer x = device.allocate(n * c * s);
        DeviceBuffer y = device.allocate(n * c * s);
        DeviceBuffer mean = device.allocate(c);
        DeviceBuffer var = device.allocate(c);
        // PowerNorm on [N, C] tokens only for its group scaling; here it sees the raw statistics.
        try (BatchNorm bn = new BatchNorm(device, c);
             PowerNorm pn = new PowerNorm(device, c, 1e-5, 0.9, 0.9, burn, 0);
             UnifiedNorm un = new UnifiedNorm(device, c, 4, burn, false, 1e-5, 0.9);
             BatchChannelNorm bcn = new BatchChannelNorm(device, c, groups, 1e-5, 0.1);
             GroupNorm gn = new GroupNorm(device, c, groups, 1e-5);
             EvoNorm evo = new EvoNorm(device, EvoNormKind.B0, c, c, 1e-5, 0.1)) {
            for (int b = 0; b < batches; b++) {
                device.upload(source.next(), x);
                device.channelMoments(x, mean, var, n, c, s);
                float[] mu = device.download(mean);
                float[] v = device.download(var);
                double[] rm = bn.runningMean();
                double[] rv = bn.runningVar();
                double[] phi = pn.runningPhi();
                double[] unRunning = un.runningVar();
                double[] bcnBefore = bcn.runningVar();
                double[] evoRunning = evo.runningVar();
                bn.forward(x, y, n, s);
                pn.forward(x, y, n, s);
                un.forward(x, y, n, s);
                bcn.forward(x, y, n, s);
                gn.forward(x, y, n, s);
                evo.forward(x, y, n, s);
                if (b >= burn) {
                    double[] dMean = new double[c];
                    double[] dVar = new double[c];
                    double[] dPsi = new double[c];
                    double[] dEvo = new double[c];
                    double[] square = new double[c];
                    for (int i = 0; i < c; i++) {
                        dMean[i] = (mu[i] - rm[i]) / Math.sqrt(rv[i]);
                        dVar[i] = (v[i] - rv[i]) / rv[i];
                        square[i] = v[i] + (double) mu[i] * mu[i];
                        dPsi[i] = (square[i] - phi[i]) / phi[i];
                        dEvo[i] = (v[i] - evoRunning[i]) / evoRunning[i];
                    }
                    bnMean.add(rms(dMean));
                    bnVar.add(rms(dVar));
                    psiBatch.add(rms(dPsi));
                    psiUsed.add(relativeRms(pn.runningPhi(), phi));
                    unUsed.add(relativeRms(un.lastVariance(), unRunning));
                    bcnUsed.add(relativeRms(bcn.runningVar(), bcnBefore));
                    gnBatch.add(0);
                    evoVar.add(rms(dEvo));
                }
                if (progress != null) {
                    progress.accept(b + 1);
                }
            }
        } finally {
            for (DeviceBuffer buffer : List.of(x, y, mean, var)) {
                device.free(buffer);
            }
        }
        String p = preset.id();
        List<Row> rows = new ArrayList<>();
        rows.add(bnMean.row(p, "batch", "batch mean vs running mean (in running sd)"));
        rows.add(bnVar.row(p, "batch", "batch variance vs running variance"));
        rows.add(psiBatch.row(p, "power", "batch quadratic mean vs running psi^2"));
        rows.add(psiUsed.row(p, "power", "psi^2 it divides by, step to step"));
        rows.add(unUsed.row(p, "unified", "variance it divides by vs running variance"));
        rows.add(bcnUsed.row(p, "batch-channel", "estimated variance it divides by, step to step"));
        rows.add(evoVar.row(p, "evonorm-b0", "batch variance it divides by vs running variance"));
        rows.add(gnBatch.row(p, "group", "per-sample statistics: no batch dependence"));
        return rows;
    }

    private static double rms(double[] d) {
        double ss = 0;
        for (double v : d) {
            ss += v * v;
        }
        return Math.sqrt(ss / d.length);
    }

    /** RMS over channels of (a - b) / b. */
    private static double relativeRms(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = (a[i] - b[i]) / b[i];
        }
        return rms(d);
    }

    private static final class Accumulator {
        private double sum;
        private double max;
        private int count;

        void add(double v) {
            sum += v;
            max = Math.max(max, v);
            count++;
        }

        Row row(String preset, String layer, String statistic) {
            return new Row(preset, layer, statistic, sum / count, max);
        }
    }
}
