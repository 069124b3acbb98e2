package org.flowbench.compute.ot;

import org.flowbench.compute.data.SeededRandom;

/**
 * Exact optimal transport between two equal-size 2D point sets with uniform weights under the
 * squared Euclidean cost. With equal sizes and uniform weights an optimal plan is a permutation
 * (Birkhoff), so the exact problem is a linear assignment.
 *
 * <p>Sets of different sizes are not solved exactly here; {@link #w2Subsampled} states its
 * approximation (a seeded subsample of the larger set, without replacement, down to the smaller
 * size).
 */
public final class SquaredEuclideanOt {

    private SquaredEuclideanOt() {
    }

    /** {@code double[] // [n*n]} with c[i*n + j] = ||a_i - b_j||^2, computed in double. */
    public static double[] costMatrix(float[] a, float[] b, int n) {
        LinearAssignment.checkSize(n);
        checkPoints("first point set", a, n);
        checkPoints("second point set", b, n);
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            double ax = a[2 * i];
            double ay = a[2 * i + 1];
            int row = i * n;
            for (int j = 0; j < n; j++) {
                double dx = ax - b[2 * j];
                double dy = ay - b[2 * j + 1];
                c[row + j] = dx * dx + dy * dy;
            }
        }
        return c;
    }

    /**
     * The optimal pairing of the first n points of {@code a} with the first n points of {@code b}:
     * point i of {@code a} goes to point rowToColumn[i] of {@code b}.
     */
    public static AssignmentSolution match(float[] a, float[] b, int n) {
        return LinearAssignment.solveUnchecked(costMatrix(a, b, n), n);
    }

    /** W2^2 = min over permutations of the mean squared distance; both sets {@code [n*2]}. */
    public static double w2Squared(float[] a, float[] b) {
        int n = equalCount(a, b);
        if (n == 0) {
            throw new IllegalArgumentException("W2 needs at least one point in each set");
        }
        return match(a, b, n).totalCost() / n;
    }

    /** Exact 2-Wasserstein distance between two equal-size empirical sets {@code [n*2]}. */
    public static double w2(float[] a, float[] b) {
        return Math.sqrt(w2Squared(a, b));
    }

    /**
     * W2 where the larger set is first reduced to the size of the smaller one by a seeded subsample
     * without replacement (and both are subsampled to {@code maxPoints} when larger). This is an
     * estimate of W2 between the underlying distributions, not the exact W2 of the full sets.
     */
    public static double w2Subsampled(float[] a, float[] b, int maxPoints, long seed) {
        if (a == null || b == null || a.length % 2 != 0 || b.length % 2 != 0) {
            throw new IllegalArgumentException("point sets must be non-null arrays of (x, y) pairs");
        }
        if (maxPoints < 1 || maxPoints > LinearAssignment.MAX_SIZE) {
            throw new IllegalArgumentException("maxPoints must be in [1, " + LinearAssignment.MAX_SIZE + "], got " + maxPoints);
        }
        int n = Math.min(Math.min(a.length / 2, b.length / 2), maxPoints);
        if (n == 0) {
            throw new IllegalArgumentException("W2 needs at least one point in each set");
        }
        SeededRandom rng = new SeededRandom(seed);
        return w2(subsample(a, n, rng), subsample(b, n, rng));
    }

    private static float[] subsample(float[] xy, int n, SeededRandom rng) {
        int m = xy.length / 2;
        if (m == n) {
            return xy;
        }
        int[] perm = rng.permutation(m);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = xy[2 * perm[i]];
            out[2 * i + 1] = xy[2 * perm[i] + 1];
        }
        return out;
    }

    private static int equalCount(float[] a, float[] b) {
        if (a == null || b == null || a.length % 2 != 0 || b.length % 2 != 0) {
            throw new IllegalArgumentException("point sets must be non-null arrays of (x, y) pairs");
        }
        if (a.length != b.length) {
            throw new IllegalArgumentException("exact W2 needs equal-size point sets, got " + a.length / 2 + " and " + b.length / 2
                    + " points (use w2Subsampled for unequal sizes)");
        }
        return a.length / 2;
    }

    private static void checkPoints(String what, float[] xy, int n) {
        if (xy == null || xy.length < 2 * n) {
            throw new IllegalArgumentException(what + " must hold " + n + " points, got "
                    + (xy == null ? "null" : xy.length / 2));
        }
        for (int k = 0; k < 2 * n; k++) {
            if (!Float.isFinite(xy[k])) {
                throw new IllegalArgumentException(what + " has a non-finite coordinate at point " + k / 2);
            }
        }
    }
}
