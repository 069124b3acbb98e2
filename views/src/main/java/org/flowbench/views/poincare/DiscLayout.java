package org.flowbench.views.poincare;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.embedding.EuclideanManifold;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.hyperbolic.PoincareBall;

import java.util.Arrays;
import java.util.Locale;

/**
 * An embedding's points in the unit disc (curvature -1), and what drawing it in two dimensions
 * loses. A two-dimensional ball embedding is drawn as it is. A higher-dimensional one goes
 * through the log map at the root (each point's tangent vector there, as long as its distance
 * from the root), its first two principal directions (about the root), and back into the disc
 * with the root at the centre: distances from the root are kept for what the plane holds, and
 * {@link #varianceKept} and {@link #rankCorrelation} say how much of the rest survives. Immutable.
 *
 * @param xy              points in the unit disc // [n*2]
 * @param varianceKept    share of the tangent vectors' second moment in the two directions (1 when exact)
 * @param rankCorrelation Spearman correlation between the embedding's distances and the drawn ones,
 *                        over seeded random pairs (1 when exact)
 * @param description     one line saying how the points were placed and what was lost
 */
public record DiscLayout(double[] xy, double varianceKept, double rankCorrelation, String description) {

    /** Pairs sampled for the rank correlation. */
    static final int PAIRS = 2000;
    private static final int POWER_ITERATIONS = 300;

    /** How {@code embedding}'s points are drawn, with {@code root} at the centre when it is projected. */
    public static DiscLayout of(HierarchyEmbedding embedding, int root, String rootLabel, long seed) {
        int n = embedding.size();
        int dim = embedding.dim();
        double[][] ball = new double[n][];
        for (int i = 0; i < n; i++) {
            ball[i] = embedding.ballPoint(i);
        }
        boolean euclidean = embedding.manifold() instanceof EuclideanManifold;
        String space = dim + "-D " + SpaceNames.of(embedding.manifold().name());
        if (dim <= 2) {
            double[] xy = new double[2 * n];
            for (int i = 0; i < n; i++) {
                xy[2 * i] = ball[i][0];
                xy[2 * i + 1] = dim == 2 ? ball[i][1] : 0;
            }
            if (euclidean) {
                return new DiscLayout(xy, 1, rankCorrelation(embedding, xy, seed), space
                        + " embedding drawn at x / (1 + |x|): the disc's geodesics and distances do not apply to it");
            }
            return new DiscLayout(xy, 1, 1, space + " embedding drawn as it is (exact)");
        }
        PoincareBall unit = PoincareBall.unit();
        double[] origin = ball[root];
        double lambda = unit.conformalFactor(origin);
        double[][] tangent = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] v = i == root ? new double[dim] : unit.logmap(origin, ball[i]);
            for (int k = 0; k < dim; k++) {
                v[k] *= lambda;
            }
            tangent[i] = v;
        }
        double total = 0;
        for (double[] v : tangent) {
            for (double x : v) {
                total += x * x;
            }
        }
        SeededRandom rng = new SeededRandom(seed);
        double[] e1 = principal(tangent, null, rng);
        double[] e2 = principal(tangent, e1, rng);
        double kept = 0;
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double p = dot(tangent[i], e1);
            double q = dot(tangent[i], e2);
            kept += p * p + q * q;
            double r = Math.hypot(p, q);
            // a tangent vector of length r at the centre lands at Euclidean radius tanh(r / 2)
            double s = r < 1e-300 ? 0 : Math.tanh(r / 2) / r;
            xy[2 * i] = p * s;
            xy[2 * i + 1] = q * s;
        }
        double share = total > 0 ? kept / total : 1;
        double rho = rankCorrelation(embedding, xy, seed);
        return new DiscLayout(xy, share, rho, String.format(Locale.ROOT,
                "%s seen through the log map at %s and two principal directions: %.0f%% of the variance kept, "
                        + "distance rank correlation %.2f (%,d pairs)", space, rootLabel, 100 * share, rho, PAIRS));
    }

    /** The top eigenvector of sum v v^T (orthogonal to {@code against} when given), by power iteration. */
    private static double[] principal(double[][] vectors, double[] against, SeededRandom rng) {
        int dim = vectors[0].length;
        double[] e = new double[dim];
        for (int k = 0; k < dim; k++) {
            e[k] = rng.nextGaussian();
        }
        orthonormalise(e, against);
        double[] next = new double[dim];
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            Arrays.fill(next, 0);
            for (double[] v : vectors) {
                double p = dot(v, e);
                for (int k = 0; k < dim; k++) {
                    next[k] += p * v[k];
                }
            }
            orthonormalise(next, against);
            System.arraycopy(next, 0, e, 0, dim);
        }
        // a fixed sign, so that successive frames of a training run do not flip
        int largest = 0;
        for (int k = 1; k < dim; k++) {
            if (Math.abs(e[k]) > Math.abs(e[largest])) {
                largest = k;
            }
        }
        if (e[largest] < 0) {
            for (int k = 0; k < dim; k++) {
                e[k] = -e[k];
            }
        }
        return e;
    }

    private static void orthonormalise(double[] e, double[] against) {
        if (against != null) {
            double p = dot(e, against);
            for (int k = 0; k < e.length; k++) {
                e[k] -= p * against[k];
            }
        }
        double norm = Math.sqrt(dot(e, e));
        if (norm < 1e-300) {
            Arrays.fill(e, 0);
            e[against != null && against[0] != 0 && e.length > 1 ? 1 : 0] = 1;
            return;
        }
        for (int k = 0; k < e.length; k++) {
            e[k] /= norm;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** Spearman correlation of the embedding's distances and the disc's, over seeded random pairs. */
    static double rankCorrelation(HierarchyEmbedding embedding, double[] xy, long seed) {
        int n = embedding.size();
        if (n < 3) {
            return 1;
        }
        SeededRandom rng = new SeededRandom(seed ^ 0x5DEECE66DL);
        double[] truth = new double[PAIRS];
        double[] drawn = new double[PAIRS];
        for (int p = 0; p < PAIRS; p++) {
            int i = rng.nextInt(n);
            int j = rng.nextInt(n - 1);
            if (j >= i) {
                j++;
            }
            truth[p] = embedding.distance(i, j);
            drawn[p] = unitDistance(xy[2 * i], xy[2 * i + 1], xy[2 * j], xy[2 * j + 1]);
        }
        return pearson(ranks(truth), ranks(drawn));
    }

    /** Hyperbolic distance in the unit disc: arcosh(1 + 2 |x - y|^2 / ((1 - |x|^2)(1 - |y|^2))). */
    static double unitDistance(double x1, double y1, double x2, double y2) {
        double dx = x1 - x2;
        double dy = y1 - y2;
        double a = Math.max(1e-15, 1 - x1 * x1 - y1 * y1);
        double b = Math.max(1e-15, 1 - x2 * x2 - y2 * y2);
        double z = 1 + 2 * (dx * dx + dy * dy) / (a * b);
        return Math.log(z + Math.sqrt(Math.max(0, z * z - 1)));
    }

    private static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] rank = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = mean;
            }
            i = j + 1;
        }
        return rank;
    }

    private static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 1;
    }
}
