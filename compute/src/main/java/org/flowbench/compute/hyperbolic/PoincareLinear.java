package org.flowbench.compute.hyperbolic;

import org.flowbench.compute.data.SeededRandom;

/**
 * The Poincaré fully connected layer of Poincaré ResNet (van Spengler, Berkhout and Mettes
 * 2023, after Shimizu et al.'s HNN++): for output k with weight column z_k and bias r_k,
 * <pre>
 *   v_k = (2 ||z_k|| / sqrt c) asinh( sqrt c lambda_x &lt;x, z_k/||z_k||&gt; cosh(2 sqrt c r_k) - (lambda_x - 1) sinh(2 sqrt c r_k) )
 *   w_k = sinh(sqrt c v_k) / sqrt c,   y = w / (1 + sqrt(1 + c ||w||^2))
 * </pre>
 * with lambda_x = 2 / (1 - c ||x||^2). Identity initialisation (z = I/2, r = 0) gives y = x
 * exactly; standard initialisation draws z from N(0, (2 in out)^-1/2). Immutable.
 */
public final class PoincareLinear {

    private final int in;
    private final int out;
    private final double c;
    private final double[] weights; // [in * out], column k (weights[i * out + k]) is z_k
    private final double[] bias;    // [out]

    public PoincareLinear(int in, int out, double curvature, double[] weights, double[] bias) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("a layer needs at least one input and one output, got " + in + " x " + out);
        }
        if (weights.length != in * out || bias.length != out) {
            throw new IllegalArgumentException("weights must hold " + in * out + " values and bias " + out);
        }
        new PoincareBall(curvature);
        this.in = in;
        this.out = out;
        this.c = curvature;
        this.weights = weights.clone();
        this.bias = bias.clone();
    }

    /** z = I/2, r = 0: the layer maps every point to itself. */
    public static PoincareLinear identity(int dim, double curvature) {
        double[] w = new double[dim * dim];
        for (int i = 0; i < dim; i++) {
            w[i * dim + i] = 0.5;
        }
        return new PoincareLinear(dim, dim, curvature, w, new double[dim]);
    }

    /** z from N(0, (2 in out)^-1/2), r = 0, as Poincaré ResNet's standard initialisation. */
    public static PoincareLinear standard(int in, int out, double curvature, SeededRandom rng) {
        double std = 1 / Math.sqrt(2.0 * in * out);
        double[] w = new double[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextGaussian() * std;
        }
        return new PoincareLinear(in, out, curvature, w, new double[out]);
    }

    public int inputs() {
        return in;
    }

    public int outputs() {
        return out;
    }

    public double[] weights() {
        return weights.clone();
    }

    public double[] bias() {
        return bias.clone();
    }

    public double[] forward(double[] x) {
        Tape t = new Tape();
        return t.values(record(t, t.leaves(x), t.leaves(weights), t.leaves(bias)));
    }

    /** Gradients of sum_k upstream[k] y_k with respect to the input, the weights and the bias. */
    public record Gradients(double[] input, double[] weights, double[] bias) {
    }

    public Gradients backward(double[] x, double[] upstream) {
        if (upstream.length != out) {
            throw new IllegalArgumentException("upstream gradient must have " + out + " values");
        }
        Tape t = new Tape();
        int[] xs = t.leaves(x);
        int[] zs = t.leaves(weights);
        int[] rs = t.leaves(bias);
        int[] y = record(t, xs, zs, rs);
        double[] g = t.backward(y, upstream);
        return new Gradients(pick(g, xs), pick(g, zs), pick(g, rs));
    }

    static double[] pick(double[] g, int[] nodes) {
        double[] out = new double[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            out[i] = g[nodes[i]];
        }
        return out;
    }

    /** The forward pass on a tape; x [in], z [in * out], r [out] are nodes. */
    int[] record(Tape t, int[] x, int[] z, int[] r) {
        if (x.length != in) {
            throw new IllegalArgumentException("input has " + x.length + " values, the layer takes " + in);
        }
        double sqrtC = Math.sqrt(c);
        TapeBall ball = new TapeBall(t, c);
        int lambda = ball.lambda(x);
        int lambdaMinusOne = t.plus(lambda, -1);
        int[] w = new int[out];
        for (int k = 0; k < out; k++) {
            int[] column = new int[in];
            for (int i = 0; i < in; i++) {
                column[i] = z[i * out + k];
            }
            int zNorm = ball.norm(column);
            int projection = t.div(t.dot(x, column), zNorm);
            int twoR = t.scale(r[k], 2 * sqrtC);
            int inner = t.sub(t.scale(t.mul(t.mul(lambda, projection), t.cosh(twoR)), sqrtC), t.mul(lambdaMinusOne, t.sinh(twoR)));
            int v = t.mul(t.scale(zNorm, 2 / sqrtC), t.asinh(inner));
            w[k] = t.scale(t.sinh(t.scale(v, sqrtC)), 1 / sqrtC);
        }
        int denominator = t.plus(t.sqrt(t.plus(t.scale(t.dot(w, w), c), 1)), 1);
        int[] y = new int[out];
        for (int k = 0; k < out; k++) {
            y[k] = t.div(w[k], denominator);
        }
        return y;
    }
}
