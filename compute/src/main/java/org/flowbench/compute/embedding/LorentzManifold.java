package org.flowbench.compute.embedding;

import org.flowbench.compute.data.SeededRandom;

/**
 * The hyperboloid model (Nickel and Kiela 2018): points (x0, x) with x0 = sqrt(1 + ||x||^2),
 * distance arcosh(-<u, v>_L) with the Lorentz product <u, v>_L = -u0 v0 + <u, v>. The step
 * follows the reference code: the Euclidean gradient is turned into a tangent vector (metric
 * inverse, then projection), the exponential map walks at most length 1, and the spatial part
 * is capped at norm 1e6 before x0 is recomputed.
 */
public final class LorentzManifold implements Manifold {

    public static final LorentzManifold INSTANCE = new LorentzManifold();
    private static final double ACOSH_EPS = 1e-5;
    private static final double MAX_SPATIAL_NORM = 1e6;
    private static final double STEP_CLIP = 1.0;

    private LorentzManifold() {
    }

    @Override
    public String name() {
        return "lorentz";
    }

    @Override
    public int coordinates(int dim) {
        return dim + 1;
    }

    @Override
    public void initialize(double[] table, int at, int k, SeededRandom rng) {
        for (int i = 0; i < k; i++) {
            table[at + i] = (rng.nextDouble() * 2 - 1) * 1e-5;
        }
        normalize(table, at, k);
    }

    static double lorentzProduct(double[] t, int a, double[] s, int b, int k) {
        double p = -t[a] * s[b];
        for (int i = 1; i < k; i++) {
            p += t[a + i] * s[b + i];
        }
        return p;
    }

    @Override
    public double distance(double[] t, int a, int b, int k) {
        double z = Math.max(-lorentzProduct(t, a, t, b, k), 1.0);
        return Math.log(z + Math.sqrt(z * z - 1));
    }

    /** -<u, v>_L clamped at 1: distance is arcosh of it, increasing. */
    @Override
    public double rankingKey(double[] t, int a, int b, int k) {
        return Math.max(-lorentzProduct(t, a, t, b, k), 1.0);
    }

    @Override
    public double distanceGradient(double[] t, int a, int b, int k, double scale, double[] ga, int gaAt, double[] gb, int gbAt) {
        double z = Math.max(-lorentzProduct(t, a, t, b, k), 1.0);
        double root = Math.sqrt(z * z - 1);
        double c = scale / Math.max(root, ACOSH_EPS);
        // z = u0 v0 - <u, v>: dz/du = (v0, -v), dz/dv = (u0, -u)
        ga[gaAt] += c * t[b];
        gb[gbAt] += c * t[a];
        for (int i = 1; i < k; i++) {
            ga[gaAt + i] -= c * t[b + i];
            gb[gbAt + i] -= c * t[a + i];
        }
        return Math.log(z + root);
    }

    @Override
    public void step(double[] t, int at, int k, double[] grad, int gAt, double lr) {
        // Riemannian gradient: h = g with its first component negated, projected: h + <x, h>_L x
        double[] h = new double[k];
        h[0] = -grad[gAt];
        for (int i = 1; i < k; i++) {
            h[i] = grad[gAt + i];
        }
        double xh = lorentzProduct(t, at, h, 0, k);
        double[] d = new double[k];
        for (int i = 0; i < k; i++) {
            d[i] = -lr * (h[i] + xh * t[at + i]);
        }
        double ldv = lorentzProduct(d, 0, d, 0, k);
        double nd = Math.sqrt(Math.max(ldv, 0));
        double length = Math.min(nd, STEP_CLIP);
        nd = Math.max(nd, 1e-12);
        double ch = Math.cosh(length);
        double sh = Math.sinh(length) / nd;
        for (int i = 0; i < k; i++) {
            t[at + i] = ch * t[at + i] + sh * d[i];
        }
        normalize(t, at, k);
    }

    /** Caps the spatial part at norm 1e6 and recomputes x0 = sqrt(1 + ||x||^2). */
    static void normalize(double[] t, int at, int k) {
        double nn = 0;
        for (int i = 1; i < k; i++) {
            nn += t[at + i] * t[at + i];
        }
        double n = Math.sqrt(nn);
        if (n > MAX_SPATIAL_NORM) {
            double s = MAX_SPATIAL_NORM / (n + 1e-7);
            for (int i = 1; i < k; i++) {
                t[at + i] *= s;
            }
            nn = 0;
            for (int i = 1; i < k; i++) {
                nn += t[at + i] * t[at + i];
            }
        }
        t[at] = Math.sqrt(1 + nn);
    }

    @Override
    public String invalidPoint(double[] t, int at, int k) {
        double nn = 0;
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(t[at + i])) {
                return "has a coordinate that is not a finite number";
            }
            if (i > 0) {
                nn += t[at + i] * t[at + i];
            }
        }
        double x0 = Math.sqrt(1 + nn);
        if (!(t[at] > 0) || Math.abs(t[at] - x0) > 1e-6 * x0) {
            return "is not on the hyperboloid (x0 = " + t[at] + ", expected sqrt(1 + ||x||^2) = " + x0 + ")";
        }
        return null;
    }

    /** The Poincaré-ball point x / (1 + x0). */
    @Override
    public double[] toBall(double[] t, int at, int k) {
        double[] out = new double[k - 1];
        for (int i = 1; i < k; i++) {
            out[i - 1] = t[at + i] / (1 + t[at]);
        }
        return out;
    }
}
