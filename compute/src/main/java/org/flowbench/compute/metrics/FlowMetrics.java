package org.flowbench.compute.metrics;

import org.flowbench.compute.ode.Trajectory;
import org.flowbench.compute.ot.SquaredEuclideanOt;

/**
 * Trajectory measures from flows.md, computed on recorded frames x_0..x_F at times t_0..t_F
 * (record every step for the estimates the papers use; coarser recordings give coarser chords).
 * With dt_i = t_{i+1} - t_i and T = t_F - t_0:
 * <ul>
 *   <li>straightness S = sum_i (dt_i / T) mean_p || (x_{i+1} - x_i) / dt_i - (x_F - x_0) / T ||^2,
 *       the discrete form of Liu et al.'s integral_0^1 E || (Z1 - Z0) - dZ_t/dt ||^2 dt (on a
 *       uniform grid over [0, 1] it is exactly "mean over steps" of flows.md). 0 means straight
 *       lines at constant speed.</li>
 *   <li>path energy E = mean_p sum_i || x_{i+1} - x_i ||^2 / |dt_i|, the integral of
 *       ||dx/dt||^2 with dx/dt replaced by each step's chord velocity. By Cauchy-Schwarz this
 *       never exceeds the exact integral and converges to it at O(dt^2) on smooth paths; it is
 *       exact for straight constant-speed paths.</li>
 *   <li>normalized path energy NPE = |E - W2^2(p0, p1)| / W2^2(p0, p1) (Tong et al.), with W2^2
 *       estimated by exact OT between the simulated source points and a target sample of the
 *       same size.</li>
 * </ul>
 */
public final class FlowMetrics {

    private FlowMetrics() {
    }

    /** Straightness S of the recorded particles; see the class comment. */
    public static double straightness(Trajectory trajectory) {
        int frames = checkFrames(trajectory);
        return straightness(trajectory.framePositions(), java.util.Arrays.copyOf(trajectory.frameTimes(), frames),
                trajectory.particleCount());
    }

    /**
     * Straightness S of {@code n} particles whose states are given at {@code times // [F]}:
     * {@code states // [F*n*2]}, frame f, particle p at {@code (f*n + p)*2}.
     */
    public static double straightness(float[] states, double[] times, int n) {
        int frames = times.length;
        if (frames < 2 || n < 1 || states.length < frames * n * 2) {
            throw new IllegalArgumentException("straightness needs at least two frames of " + n + " particles");
        }
        double total = times[frames - 1] - times[0];
        int last = (frames - 1) * n;
        double sum = 0;
        for (int f = 0; f + 1 < frames; f++) {
            double dt = times[f + 1] - times[f];
            double acc = 0;
            for (int p = 0; p < n; p++) {
                int a = (f * n + p) * 2;
                int b = a + 2 * n;
                double chordX = (states[(last + p) * 2] - states[p * 2]) / total;
                double chordY = (states[(last + p) * 2 + 1] - states[p * 2 + 1]) / total;
                double dx = (states[b] - states[a]) / dt - chordX;
                double dy = (states[b + 1] - states[a + 1]) / dt - chordY;
                acc += dx * dx + dy * dy;
            }
            sum += (dt / total) * (acc / n);
        }
        return sum;
    }

    /** Path energy E (integral of ||dx/dt||^2 along the recorded paths, averaged over particles). */
    public static double pathEnergy(Trajectory trajectory) {
        int frames = checkFrames(trajectory);
        int m = trajectory.particleCount();
        double[] t = trajectory.frameTimes();
        float[] x = trajectory.framePositions();
        double sum = 0;
        for (int f = 0; f + 1 < frames; f++) {
            double dt = Math.abs(t[f + 1] - t[f]);
            double acc = 0;
            for (int p = 0; p < m; p++) {
                int a = (f * m + p) * 2;
                int b = a + 2 * m;
                double dx = x[b] - x[a];
                double dy = x[b + 1] - x[a + 1];
                acc += dx * dx + dy * dy;
            }
            sum += acc / (m * dt);
        }
        return sum;
    }

    /** |E - W2^2| / W2^2. */
    public static double normalizedPathEnergy(double pathEnergy, double w2SquaredSourceTarget) {
        if (!(w2SquaredSourceTarget > 0) || !Double.isFinite(w2SquaredSourceTarget)) {
            throw new IllegalArgumentException("W2^2 between source and target must be finite and > 0, got " + w2SquaredSourceTarget);
        }
        return Math.abs(pathEnergy - w2SquaredSourceTarget) / w2SquaredSourceTarget;
    }

    /** Exact W2 between two equal-size point sets {@code [n*2]}. */
    public static double w2(float[] a, float[] b) {
        return SquaredEuclideanOt.w2(a, b);
    }

    private static int checkFrames(Trajectory trajectory) {
        if (trajectory == null || trajectory.isEmpty() || trajectory.frameCount() < 2) {
            throw new IllegalArgumentException("trajectory measures need recorded particles and at least two frames");
        }
        return trajectory.frameCount();
    }
}
