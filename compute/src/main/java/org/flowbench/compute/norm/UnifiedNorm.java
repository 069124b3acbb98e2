package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * Unified Normalization (Yang et al. 2022, "Unified Normalization for Accelerating and
 * Stabilizing Transformers"), as its official implementation ({@code UN1d}) computes it: a
 * batch-style norm without centering whose statistics can be folded into the preceding linear
 * layer at inference ({@link #inference()}).
 *
 * <p>Training at iteration t (from 1), window M (4), momentum m (0.9):
 * <ul>
 *   <li>forward: the batch's {@code x2 = mean(x^2)} per channel enters a window of the last M;
 *       after warm-up the geometric mean of the window is used instead of x2 (fluctuation
 *       smoothing); with outlier filtration, a batch whose window's arithmetic minus geometric
 *       mean exceeds M times the variance of the window's root values (for some channel) is
 *       skipped: x2 itself is used and the window gets the running variance instead;
 *       {@code z = x / sqrt(var + eps)}, running variance {@code <- m r + (1 - m) var},
 *       {@code y = gamma z + beta};</li>
 *   <li>backward: the gradient compensation of the paper, the ratio
 *       {@code rho = sqrt(var + eps) / sqrt(running + eps)} (1 until iteration max(1000, warmup)
 *       and for skipped batches, else clipped to [1/5, 5]); {@code g = gamma rho dy};
 *       {@code gz = mean(g z)} into a window, its mean after warm-up; a running
 *       {@code Gamma <- m Gamma + (1 - m) mean gz}; {@code dx = (g - Gamma z) / sqrt(var + eps)}
 *       (the window's mean instead of Gamma for skipped batches);
 *       {@code dgamma = sum dy rho z}, {@code dbeta = sum dy}.</li>
 * </ul>
 * Evaluation: {@code y = gamma x / sqrt(running + eps) + beta}, exact backward.
 */
public final class UnifiedNorm extends AbstractNormLayer {

    private final int window;
    private final long warmup;
    private final boolean outlierFiltration;
    private final float eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final double[] runningVar;
    private final double[] gradientCorrection;
    private final double[][] squareWindow;
    private final double[][] gradientWindow;
    private final DeviceBuffer mean;
    private final DeviceBuffer var;
    private final DeviceBuffer scale;
    private final DeviceBuffer xScale;
    private final DeviceBuffer sumDy;
    private final DeviceBuffer sumDyX;
    private long iterations;
    private long skipped;
    private boolean skip;
    private double[] forwardVar;
    private double[] ratio;

    /** The official defaults: window 4, 4000 warm-up iterations, no outlier filtration, eps 1e-5, momentum 0.9. */
    public UnifiedNorm(ComputeDevice device, int channels) {
        this(device, channels, 4, 4000, false, 1e-5, 0.9);
    }

    public UnifiedNorm(ComputeDevice device, int channels, int window, long warmup, boolean outlierFiltration,
                       double eps, double momentum) {
        super(device, channels);
        if (window < 1) {
            throw new IllegalArgumentException("the window must hold at least 1 iteration, got " + window);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warm-up iterations must not be negative, got " + warmup);
        }
        this.window = window;
        this.warmup = warmup;
        this.outlierFiltration = outlierFiltration;
        this.eps = checkEps(eps);
        this.momentum = checkFraction(momentum, "momentum");
        weight = parameter("weight", channels, 1f);
        bias = parameter("bias", channels, 0f);
        runningVar = new double[channels];
        java.util.Arrays.fill(runningVar, 1);
        gradientCorrection = new double[channels];
        squareWindow = new double[window][channels];
        gradientWindow = new double[window][channels];
        mean = buffer(channels);
        var = buffer(channels);
        scale = buffer(channels);
        xScale = buffer(channels);
        sumDy = buffer(channels);
        sumDyX = buffer(channels);
    }

    @Override
    public String name() {
        return "unified";
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public double[] runningVar() {
        return runningVar.clone();
    }

    public double[] gradientCorrection() {
        return gradientCorrection.clone();
    }

    public long iterations() {
        return iterations;
    }

    /** The variance per channel the last forward pass divided by (window mean, batch or running). */
    public double[] lastVariance() {
        if (forwardVar == null) {
            throw new IllegalStateException("unified norm: no forward pass yet");
        }
        return forwardVar.clone();
    }

    /** Training batches the outlier filter skipped. */
    public long skipped() {
        return skipped;
    }

    /** Unbiased variance of the square roots of every value in the window. */
    private double windowRootVariance() {
        double sum = 0;
        int n = window * channels;
        for (double[] row : squareWindow) {
            for (double v : row) {
                sum += Math.sqrt(v);
            }
        }
        double mu = sum / n;
        double ss = 0;
        for (double[] row : squareWindow) {
            for (double v : row) {
                double d = Math.sqrt(v) - mu;
                ss += d * d;
            }
        }
        return n > 1 ? ss / (n - 1) : Double.NaN;
    }

    private double geometricMean(double[][] rows, int c) {
        double logs = 0;
        for (double[] row : rows) {
            logs += Math.log(row[c]);
        }
        return Math.exp(logs / rows.length);
    }

    @Override
    public void forward(DeviceBuffer x, DeviceBuffer y, int batch, int spatial) {
        double[] v = new double[channels];
        if (isTraining()) {
            iterations++;
            long t = iterations;
            device.channelMoments(x, mean, var, batch, channels, spatial);
            double[] mu = read(mean);
            double[] bv = read(var);
            double[] x2 = new double[channels];
            for (int c = 0; c < channels; c++) {
                x2[c] = bv[c] + mu[c] * mu[c];
            }
            skip = window <= 1;
            double recorded = windowRootVariance();
            int slot = (int) (t % window);
            squareWindow[slot] = x2.clone();
            if (t >= warmup && outlierFiltration) {
                boolean outlier = false;
                for (int c = 0; c < channels; c++) {
                    double am = 0;
                    for (double[] row : squareWindow) {
                        am += row[c];
                    }
                    am /= window;
                    outlier |= am - geometricMean(squareWindow, c) > recorded * window;
                }
                if (outlier) {
                    squareWindow[slot] = runningVar.clone();
                    skip = true;
                    skipped++;
                }
            }
            boolean plain = t <= window || t < warmup || skip;
            ratio = new double[channels];
            for (int c = 0; c < channels; c++) {
                v[c] = plain ? x2[c] : geometricMean(squareWindow, c);
                double r = Math.sqrt(v[c] + eps) / Math.sqrt(runningVar[c] + eps);
                ratio[c] = t <= Math.max(1000, warmup) || skip ? 1 : Math.min(5, Math.max(0.2, r));
            }
            for (int c = 0; c < channels; c++) {
                runningVar[c] = momentum * runningVar[c] + (1 - momentum) * v[c];
            }
        } else {
            System.arraycopy(runningVar, 0, v, 0, channels);
            ratio = new double[channels];
            java.util.Arrays.fill(ratio, 1);
        }
        forwardVar = v;
        double[] g = read(weight.value());
        double[] gs = new double[channels];
        for (int c = 0; c < channels; c++) {
            gs[c] = g[c] / Math.sqrt(v[c] + eps);
        }
        write(gs, scale);
        device.channelNormalize(x, null, scale, bias.value(), y, batch, channels, spatial);
        forwardDone(batch, spatial);
    }

    @Override
    public void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int batch, int spatial) {
        boolean trained = backwardOf(batch, spatial);
        device.channelGradientSums(x, null, dy, sumDy, sumDyX, batch, channels, spatial);
        double[] sd = read(sumDy);
        double[] sdx = read(sumDyX);
        double[] g = read(weight.value());
        double m = perChannel(batch, spatial);
        double[] dgamma = new double[channels];
        double[] a = new double[channels];
        double[] b = new double[channels];
        double[] gz = new double[channels];
        double[] s = new double[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = 1 / Math.sqrt(forwardVar[c] + eps);
            dgamma[c] = ratio[c] * s[c] * sdx[c];
            gz[c] = g[c] * ratio[c] * s[c] * sdx[c] / m;
        }
        if (trained) {
            long t = iterations;
            int slot = (int) (t % window);
            gradientWindow[slot] = skip ? gradientCorrection.clone() : gz.clone();
            boolean plain = t <= window || t < warmup || skip;
            for (int c = 0; c < channels; c++) {
                double meanGz = gz[c];
                if (!plain) {
                    meanGz = 0;
                    for (double[] row : gradientWindow) {
                        meanGz += row[c];
                    }
                    meanGz /= window;
                }
                gradientCorrection[c] = gradientCorrection[c] * momentum + (1 - momentum) * meanGz;
                double k = skip ? meanGz : gradientCorrection[c];
                // dx = s (gamma rho dy - k s x)
                a[c] = s[c] * g[c] * ratio[c];
                b[c] = -k * s[c] * s[c];
            }
        } else {
            for (int c = 0; c < channels; c++) {
                a[c] = s[c] * g[c];
            }
        }
        write(dgamma, weight.gradient());
        device.copy(sumDy, bias.gradient());
        write(a, scale);
        write(b, xScale);
        device.channelNormalizeBackward(x, null, dy, scale, xScale, null, dx, batch, channels, spatial);
    }

    /** The evaluation-mode map, to fold into the dense layer before this norm. */
    public ChannelAffine inference() {
        double[] g = read(weight.value());
        double[] s = new double[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = g[c] / Math.sqrt(runningVar[c] + eps);
        }
        return new ChannelAffine(new double[channels], s, read(bias.value()));
    }
}
