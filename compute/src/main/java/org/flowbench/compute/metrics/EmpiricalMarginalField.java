package org.flowbench.compute.metrics;

import java.util.stream.IntStream;
import org.flowbench.compute.ode.VelocityField;
import org.flowbench.compute.path.ProbabilityPath;

/**
 * The exact marginal velocity u_t(x) = E[alpha'(t) x0 + beta'(t) x1 | x_t = x] of an affine
 * probability path from the standard normal source N(0, I) to the empirical distribution of m
 * target points y_j (uniform weights), with the independent coupling. This is the minimiser of
 * the conditional flow-matching loss, i.e. what a perfectly trained network would learn.
 *
 * <p>Given x1 = y_j, x_t = beta y_j + (alpha x0 + s eps) with alpha x0 + s eps ~ N(0, (alpha^2 + s^2) I),
 * so with var = alpha^2 + s^2:
 * <pre>
 *   w_j(x)  = softmax_j( -||x - beta y_j||^2 / (2 var) )
 *   u_t(x)  = sum_j w_j(x) [ (alpha' alpha / var) (x - beta y_j) + beta' y_j ]
 * </pre>
 * When var vanishes (t = 1 on the rectified and vp paths) the field depends on how a particle
 * arrives, not only where, so it is undefined there; times are clamped to keep
 * var >= {@link #MIN_VARIANCE} (t <= 1 - 1e-4 on the rectified path). A particle sitting on a target
 * point there gets velocity ~0 instead of its arrival speed, so solvers with a stage at t = 1 (Heun,
 * RK4, dopri5) lose part of their last step (1/6 of it for RK4); Euler and midpoint never evaluate
 * at t = 1. A small path sigma (icfm or lipman) removes the singularity altogether.
 * Thread-safe: no scratch state (large batches are split over the common fork-join pool).
 */
public final class EmpiricalMarginalField implements VelocityField {

    /** Smallest conditional variance used; see the class comment. */
    public static final double MIN_VARIANCE = 1e-8;
    /** Largest target set (the field costs O(n m) per evaluation). */
    public static final int MAX_TARGETS = 100_000;

    private static final int PARALLEL_WORK = 1 << 18;

    private final ProbabilityPath path;
    private final float[] targets; // [m*2]
    private final int m;
    private final double tMax;

    /**
     * @param path    any affine path; its source is taken to be N(0, I)
     * @param targets {@code [m*2]} target points (copied), finite, at least one
     */
    public EmpiricalMarginalField(ProbabilityPath path, float[] targets) {
        if (path == null) {
            throw new IllegalArgumentException("probability path is missing");
        }
        if (targets == null || targets.length < 2 || targets.length % 2 != 0) {
            throw new IllegalArgumentException("target points must be a non-empty [m*2] array");
        }
        if (targets.length / 2 > MAX_TARGETS) {
            throw new IllegalArgumentException("at most " + MAX_TARGETS + " target points, got " + targets.length / 2);
        }
        for (int k = 0; k < targets.length; k++) {
            if (!Float.isFinite(targets[k])) {
                throw new IllegalArgumentException("target point " + k / 2 + " is not finite");
            }
        }
        this.path = path;
        this.targets = targets.clone();
        this.m = targets.length / 2;
        this.tMax = largestRegularTime(path);
    }

    public ProbabilityPath path() {
        return path;
    }

    /** {@code [m*2]} a copy of the target points. */
    public float[] targets() {
        return targets.clone();
    }

    public int targetCount() {
        return m;
    }

    @Override
    public void velocity(float[] x, int n, float t, float[] v) {
        double te = Math.min(t, tMax);
        double a = path.alpha(te);
        double b = path.beta(te);
        double s = path.noiseStd();
        double var = Math.max(a * a + s * s, MIN_VARIANCE);
        double pull = path.alphaDot(te) * a / var;
        double bd = path.betaDot(te);
        double inv2var = 0.5 / var;
        if ((long) n * m >= PARALLEL_WORK) {
            IntStream.range(0, n).parallel().forEach(i -> one(x, v, i, b, pull, bd, inv2var));
        } else {
            for (int i = 0; i < n; i++) {
                one(x, v, i, b, pull, bd, inv2var);
            }
        }
    }

    private void one(float[] x, float[] v, int i, double b, double pull, double bd, double inv2var) {
        double px = x[2 * i];
        double py = x[2 * i + 1];
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            double dx = px - b * targets[2 * j];
            double dy = py - b * targets[2 * j + 1];
            double logit = -(dx * dx + dy * dy) * inv2var;
            if (logit > best) {
                best = logit;
            }
        }
        double wSum = 0;
        double yx = 0;
        double yy = 0;
        for (int j = 0; j < m; j++) {
            double dx = px - b * targets[2 * j];
            double dy = py - b * targets[2 * j + 1];
            double logit = -(dx * dx + dy * dy) * inv2var - best;
            if (logit > -60) {
                double w = Math.exp(logit);
                wSum += w;
                yx += w * targets[2 * j];
                yy += w * targets[2 * j + 1];
            }
        }
        // sum_j w_j [pull (x - b y_j) + bd y_j] = pull x + (bd - pull b) E[y]
        double ex = yx / wSum;
        double ey = yy / wSum;
        double k = bd - pull * b;
        v[2 * i] = (float) (pull * px + k * ex);
        v[2 * i + 1] = (float) (pull * py + k * ey);
    }

    /** Largest t in [0, 1] with alpha(t)^2 + s^2 >= MIN_VARIANCE (alpha decreases on every path here). */
    private static double largestRegularTime(ProbabilityPath path) {
        double s = path.noiseStd();
        double a1 = path.alpha(1.0);
        if (a1 * a1 + s * s >= MIN_VARIANCE) {
            return 1.0;
        }
        double lo = 0;
        double hi = 1;
        for (int it = 0; it < 60; it++) {
            double mid = 0.5 * (lo + hi);
            double a = path.alpha(mid);
            if (a * a + s * s >= MIN_VARIANCE) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
