package org.flowbench.views.poincare;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.hyperbolic.MidpointBatchNorm;
import org.flowbench.compute.hyperbolic.PoincareBall;
import org.flowbench.compute.hyperbolic.PoincareLinear;

/**
 * The two Poincaré ResNet demonstrations the lab draws (van Spengler et al. 2023): a batch of
 * points pushed through a stack of hyperbolic fully connected layers with identity and with
 * standard initialisation, and midpoint batch normalisation of a two-dimensional batch.
 */
public final class ResNetDemos {

    public static final int MAX_LAYERS = 200;
    public static final int MAX_DIM = 64;
    public static final int MAX_POINTS = 64;
    public static final int MAX_BATCH = 512;

    private ResNetDemos() {
    }

    /**
     * Norms of {@code points} points (norms spread from 0.1 to 0.9 of the ball's radius) after
     * each of {@code layers} layers.
     *
     * @param identity [layers + 1][points] norms with identity initialisation (layer 0 is the input)
     * @param standard [layers + 1][points] norms with standard initialisation, fresh weights per layer
     */
    public record Depth(int layers, int dim, double curvature, double[][] identity, double[][] standard) {

        /** Mean norm after layer {@code k} (0: the input). */
        public double meanNorm(double[][] norms, int k) {
            double s = 0;
            for (double v : norms[k]) {
                s += v;
            }
            return s / norms[k].length;
        }

        /** The largest change of any point's norm through the identity-initialised stack. */
        public double identityDrift() {
            double worst = 0;
            for (int k = 1; k <= layers; k++) {
                for (int p = 0; p < identity[k].length; p++) {
                    worst = Math.max(worst, Math.abs(identity[k][p] - identity[0][p]));
                }
            }
            return worst;
        }
    }

    public static Depth depth(int layers, int dim, int points, double curvature, long seed) {
        check("layers", layers, 1, MAX_LAYERS);
        check("dim", dim, 2, MAX_DIM);
        check("points", points, 1, MAX_POINTS);
        PoincareBall ball = new PoincareBall(curvature);
        SeededRandom rng = new SeededRandom(seed);
        double[][] input = new double[points][];
        for (int p = 0; p < points; p++) {
            double[] v = new double[dim];
            double n = 0;
            for (int k = 0; k < dim; k++) {
                v[k] = rng.nextGaussian();
                n += v[k] * v[k];
            }
            double target = (0.1 + 0.8 * (points == 1 ? 0.5 : p / (double) (points - 1))) * ball.radius();
            double s = target / Math.sqrt(n);
            for (int k = 0; k < dim; k++) {
                v[k] *= s;
            }
            input[p] = v;
        }
        PoincareLinear same = PoincareLinear.identity(dim, curvature);
        PoincareLinear[] drawn = new PoincareLinear[layers];
        for (int l = 0; l < layers; l++) {
            drawn[l] = PoincareLinear.standard(dim, dim, curvature, rng);
        }
        double[][] identity = new double[layers + 1][points];
        double[][] standard = new double[layers + 1][points];
        for (int p = 0; p < points; p++) {
            double[] a = input[p];
            double[] b = input[p];
            identity[0][p] = norm(a);
            standard[0][p] = norm(b);
            for (int l = 0; l < layers; l++) {
                a = same.forward(a);
                b = drawn[l].forward(b);
                identity[l + 1][p] = norm(a);
                standard[l + 1][p] = norm(b);
            }
        }
        return new Depth(layers, dim, curvature, identity, standard);
    }

    /**
     * A batch before and after midpoint batch normalisation, with the statistics of both.
     *
     * @param before          [n][2]
     * @param after           [n][2]
     * @param beta            expmap0(b), where the output is re-centred
     * @param midpointAfter   the midpoint of the output
     */
    public record BatchNorm(double curvature, double scale, double[][] before, double[][] after, double[] midpointBefore,
                            double dispersionBefore, double[] beta, double[] midpointAfter, double dispersionAfter) {
    }

    /**
     * A seeded batch of {@code n} points spread about a centre away from the origin, normalised
     * with scale {@code s} and bias {@code (bx, by)} (a tangent vector at the origin).
     */
    public static BatchNorm batchNorm(int n, double curvature, double scale, double bx, double by, long seed) {
        check("batch", n, 2, MAX_BATCH);
        PoincareBall ball = new PoincareBall(curvature);
        SeededRandom rng = new SeededRandom(seed);
        double[] centre = ball.expmap0(new double[] {1.1 / Math.sqrt(curvature), 0.6 / Math.sqrt(curvature)});
        double[][] batch = new double[n][];
        // tangent steps of about 0.6 and 0.35 in geodesic length: expmap at the centre stretches by its conformal factor
        double stretch = ball.conformalFactor(centre);
        for (int i = 0; i < n; i++) {
            double[] u = {0.6 * rng.nextGaussian() / stretch, 0.35 * rng.nextGaussian() / stretch};
            batch[i] = ball.project(ball.expmap(centre, u));
        }
        double[] bias = {bx, by};
        MidpointBatchNorm norm = new MidpointBatchNorm(2, curvature, scale, bias);
        MidpointBatchNorm.Output out = norm.forward(batch);
        double[] after = ball.midpoint(out.points(), null);
        return new BatchNorm(curvature, scale, batch, out.points(), out.midpoint(), out.dispersion(), ball.expmap0(bias), after,
                dispersion(ball, out.points(), after));
    }

    /** Mean squared geodesic distance of the points from {@code centre}. */
    static double dispersion(PoincareBall ball, double[][] points, double[] centre) {
        double s = 0;
        for (double[] p : points) {
            double d = ball.distance(p, centre);
            s += d * d;
        }
        return s / points.length;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + " (got " + value + ")");
        }
    }
}
