package org.flowbench.compute.hyperbolic;

/**
 * Poincaré midpoint batch normalisation (van Spengler et al. 2023): the batch midpoint mu (in
 * place of the costly Fréchet mean), the dispersion sigma^2 = mean d(x_i, mu)^2, and
 * y_i = exp_beta( sqrt(s / (sigma^2 + 1e-6)) PT_{mu -> beta}( log_mu(x_i) ) ) with beta = expmap0(b):
 * the batch is re-centred at beta and rescaled to dispersion about s. Immutable; training-mode
 * statistics only.
 */
public final class MidpointBatchNorm {

    private static final double VARIANCE_EPS = 1e-6;

    private final int dim;
    private final double c;
    private final double scale;   // s
    private final double[] bias;  // b, a tangent vector at the origin [dim]

    public MidpointBatchNorm(int dim, double curvature, double scale, double[] bias) {
        if (bias.length != dim) {
            throw new IllegalArgumentException("bias must have " + dim + " values");
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        new PoincareBall(curvature);
        this.dim = dim;
        this.c = curvature;
        this.scale = scale;
        this.bias = bias.clone();
    }

    /** Outputs and the batch statistics they were normalised with. */
    public record Output(double[][] points, double[] midpoint, double dispersion) {
    }

    /** Gradients of sum_i <upstream_i, y_i> with respect to the inputs, s and b. */
    public record Gradients(double[][] inputs, double scale, double[] bias) {
    }

    public Output forward(double[][] batch) {
        Tape t = new Tape();
        Recorded r = record(t, leaves(t, batch), t.leaf(scale), t.leaves(bias));
        double[][] out = new double[batch.length][];
        for (int i = 0; i < batch.length; i++) {
            out[i] = t.values(r.outputs[i]);
        }
        return new Output(out, t.values(r.midpoint), t.value(r.dispersion));
    }

    public Gradients backward(double[][] batch, double[][] upstream) {
        if (upstream.length != batch.length) {
            throw new IllegalArgumentException("one upstream gradient per point is needed");
        }
        Tape t = new Tape();
        int[][] xs = leaves(t, batch);
        int s = t.leaf(scale);
        int[] b = t.leaves(bias);
        Recorded r = record(t, xs, s, b);
        int[] outputs = new int[batch.length * dim];
        double[] seeds = new double[batch.length * dim];
        for (int i = 0; i < batch.length; i++) {
            for (int j = 0; j < dim; j++) {
                outputs[i * dim + j] = r.outputs[i][j];
                seeds[i * dim + j] = upstream[i][j];
            }
        }
        double[] g = t.backward(outputs, seeds);
        double[][] dx = new double[batch.length][];
        for (int i = 0; i < batch.length; i++) {
            dx[i] = PoincareLinear.pick(g, xs[i]);
        }
        return new Gradients(dx, g[s], PoincareLinear.pick(g, b));
    }

    private int[][] leaves(Tape t, double[][] batch) {
        if (batch.length < 1) {
            throw new IllegalArgumentException("batch normalisation needs at least one point");
        }
        int[][] xs = new int[batch.length][];
        for (int i = 0; i < batch.length; i++) {
            if (batch[i].length != dim) {
                throw new IllegalArgumentException("point " + i + " has " + batch[i].length + " values, expected " + dim);
            }
            xs[i] = t.leaves(batch[i]);
        }
        return xs;
    }

    private record Recorded(int[][] outputs, int[] midpoint, int dispersion) {
    }

    private Recorded record(Tape t, int[][] xs, int s, int[] b) {
        TapeBall ball = new TapeBall(t, c);
        int[] mu = ball.midpoint(xs);
        int variance = -1;
        int[][] logs = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            int d = ball.distance(mu, xs[i]);
            int d2 = t.mul(d, d);
            variance = variance < 0 ? d2 : t.add(variance, d2);
            logs[i] = ball.logmap(mu, xs[i]);
        }
        variance = t.scale(variance, 1.0 / xs.length);
        int factor = t.sqrt(t.div(s, t.plus(variance, VARIANCE_EPS)));
        int[] beta = ball.expmap0(b);
        int[][] out = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            int[] moved = ball.transport(mu, beta, logs[i]);
            out[i] = ball.expmap(beta, t.scale(moved, factor));
        }
        return new Recorded(out, mu, variance);
    }
}
