package org.flowbench.compute.embedding;

import org.flowbench.compute.data.SeededRandom;

/**
 * The unit Poincaré ball as the reference code trains on it: points kept at norm at most
 * 1 - 1e-5, the arcosh distance with its gradient clamped where points coincide, and the
 * Riemannian gradient (1 - ||x||^2)^2 / 4 times the Euclidean one, its norm capped at 5.
 */
public final class PoincareManifold implements Manifold {

    public static final PoincareManifold INSTANCE = new PoincareManifold();
    static final double EPS = 1e-5;
    static final double MAX_NORM = 1 - EPS;
    static final double MAX_GRADIENT_NORM = 5.0;

    private PoincareManifold() {
    }

    @Override
    public String name() {
        return "poincare";
    }

    @Override
    public int coordinates(int dim) {
        return dim;
    }

    @Override
    public void initialize(double[] table, int at, int k, SeededRandom rng) {
        for (int i = 0; i < k; i++) {
            table[at + i] = (rng.nextDouble() * 2 - 1) * 1e-4;
        }
    }

    @Override
    public double distance(double[] t, int a, int b, int k) {
        double uu = 0;
        double vv = 0;
        double diff = 0;
        for (int i = 0; i < k; i++) {
            double u = t[a + i];
            double v = t[b + i];
            uu += u * u;
            vv += v * v;
            double d = u - v;
            diff += d * d;
        }
        double alpha = 1 - Math.min(uu, 1 - EPS);
        double beta = 1 - Math.min(vv, 1 - EPS);
        double z = 2 * diff / (alpha * beta); // the arcosh argument minus 1
        return Math.log1p(z + Math.sqrt(z * (z + 2)));
    }

    /** The arcosh argument minus 1, 2 ||u - v||^2 / ((1 - ||u||^2)(1 - ||v||^2)): distance is increasing in it. */
    @Override
    public double rankingKey(double[] t, int a, int b, int k) {
        double uu = 0;
        double vv = 0;
        double diff = 0;
        for (int i = 0; i < k; i++) {
            double u = t[a + i];
            double v = t[b + i];
            uu += u * u;
            vv += v * v;
            double d = u - v;
            diff += d * d;
        }
        return 2 * diff / ((1 - Math.min(uu, 1 - EPS)) * (1 - Math.min(vv, 1 - EPS)));
    }

    @Override
    public double distanceGradient(double[] t, int a, int b, int k, double scale, double[] ga, int gaAt, double[] gb, int gbAt) {
        double uu = 0;
        double vv = 0;
        double uv = 0;
        double diff = 0;
        for (int i = 0; i < k; i++) {
            double u = t[a + i];
            double v = t[b + i];
            uu += u * u;
            vv += v * v;
            uv += u * v;
            double d = u - v;
            diff += d * d;
        }
        uu = Math.min(uu, 1 - EPS);
        vv = Math.min(vv, 1 - EPS);
        double alpha = 1 - uu;
        double beta = 1 - vv;
        double z = 2 * diff / (alpha * beta);
        double root = Math.sqrt(z * (z + 2)); // sqrt(x^2 - 1) for x = 1 + z
        // d/du arcosh(x) = 4 / (beta sqrt(x^2 - 1)) ((||v||^2 - 2<u,v> + 1) / alpha^2 u - v / alpha), denominator clamped at eps
        double cu = 4 * scale / Math.max(beta * root, EPS);
        double cv = 4 * scale / Math.max(alpha * root, EPS);
        double au = (vv - 2 * uv + 1) / (alpha * alpha);
        double av = (uu - 2 * uv + 1) / (beta * beta);
        for (int i = 0; i < k; i++) {
            double u = t[a + i];
            double v = t[b + i];
            ga[gaAt + i] += cu * (au * u - v / alpha);
            gb[gbAt + i] += cv * (av * v - u / beta);
        }
        return Math.log1p(z + root);
    }

    @Override
    public void step(double[] t, int at, int k, double[] grad, int gAt, double lr) {
        double pp = 0;
        double gg = 0;
        for (int i = 0; i < k; i++) {
            pp += t[at + i] * t[at + i];
            gg += grad[gAt + i] * grad[gAt + i];
        }
        double factor = (1 - pp) * (1 - pp) / 4;
        double norm = Math.sqrt(gg) * factor;
        if (norm > MAX_GRADIENT_NORM) {
            factor *= MAX_GRADIENT_NORM / (norm + 1e-7);
        }
        double nn = 0;
        for (int i = 0; i < k; i++) {
            double x = t[at + i] - lr * factor * grad[gAt + i];
            t[at + i] = x;
            nn += x * x;
        }
        double n = Math.sqrt(nn);
        if (n > MAX_NORM) {
            double s = MAX_NORM / (n + 1e-7);
            for (int i = 0; i < k; i++) {
                t[at + i] *= s;
            }
        }
    }

    @Override
    public String invalidPoint(double[] t, int at, int k) {
        double nn = 0;
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(t[at + i])) {
                return "has a coordinate that is not a finite number";
            }
            nn += t[at + i] * t[at + i];
        }
        return nn < 1 ? null : "lies outside the unit ball (norm " + Math.sqrt(nn) + ")";
    }

    @Override
    public double[] toBall(double[] t, int at, int k) {
        return java.util.Arrays.copyOfRange(t, at, at + k);
    }
}
