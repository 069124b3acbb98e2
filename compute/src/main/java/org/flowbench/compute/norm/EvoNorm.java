package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.EvoNormKind;
import org.flowbench.compute.device.RowReduction;

/**
 * EvoNorm-B0 and EvoNorm-S0 (Liu et al. 2020, "Evolving Normalization-Activation Layers"):
 * normalization and activation in one layer, with a learned per-channel {@code v}.
 * <ul>
 *   <li>B0: {@code y = x / max(sqrt(var_B + eps), v x + sqrt(var_nc + eps)) gamma + beta}, var_B
 *       the channel's batch variance (the running variance in evaluation, updated as BatchNorm's
 *       with momentum 0.1 and the unbiased batch variance), var_nc the variance of the sample's
 *       channel over its spatial positions;</li>
 *   <li>S0: {@code y = x sigmoid(v x) / sqrt(var_ng + eps) gamma + beta}, var_ng the variance of
 *       the sample's group of channels ({@code groups}, 32 in the paper) over channels and
 *       spatial positions.</li>
 * </ul>
 * Both backward passes are exact, through every variance (the batch variance only in training).
 * {@code v} starts at 1, gamma at 1, beta at 0.
 */
public final class EvoNorm extends AbstractNormLayer {

    private final EvoNormKind kind;
    private final int groups;
    private final float eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter v;
    private final double[] runningVar;
    private final DeviceBuffer mean;
    private final DeviceBuffer var;
    private final DeviceBuffer channelStat;
    private final DeviceBuffer channelScale;
    private final DeviceBuffer channelOnes;
    private final DeviceBuffer channelSum;
    private DeviceBuffer rowStat;
    private DeviceBuffer rowMean;
    private DeviceBuffer rowScale;
    private DeviceBuffer rowOnes;
    private DeviceBuffer rowSum;
    private DeviceBuffer u;
    private DeviceBuffer g;
    private DeviceBuffer dvTerm;
    private DeviceBuffer rowTerm;
    private DeviceBuffer channelTerm;
    private double[] batchStd;
    private double[] rowValues;

    /**
     * @param groups for S0 the channel groups (must divide channels); ignored for B0, whose rows
     *               are single channels
     */
    public EvoNorm(ComputeDevice device, EvoNormKind kind, int channels, int groups, double eps, double momentum) {
        super(device, channels);
        if (kind == null) {
            throw new IllegalArgumentException("EvoNorm kind is null");
        }
        this.kind = kind;
        this.groups = kind == EvoNormKind.B0 ? channels : checkGroups(channels, groups);
        this.eps = checkEps(eps);
        this.momentum = checkFraction(momentum, "momentum");
        weight = parameter("weight", channels, 1f);
        bias = parameter("bias", channels, 0f);
        v = parameter("v", channels, 1f);
        runningVar = new double[channels];
        java.util.Arrays.fill(runningVar, 1);
        mean = buffer(channels);
        var = buffer(channels);
        channelStat = buffer(channels);
        channelScale = buffer(channels);
        channelOnes = buffer(channels);
        device.fill(channelOnes, 1f);
        channelSum = buffer(channels);
    }

