package org.flowbench.compute.norm.invariance;

import org.flowbench.compute.data.SeededRandom;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Frankle et al.'s experiment ("Training BatchNorm and Only BatchNorm", 2021) at the scale of a
 * plane: a network {@code 2 -> [dense -> BatchNorm -> ReLU] x depth -> dense -> 2} with random
 * dense weights (He normal, seeded) trained full-batch with Adam on a {@link LabelledTask}, in
 * one of three ways: nothing trained (the network frozen at random: gamma 1, beta 0), only
 * BatchNorm's gamma and beta, or every parameter. The same seed gives the same random weights to
 * all three, so they differ only in what is trained.
 *
 * <p>BatchNorm uses the statistics of the whole training set (full batch) in training, and the
 * decision regions are drawn with the statistics of the training set at the final parameters.
 */
public final class BatchNormOnlyTraining {

    public static final double BN_EPS = 1e-5;
    public static final int MAX_WIDTH = 512;
    public static final int MAX_DEPTH = 6;
    public static final int MAX_STEPS = 20_000;

    /** What is trained. */
    public enum Trained {
        FROZEN("frozen at random"), BATCHNORM("BatchNorm gamma, beta only"), ALL("all parameters");

        private final String label;

        Trained(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param width  units per hidden layer, 2..{@link #MAX_WIDTH}
     * @param depth  hidden layers, 1..{@link #MAX_DEPTH}
     * @param steps  full-batch Adam steps, 1..{@link #MAX_STEPS}
     * @param lr     Adam's learning rate, in (0, 1]
     */
    public record Settings(int width, int depth, int steps, double lr) {
        public Settings {
            if (width < 2 || width > MAX_WIDTH) {
                throw new IllegalArgumentException("width must be between 2 and " + MAX_WIDTH + ", got " + width);
            }
            if (depth < 1 || depth > MAX_DEPTH) {
                throw new IllegalArgumentException("depth must be between 1 and " + MAX_DEPTH + ", got " + depth);
            }
            if (steps < 1 || steps > MAX_STEPS) {
                throw new IllegalArgumentException("steps must be between 1 and " + MAX_STEPS + ", got " + steps);
            }
            if (!(lr > 0 && lr <= 1)) {
                throw new IllegalArgumentException("lr must be in (0, 1], got " + lr);
            }
        }
    }

    /**
     * A finished run.
     *
     * @param accuracy   {@code [steps+1]} training accuracy before each step and after the last
     * @param loss       {@code [steps+1]} mean cross-entropy, same times
     * @param gridSide   cells per side of the decision grid
     * @param bounds     {xMin, xMax, yMin, yMax} of the grid
     * @param classOne   {@code [gridSide*gridSide]} probability of class 1, row-major from (xMin, yMin)
     */
    public record Result(Trained trained, double[] accuracy, double[] loss, int gridSide, double[] bounds,
                         float[] classOne) {
        public double finalAccuracy() {
            return accuracy[accuracy.length - 1];
        }
    }

    private final Settings settings;
    private final int[] fanIn;
    /** Per layer l in 0..depth: dense weights [fanIn[l] * out(l)], biases [out(l)]; layer depth is the head. */
    private final double[][] weight;
    private final double[][] bias;
    private final double[][] gamma;
    private final double[][] beta;

    /** A network with the random weights {@code seed} gives. */
    public BatchNormOnlyTraining(Settings settings, long seed) {
        this.settings = settings;
        int d = settings.depth();
        int h = settings.width();
        SeededRandom random = new SeededRandom(seed);
        fanIn = new int[d + 1];
        weight = new double[d + 1][];
        bias = new double[d + 1][];
        gamma = new double[d][];
        beta = new double[d][];
        for (int l = 0; l <= d; l++) {
            int in = l == 0 ? 2 : h;
            int out = l == d ? 2 : h;
            fanIn[l] = in;
            weight[l] = new double[in * out];
            double std = Math.sqrt(2.0 / in);
            for (int i = 0; i < weight[l].length; i++) {
                weight[l][i] = std * random.nextGaussian();
            }
            bias[l] = new double[out];
            if (l < d) {
                gamma[l] = new double[out];
                java.util.Arrays.fill(gamma[l], 1.0);
                beta[l] = new double[out];
            }
        }
    }

    private int out(int l) {
        return l == settings.depth() ? 2 : settings.width();
    }

    /** Activations of one forward pass, kept for the backward pass. */
    private final class Pass {
        final int n;
        final double[][] input;   // [depth+1][n * fanIn]: what each dense layer reads
        final double[][] xhat;    // [depth][n * width]
        final double[][] y;       // [depth][n * width]: after BatchNorm, before ReLU
        final double[][] rstd;    // [depth][width]
        final double[][] mean;    // [depth][width]
        final double[] logits;    // [n * 2]

        Pass(double[] xy, int n, double[][] fixedMean, double[][] fixedRstd) {
            this.n = n;
            int d = settings.depth();
            input = new double[d + 1][];
            xhat = new double[d][];
            y = new double[d][];
            rstd = new double[d][];
            mean = new double[d][];
            double[] a = xy;
            for (int l = 0; l <= d; l++) {
                input[l] = a;
                int in = fanIn[l];
                int out = out(l);
                double[] z = new double[n * out];
                for (int r = 0; r < n; r++) {
                    for (int o = 0; o < out; o++) {
                        double s = bias[l][o];
                        for (int i = 0; i < in; i++) {
                            s += a[r * in + i] * weight[l][i * out + o];
                        }
                        z[r * out + o] = s;
                    }
                }
                if (l == d) {
                    logits = z;
                    return;
                }
                double[] mu = new double[out];
                double[] rs = new double[out];
                if (fixedMean != null) {
                    mu = fixedMean[l];
                    rs = fixedRstd[l];
                } else {
                    for (int o = 0; o < out; o++) {
                        double s = 0;
                        for (int r = 0; r < n; r++) {
                            s += z[r * out + o];
                        }
                        mu[o] = s / n;
                        double v = 0;
                        for (int r = 0; r < n; r++) {
                            double c = z[r * out + o] - mu[o];
                            v += c * c;
                        }
                        rs[o] = 1 / Math.sqrt(v / n + BN_EPS);
                    }
                }
                mean[l] = mu;
                rstd[l] = rs;
                double[] xh = new double[n * out];
                double[] yl = new double[n * out];
                double[] next = new double[n * out];
                for (int r = 0; r < n; r++) {
                    for (int o = 0; o < out; o++) {
                        int k = r * out + o;
                        xh[k] = (z[k] - mu[o]) * rs[o];
                        yl[k] = gamma[l][o] * xh[k] + beta[l][o];
                        next[k] = Math.max(0, yl[k]);
                    }
                }
                xhat[l] = xh;
                y[l] = yl;
                a = next;
            }
            throw new IllegalStateException("unreachable");
        }
    }

    /** Mean cross-entropy and accuracy of a pass against {@code label}. */
    private static double[] lossAndAccuracy(double[] logits, int[] label, double[] dLogits) {
        int n = label.length;
        double loss = 0;
        int correct = 0;
        for (int r = 0; r < n; r++) {
            double a = logits[2 * r];
            double b = logits[2 * r + 1];
            double m = Math.max(a, b);
            double ea = Math.exp(a - m);
            double eb = Math.exp(b - m);
            double p1 = eb / (ea + eb);
            double logSum = m + Math.log(ea + eb);
            loss += logSum - (label[r] == 1 ? b : a);
            if ((b > a ? 1 : 0) == label[r]) {
                correct++;
            }
            if (dLogits != null) {
                dLogits[2 * r] = ((1 - p1) - (label[r] == 0 ? 1 : 0)) / n;
                dLogits[2 * r + 1] = (p1 - (label[r] == 1 ? 1 : 0)) / n;
            }
        }
        return new double[] {loss / n, (double) correct / n};
    }

    /** The loss on {@code points} with the training set's own statistics (full batch). */
    public double loss(LabelledTask.Points points) {
        Pass p = new Pass(points.xy(), points.size(), null, null);
        return lossAndAccuracy(p.logits, points.label(), null)[0];
    }

    /**
     * Gradients of the full-batch loss: {@code [0]} gamma and {@code [1]} beta of every BatchNorm,
     * {@code [2]} the dense weights, {@code [3]} the dense biases, each indexed [layer][unit].
     */
    public double[][][] gradients(LabelledTask.Points points) {
        Pass p = new Pass(points.xy(), points.size(), null, null);
        int n = points.size();
        int d = settings.depth();
        double[] dLogits = new double[n * 2];
        lossAndAccuracy(p.logits, points.label(), dLogits);
        double[][] dGamma = new double[d][];
        double[][] dBeta = new double[d][];
        double[][] dWeight = new double[d + 1][];
        double[][] dBias = new double[d + 1][];
        double[] dz = dLogits;
        for (int l = d; l >= 0; l--) {
            int in = fanIn[l];
            int out = out(l);
            double[] a = p.input[l];
            dWeight[l] = new double[in * out];
            dBias[l] = new double[out];
            for (int r = 0; r < n; r++) {
                for (int o = 0; o < out; o++) {
                    double g = dz[r * out + o];
                    dBias[l][o] += g;
                    for (int i = 0; i < in; i++) {
                        dWeight[l][i * out + o] += a[r * in + i] * g;
                    }
                }
            }
            if (l == 0) {
                break;
            }
            // into the previous layer: through the dense weights, the ReLU and BatchNorm l - 1
            int k = l - 1;
            int w = settings.width();
            double[] da = new double[n * in];
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < in; i++) {
                    double s = 0;
                    for (int o = 0; o < out; o++) {
                        s += dz[r * out + o] * weight[l][i * out + o];
                    }
                    da[r * in + i] = p.y[k][r * w + i] > 0 ? s : 0;
                }
            }
            dGamma[k] = new double[w];
            dBeta[k] = new double[w];
            double[] next = new double[n * w];
            for (int o = 0; o < w; o++) {
                double sumG = 0;
                double sumGx = 0;
                for (int r = 0; r < n; r++) {
                    double dy = da[r * w + o];
                    double xh = p.xhat[k][r * w + o];
                    dGamma[k][o] += dy * xh;
                    dBeta[k][o] += dy;
                    double g = gamma[k][o] * dy;
                    sumG += g;
                    sumGx += g * xh;
                }
                double meanG = sumG / n;
                double meanGx = sumGx / n;
                for (int r = 0; r < n; r++) {
                    double g = gamma[k][o] * da[r * w + o];
                    next[r * w + o] = p.rstd[k][o] * (g - meanG - p.xhat[k][r * w + o] * meanGx);
                }
            }
            dz = next;
        }
        return new double[][][] {dGamma, dBeta, dWeight, dBias};
    }

    /** The trainable arrays in the order of {@link #gradients}: gamma, beta, weight, bias. */
    double[][][] parameters() {
        return new double[][][] {gamma, beta, weight, bias};
    }

    /**
     * Trains this network as {@code trained} says on {@code points} and returns the accuracy curve
     * and the decision regions on a {@code gridSide x gridSide} grid over {@code bounds}
     * ({xMin, xMax, yMin, yMax}). {@code cancelled} is polled between steps.
     */
    public Result train(Trained trained, LabelledTask.Points points, int gridSide, double[] bounds,
                        BooleanSupplier cancelled) {
        if (gridSide < 2 || gridSide > 1024) {
            throw new IllegalArgumentException("grid side must be between 2 and 1024, got " + gridSide);
        }
        int steps = settings.steps();
        double[] accuracy = new double[steps + 1];
        double[] loss = new double[steps + 1];
        double[][][] params = parameters();
        int groups = trained == Trained.ALL ? 4 : trained == Trained.BATCHNORM ? 2 : 0;
        double[][][] m = new double[groups][][];
        double[][][] v = new double[groups][][];
        for (int k = 0; k < groups; k++) {
            m[k] = new double[params[k].length][];
            v[k] = new double[params[k].length][];
            for (int l = 0; l < params[k].length; l++) {
                m[k][l] = new double[params[k][l].length];
                v[k][l] = new double[params[k][l].length];
            }
        }
        double b1 = 0.9;
        double b2 = 0.999;
        for (int t = 0; t <= steps; t++) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new java.util.concurrent.CancellationException("cancelled");
            }
            if (t == steps || groups == 0) {
                Pass p = new Pass(points.xy(), points.size(), null, null);
                double[] la = lossAndAccuracy(p.logits, points.label(), null);
                loss[t] = la[0];
                accuracy[t] = la[1];
                if (groups == 0) {
                    java.util.Arrays.fill(loss, la[0]);
                    java.util.Arrays.fill(accuracy, la[1]);
                    break;
                }
                continue;
            }
            Pass p = new Pass(points.xy(), points.size(), null, null);
            double[] la = lossAndAccuracy(p.logits, points.label(), null);
            loss[t] = la[0];
            accuracy[t] = la[1];
            double[][][] grads = gradients(points);
            double c1 = 1 - Math.pow(b1, t + 1);
            double c2 = 1 - Math.pow(b2, t + 1);
            for (int k = 0; k < groups; k++) {
                for (int l = 0; l < params[k].length; l++) {
                    double[] w = params[k][l];
                    double[] g = grads[k][l];
                    for (int i = 0; i < w.length; i++) {
                        m[k][l][i] = b1 * m[k][l][i] + (1 - b1) * g[i];
                        v[k][l][i] = b2 * v[k][l][i] + (1 - b2) * g[i] * g[i];
                        w[i] -= settings.lr() * (m[k][l][i] / c1) / (Math.sqrt(v[k][l][i] / c2) + 1e-8);
                    }
                }
            }
        }
        return new Result(trained, accuracy, loss, gridSide, bounds.clone(), decisionGrid(points, gridSide, bounds));
    }

    private float[] decisionGrid(LabelledTask.Points points, int side, double[] bounds) {
        Pass train = new Pass(points.xy(), points.size(), null, null);
        double[] xy = new double[side * side * 2];
        for (int j = 0; j < side; j++) {
            for (int i = 0; i < side; i++) {
                int k = j * side + i;
                xy[2 * k] = bounds[0] + (i + 0.5) / side * (bounds[1] - bounds[0]);
                xy[2 * k + 1] = bounds[2] + (j + 0.5) / side * (bounds[3] - bounds[2]);
            }
        }
        Pass grid = new Pass(xy, side * side, train.mean, train.rstd);
        float[] p1 = new float[side * side];
        for (int k = 0; k < p1.length; k++) {
            double a = grid.logits[2 * k];
            double b = grid.logits[2 * k + 1];
            p1[k] = (float) (1 / (1 + Math.exp(a - b)));
        }
        return p1;
    }
}
