package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * PowerNorm (Shen et al. 2020, "PowerNorm: Rethinking Batch Normalization in Transformers"), as
 * its official implementation ({@code MaskPowerNorm}) computes it.
 *
 * <p>Forward, in training at iteration t (counted from 1):
 * <ol>
 *   <li>optional group scaling: each token's channels, in {@code groups} groups, divided by
 *       their root mean square ({@code groups = 0} turns it off; the official default is 1
 *       group, and the token must then be a row: spatial 1);</li>
 *   <li>per channel the batch's quadratic mean {@code sigma^2 = mean(u^2)}, no centering;</li>
 *   <li>{@code z = u / sqrt(psi + eps)} with the running quadratic mean psi of the previous
 *       iterations (with sigma^2 itself during the first {@code warmup} iterations);</li>
 *   <li>psi updated: during warm-up a cumulative average, then always
 *       {@code psi <- alpha_f psi + (1 - alpha_f) sigma^2};</li>
 *   <li>{@code y = gamma z + beta}.</li>
 * </ol>
 * Backward (the approximate gradient of the paper's Algorithm 1): with {@code g = gamma dy},
 * {@code g' = g - (1 - alpha_b) Gamma z} where Gamma is the running correction, then
 * {@code Gamma <- Gamma + mean(g' z)} and {@code du = g' / sqrt(sigma^2 + eps)}. Like the
 * official code it divides by the batch's sigma^2 there, not by psi, so it is not the exact
 * gradient of the forward pass; {@code dgamma = sum dy z}, {@code dbeta = sum dy} are exact. The
 * group scaling's gradient is exact. Evaluation divides by psi and its backward is exact.
 */
public final class PowerNorm extends AbstractNormLayer {

    private final float eps;
    private final double alphaForward;
    private final double alphaBackward;
    private final long warmup;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;
    private final double[] runningPhi;
    private final double[] gradientCorrection;
    private final DeviceBuffer mean;
    private final DeviceBuffer var;
    private final DeviceBuffer scale;
    private final DeviceBuffer xScale;
    private final DeviceBuffer sumDy;
    private final DeviceBuffer sumDyU;
    private DeviceBuffer scaled;
    private DeviceBuffer rrms;
    private long iterations;
    private double[] batchSquare;
    private double[] forwardScale;

    /** The official defaults: eps 1e-5, alpha 0.9 both ways, 10000 warm-up iterations, 1 group. */
    public PowerNorm(ComputeDevice device, int channels) {
        this(device, channels, 1e-5, 0.9, 0.9, 10000, 1);
    }

    public PowerNorm(ComputeDevice device, int channels, double eps, double alphaForward, double alphaBackward,
                     long warmup, int groups) {
        super(device, channels);
        this.eps = checkEps(eps);
        this.alphaForward = checkFraction(alphaForward, "alphaForward");
        this.alphaBackward = checkFraction(alphaBackward, "alphaBackward");
        if (warmup < 0) {
            throw new IllegalArgumentException("warm-up iterations must not be negative, got " + warmup);
        }
        this.warmup = warmup;
        this.groups = groups == 0 ? 0 : checkGroups(channels, groups);
        weight = parameter("weight", channels, 1f);
        bias = parameter("bias", channels, 0f);
        runningPhi = new double[channels];
        java.util.Arrays.fill(runningPhi, 1);
        gradientCorrection = new double[channels];
        mean = buffer(channels);
        var = buffer(channels);
        scale = buffer(channels);
        xScale = buffer(channels);
        sumDy = buffer(channels);
        sumDyU = buffer(channels);
    }

    @Override
    public String name() {
        return "power";
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** The running quadratic mean psi per channel. */
    public double[] runningPhi() {
        return runningPhi.clone();
    }

    /**
     * Replaces the running quadratic mean psi (as a saved model restores it): one finite value
     * >= 0 per channel. The iteration count and the backward pass's correction are kept.
     */
    public void setRunningPhi(double[] phi) {
        double[] p = checkedRunning(phi, "running quadratic mean", true);
        System.arraycopy(p, 0, runningPhi, 0, channels);
    }

    /** The backward pass's running correction Gamma per channel. */
    public double[] gradientCorrection() {
        return gradientCorrection.clone();
    }

    /** Training iterations so far. */
    public long iterations() {
        return iterations;
    }

    /** The input after group scaling (x itself without it). */
    private DeviceBuffer groupScaled(DeviceBuffer x, int batch, int spatial) {
        if (groups == 0) {
            return x;
        }
        if (spatial != 1) {
            throw new IllegalArgumentException("power norm with group scaling takes tokens as rows [N, C], got spatial "
                    + spatial);
        }
        scaled = resized(scaled, Math.multiplyExact(batch, channels));
        rrms = resized(rrms, Math.multiplyExact(batch, groups));
        device.rmsNormForward(x, null, scaled, rrms, batch * groups, channels / groups, eps);
        return scaled;
    }

    @Override
    public void forward(DeviceBuffer x, DeviceBuffer y, int batch, int spatial) {
        DeviceBuffer u = groupScaled(x, batch, spatial);
        double[] s = new double[channels];
        if (isTraining()) {
            iterations++;
            long t = iterations;
            device.channelMoments(u, mean, var, batch, channels, spatial);
            double[] mu = read(mean);
            double[] v = read(var);
            batchSquare = new double[channels];
            for (int c = 0; c < channels; c++) {
                double x2 = v[c] + mu[c] * mu[c];
                batchSquare[c] = x2;
                s[c] = 1 / Math.sqrt((t <= warmup ? x2 : runningPhi[c]) + eps);
                if (t < warmup) {
                    runningPhi[c] = runningPhi[c] * (t - 1) / t + x2 / t;
                }
                runningPhi[c] = alphaForward * runningPhi[c] + (1 - alphaForward) * x2;
            }
        } else {
            for (int c = 0; c < channels; c++) {
                s[c] = 1 / Math.sqrt(runningPhi[c] + eps);
            }
        }
        forwardScale = s;
        double[] g = read(weight.value());
        double[] gs = new double[channels];
        for (int c = 0; c < channels; c++) {
            gs[c] = g[c] * s[c];
        }
        write(gs, scale);
        device.channelNormalize(u, null, scale, bias.value(), y, batch, channels, spatial);
        forwardDone(batch, spatial);
    }

    @Override
    public void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int batch, int spatial) {
        boolean trained = backwardOf(batch, spatial);
        DeviceBuffer u = groups == 0 ? x : scaled;
        device.channelGradientSums(u, null, dy, sumDy, sumDyU, batch, channels, spatial);
        double[] sd = read(sumDy);
        double[] sdu = read(sumDyU);
        double[] g = read(weight.value());
        double[] s = forwardScale;
        double m = perChannel(batch, spatial);
        double[] dgamma = new double[channels];
        double[] a = new double[channels];
        double[] b = new double[channels];
        for (int c = 0; c < channels; c++) {
            dgamma[c] = s[c] * sdu[c];
            if (trained) {
                double k = (1 - alphaBackward) * gradientCorrection[c];
                double r = 1 / Math.sqrt(batchSquare[c] + eps);
                // g' = gamma dy - k z with z = s u; Gamma += mean(g' z) = gamma s mean(dy u) - k s^2 mean(u^2).
                gradientCorrection[c] += g[c] * s[c] * sdu[c] / m - k * s[c] * s[c] * batchSquare[c];
                a[c] = g[c] * r;
                b[c] = -k * s[c] * r;
            } else {
                a[c] = g[c] * s[c];
            }
        }
        write(dgamma, weight.gradient());
        device.copy(sumDy, bias.gradient());
        write(a, scale);
        write(b, xScale);
        device.channelNormalizeBackward(u, null, dy, scale, xScale, null, dx, batch, channels, spatial);
        if (groups > 0) {
            device.rmsNormBackward(x, null, rrms, dx, dx, null, batch * groups, channels / groups);
        }
    }

    /** The evaluation-mode map y = gamma x / sqrt(psi + eps) + beta (after group scaling, if any). */
    public ChannelAffine inference() {
        double[] g = read(weight.value());
        double[] s = new double[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = g[c] / Math.sqrt(runningPhi[c] + eps);
        }
        return new ChannelAffine(new double[channels], s, read(bias.value()));
    }
}
