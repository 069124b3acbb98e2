package org.flowbench.compute.embedding;

import org.flowbench.compute.data.SeededRandom;

/**
 * Euclidean space as the reference code's baseline: its "distance" is the squared Euclidean
 * distance, updates are plain SGD and points are never projected.
 */
public final class EuclideanManifold implements Manifold {

    public static final EuclideanManifold INSTANCE = new EuclideanManifold();

    private EuclideanManifold() {
    }

    @Override
    public String name() {
        return "euclidean";
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
        double s = 0;
        for (int i = 0; i < k; i++) {
            double d = t[a + i] - t[b + i];
            s += d * d;
        }
        return s;
    }

    @Override
    public double distanceGradient(double[] t, int a, int b, int k, double scale, double[] ga, int gaAt, double[] gb, int gbAt) {
        double s = 0;
        for (int i = 0; i < k; i++) {
            double d = t[a + i] - t[b + i];
            s += d * d;
            ga[gaAt + i] += 2 * scale * d;
            gb[gbAt + i] -= 2 * scale * d;
        }
        return s;
    }

    @Override
    public void step(double[] t, int at, int k, double[] grad, int gAt, double lr) {
        for (int i = 0; i < k; i++) {
            t[at + i] -= lr * grad[gAt + i];
        }
    }

    @Override
    public String invalidPoint(double[] t, int at, int k) {
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(t[at + i])) {
                return "has a coordinate that is not a finite number";
            }
        }
        return null;
    }

    /** Scaled into the unit disc by x / (1 + ||x||) so that every point can be drawn. */
    @Override
    public double[] toBall(double[] t, int at, int k) {
        double nn = 0;
        for (int i = 0; i < k; i++) {
            nn += t[at + i] * t[at + i];
        }
        double s = 1 / (1 + Math.sqrt(nn));
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            out[i] = t[at + i] * s;
        }
        return out;
    }
}