    @Override
    public String name() {
        return kind == EvoNormKind.B0 ? "evonorm-b0" : "evonorm-s0";
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public Parameter v() {
        return v;
    }

    public double[] runningVar() {
        return runningVar.clone();
    }

    @Override
    public void forward(DeviceBuffer x, DeviceBuffer y, int batch, int spatial) {
        int n = Math.multiplyExact(Math.multiplyExact(batch, channels), spatial);
        int rows = Math.multiplyExact(batch, groups);
        int rowLength = channels / groups * spatial;
        u = resized(u, n);
        rowStat = resized(rowStat, rows);
        rowMean = resized(rowMean, rows);
        DeviceBuffer rowVar = resized(rowScale, rows);
        rowScale = rowVar;
        device.reduceRows(RowReduction.VARIANCE, x, rowVar, rows, rowLength);
        device.reduceRows(RowReduction.MEAN, x, rowMean, rows, rowLength);
        rowValues = read(rowVar);
        for (int r = 0; r < rows; r++) {
            double std = Math.sqrt(rowValues[r] + eps);
            rowValues[r] = kind == EvoNormKind.B0 ? std : 1 / std;
        }
        write(rowValues, rowStat);
        DeviceBuffer cs = null;
        if (kind == EvoNormKind.B0) {
            batchStd = new double[channels];
            if (isTraining()) {
                long m = perChannel(batch, spatial);
                if (m < 2) {
                    throw new IllegalArgumentException("EvoNorm-B0 in training needs more than one value per channel, got "
                            + batch + " x " + spatial);
                }
                device.channelMoments(x, mean, var, batch, channels, spatial);
                double[] bv = read(var);
                for (int c = 0; c < channels; c++) {
                    batchStd[c] = Math.sqrt(bv[c] + eps);
                    runningVar[c] = (1 - momentum) * runningVar[c] + momentum * bv[c] * m / (m - 1);
                }
            } else {
                for (int c = 0; c < channels; c++) {
                    batchStd[c] = Math.sqrt(runningVar[c] + eps);
                }
            }
            write(batchStd, channelStat);
            cs = channelStat;
        }
        device.evoNormForward(kind, x, v.value(), rowStat, cs, u, batch, channels, spatial, groups);
        device.channelNormalize(u, null, weight.value(), bias.value(), y, batch, channels, spatial);
        forwardDone(batch, spatial);
    }

    @Override
    public void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int batch, int spatial) {
        boolean trained = backwardOf(batch, spatial);
        int n = batch * channels * spatial;
        int rows = batch * groups;
        int rowLength = channels / groups * spatial;
        boolean b0 = kind == EvoNormKind.B0;
        g = resized(g, n);
        dvTerm = resized(dvTerm, n);
        rowTerm = resized(rowTerm, n);
        rowSum = resized(rowSum, rows);
        rowOnes = resized(rowOnes, rows);
        device.fill(rowOnes, 1f);
        boolean batchStatistic = b0 && trained;
        if (batchStatistic) {
            channelTerm = resized(channelTerm, n);
        }
        device.channelGradientSums(u, null, dy, bias.gradient(), weight.gradient(), batch, channels, spatial);
        device.channelNormalizeBackward(dy, null, dy, weight.value(), null, null, g, batch, channels, spatial);
        device.evoNormBackward(kind, x, v.value(), rowStat, b0 ? channelStat : null, g, dx, dvTerm, rowTerm,
                batchStatistic ? channelTerm : null, batch, channels, spatial, groups);
        device.channelGradientSums(dvTerm, null, dvTerm, v.gradient(), null, batch, channels, spatial);
        // Through the row variance: d var_row / dx = 2 (x - mean_row) / rowLength.
        if (rowLength > 1) {
            device.reduceRows(RowReduction.SUM, rowTerm, rowSum, rows, rowLength);
            double[] dStat = read(rowSum);
            double[] k = new double[rows];
            for (int r = 0; r < rows; r++) {
                double s = rowValues[r];
                // B0's row statistic is the std sigma (d sigma / d var = 1 / (2 sigma)); S0's is 1 / sigma (-1 / (2 sigma^3)).
                k[r] = b0 ? dStat[r] / (s * rowLength) : -dStat[r] * s * s * s / rowLength;
            }
            write(k, rowScale);
            device.channelNormalizeBackward(x, rowMean, dx, rowOnes, rowScale, null, dx, 1, rows, rowLength);
        }
        if (batchStatistic) {
            device.channelGradientSums(channelTerm, null, channelTerm, channelSum, null, batch, channels, spatial);
            double[] dA = read(channelSum);
            double m = perChannel(batch, spatial);
            double[] k = new double[channels];
            for (int c = 0; c < channels; c++) {
                k[c] = dA[c] / (batchStd[c] * m);
            }
            write(k, channelScale);
            device.channelNormalizeBackward(x, mean, dx, channelOnes, channelScale, null, dx, batch, channels,
                    spatial);
        }
    }
}
