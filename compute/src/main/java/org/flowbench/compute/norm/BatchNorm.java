package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * BatchNorm (Ioffe and Szegedy 2015) over [batch, channels, spatial]: per channel, statistics over
 * batch and spatial; {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}.
 *
 * <p>Training uses the batch's mean and biased variance and updates the running statistics
 * {@code r <- (1 - momentum) r + momentum stat} with the unbiased variance (PyTorch's convention,
 * momentum 0.1); evaluation uses the running statistics, and {@link #inference()} is the affine
 * map to fold into the dense layer before it. The backward pass in training is the exact
 * gradient through the batch statistics; in evaluation the statistics are constants.
 */
public final class BatchNorm extends AbstractNormLayer {

    private final float eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final double[] runningMean;
    private final double[] runningVar;
    private final DeviceBuffer mean;
    private final DeviceBuffer var;
    private final DeviceBuffer center;
    private final DeviceBuffer scale;
    private final DeviceBuffer xScale;
    private final DeviceBuffer shift;
    private final DeviceBuffer sumDyX;
    private double[] rstd;
    private long batches;

    public BatchNorm(ComputeDevice device, int channels) {
        this(device, channels, 1e-5, 0.1);
    }

    public BatchNorm(ComputeDevice device, int channels, double eps, double momentum) {
        super(device, channels);
        this.eps = checkEps(eps);
        this.momentum = checkFraction(momentum, "momentum");
        weight = parameter("weight", channels, 1f);
        bias = parameter("bias", channels, 0f);
        runningMean = new double[channels];
        runningVar = new double[channels];
        java.util.Arrays.fill(runningVar, 1);
        mean = buffer(channels);
        var = buffer(channels);
        center = buffer(channels);
        scale = buffer(channels);
        xScale = buffer(channels);
        shift = buffer(channels);
        sumDyX = buffer(channels);
    }

    @Override
    public String name() {
        return "batch";
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public double[] runningMean() {
        return runningMean.clone();
    }

    public double[] runningVar() {
        return runningVar.clone();
    }

    /**
     * Replaces the running statistics (as a saved model restores them); both arrays hold one
     * finite value per channel, the variances none negative. The count of batches seen is kept.
     */
    public void setRunningStatistics(double[] mean, double[] variance) {
        double[] m = checkedRunning(mean, "running mean", false);
        double[] v = checkedRunning(variance, "running variance", true);
        System.arraycopy(m, 0, runningMean, 0, channels);
        System.arraycopy(v, 0, runningVar, 0, channels);
    }

    /** Training batches seen. */
    public long batches() {
        return batches;
    }

    @Override
    public void forward(DeviceBuffer x, DeviceBuffer y, int batch, int spatial) {
        DeviceBuffer c;
        if (isTraining()) {
            long m = perChannel(batch, spatial);
            if (m < 2) {
                throw new IllegalArgumentException("batch norm in training needs more than one value per channel, got "
                        + batch + " x " + spatial);
            }
            device.channelMoments(x, mean, var, batch, channels, spatial);
            double[] mu = read(mean);
            double[] v = read(var);
            rstd = new double[channels];
            for (int i = 0; i < channels; i++) {
                rstd[i] = 1 / Math.sqrt(v[i] + eps);
                runningMean[i] = (1 - momentum) * runningMean[i] + momentum * mu[i];
                runningVar[i] = (1 - momentum) * runningVar[i] + momentum * v[i] * m / (m - 1);
            }
            batches++;
            c = mean;
        } else {
            write(runningMean, center);
            rstd = new double[channels];
            for (int i = 0; i < channels; i++) {
                rstd[i] = 1 / Math.sqrt(runningVar[i] + eps);
            }
            c = center;
        }
        double[] g = read(weight.value());
        double[] s = new double[channels];
        for (int i = 0; i < channels; i++) {
            s[i] = g[i] * rstd[i];
        }
        write(s, scale);
        device.channelNormalize(x, c, scale, bias.value(), y, batch, channels, spatial);
        forwardDone(batch, spatial);
    }

    @Override
    public void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int batch, int spatial) {
        boolean trained = backwardOf(batch, spatial);
        DeviceBuffer c = trained ? mean : center;
        // The sums first: dx may be dy.
        device.channelGradientSums(x, c, dy, bias.gradient(), sumDyX, batch, channels, spatial);
        double[] sdx = read(sumDyX);
        double[] sd = read(bias.gradient());
        double[] g = read(weight.value());
        double[] dgamma = new double[channels];
        double[] a = new double[channels];
        double[] b = new double[channels];
        double[] h = new double[channels];
        double m = perChannel(batch, spatial);
        for (int i = 0; i < channels; i++) {
            double r = rstd[i];
            dgamma[i] = r * sdx[i];
            a[i] = g[i] * r;
            if (trained) {
                // dx = rstd (g dy - mean(g dy) - xhat mean(g dy xhat)), g the gamma of channel i.
                b[i] = -g[i] * r * r * r * sdx[i] / m;
                h[i] = -g[i] * r * sd[i] / m;
            }
        }
        write(dgamma, weight.gradient());
        write(a, scale);
        if (trained) {
            write(b, xScale);
            write(h, shift);
            device.channelNormalizeBackward(x, c, dy, scale, xScale, shift, dx, batch, channels, spatial);
        } else {
            device.channelNormalizeBackward(x, c, dy, scale, null, null, dx, batch, channels, spatial);
        }
    }

    /** The evaluation-mode map with the current running statistics and parameters. */
    public ChannelAffine inference() {
        double[] g = read(weight.value());
        double[] beta = read(bias.value());
        double[] s = new double[channels];
        for (int i = 0; i < channels; i++) {
            s[i] = g[i] / Math.sqrt(runningVar[i] + eps);
        }
        return new ChannelAffine(runningMean.clone(), s, beta);
    }
}
