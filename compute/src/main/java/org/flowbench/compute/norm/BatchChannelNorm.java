package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * Batch-Channel Normalization (Qiao et al. 2019, "Micro-Batch Training with Batch-Channel
 * Normalization and Weight Standardization"), the micro-batch form of its official code
 * ({@code BCNorm} with {@code EstBN}):
 * <ol>
 *   <li>the batch part normalises each channel with <em>estimated</em> statistics: in training
 *       the running mean and variance move first, {@code mu <- (1 - v) mu + v mean(x)},
 *       {@code sigma^2 <- (1 - v) sigma^2 + v mean((x - mu_old)^2)} with moving speed v, then
 *       {@code b = gamma_c (x - mu) / sqrt(sigma^2 + 1e-5) + beta_c}; the estimates are
 *       constants for the gradient;</li>
 *   <li>the channel part normalises each sample's groups of channels (GroupNorm without
 *       per-channel affine) and applies one weight and bias per group.</li>
 * </ol>
 * Evaluation skips the update of the estimates.
 */
public final class BatchChannelNorm extends AbstractNormLayer {

    /** EstBN's epsilon, fixed in the official code. */
    static final double BATCH_EPS = 1e-5;

    private final int groups;
    private final float eps;
    private final double movingSpeed;
    private final Parameter channelWeight;
    private final Parameter channelBias;
    private final Parameter groupWeight;
    private final Parameter groupBias;
    private final double[] runningMean;
    private final double[] runningVar;
    private final DeviceBuffer mean;
    private final DeviceBuffer var;
    private final DeviceBuffer center;
    private final DeviceBuffer scale;
    private final DeviceBuffer sumDyX;
    private DeviceBuffer batchOut;
    private DeviceBuffer xhat;
    private DeviceBuffer rowMean;
    private DeviceBuffer rowRstd;
    private double[] rstd;

    public BatchChannelNorm(ComputeDevice device, int channels, int groups, double eps, double movingSpeed) {
        super(device, channels);
        this.groups = checkGroups(channels, groups);
        this.eps = checkEps(eps);
        this.movingSpeed = checkFraction(movingSpeed, "moving speed");
        channelWeight = parameter("batch.weight", channels, 1f);
        channelBias = parameter("batch.bias", channels, 0f);
        groupWeight = parameter("group.weight", groups, 1f);
        groupBias = parameter("group.bias", groups, 0f);
        runningMean = new double[channels];
        runningVar = new double[channels];
        java.util.Arrays.fill(runningVar, 1);
        mean = buffer(channels);
        var = buffer(channels);
        center = buffer(channels);
        scale = buffer(channels);
        sumDyX = buffer(channels);
    }

    @Override
    public String name() {
        return "batch-channel";
    }

    public double[] runningMean() {
        return runningMean.clone();
    }

    public double[] runningVar() {
        return runningVar.clone();
    }

    @Override
    public void forward(DeviceBuffer x, DeviceBuffer y, int batch, int spatial) {
        if (isTraining()) {
            device.channelMoments(x, mean, var, batch, channels, spatial);
            double[] mu = read(mean);
            double[] v = read(var);
            for (int c = 0; c < channels; c++) {
                // mean((x - mu_old)^2) = var + (mean - mu_old)^2, without cancellation.
                double d = mu[c] - runningMean[c];
                double centred = v[c] + d * d;
                runningMean[c] = (1 - movingSpeed) * runningMean[c] + movingSpeed * mu[c];
                runningVar[c] = (1 - movingSpeed) * runningVar[c] + movingSpeed * centred;
            }
        }
        rstd = new double[channels];
        double[] g = read(channelWeight.value());
        double[] s = new double[channels];
        for (int c = 0; c < channels; c++) {
            rstd[c] = 1 / Math.sqrt(runningVar[c] + BATCH_EPS);
            s[c] = g[c] * rstd[c];
        }
        write(runningMean, center);
        write(s, scale);
        int n = Math.multiplyExact(Math.multiplyExact(batch, channels), spatial);
        int rows = batch * groups;
        int cols = channels / groups * spatial;
        batchOut = resized(batchOut, n);
        xhat = resized(xhat, n);
        rowMean = resized(rowMean, rows);
        rowRstd = resized(rowRstd, rows);
        device.channelNormalize(x, center, scale, channelBias.value(), batchOut, batch, channels, spatial);
        device.layerNormForward(batchOut, null, null, xhat, rowMean, rowRstd, rows, cols, eps);
        device.channelNormalize(xhat, null, groupWeight.value(), groupBias.value(), y, batch, groups, cols);
        forwardDone(batch, spatial);
    }

    @Override
    public void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int batch, int spatial) {
        backwardOf(batch, spatial);
        int rows = batch * groups;
        int cols = channels / groups * spatial;
        device.channelGradientSums(xhat, null, dy, groupBias.gradient(), groupWeight.gradient(), batch, groups, cols);
        device.channelNormalizeBackward(dy, null, dy, groupWeight.value(), null, null, dx, batch, groups, cols);
        device.layerNormBackward(batchOut, null, rowMean, rowRstd, dx, dx, null, null, rows, cols);
        // dx now holds dL/db; the estimates are constants.
        device.channelGradientSums(x, center, dx, channelBias.gradient(), sumDyX, batch, channels, spatial);
        double[] sdx = read(sumDyX);
        double[] dgamma = new double[channels];
        for (int c = 0; c < channels; c++) {
            dgamma[c] = rstd[c] * sdx[c];
        }
        write(dgamma, channelWeight.gradient());
        device.channelNormalizeBackward(x, null, dx, scale, null, null, dx, batch, channels, spatial);
    }
}
