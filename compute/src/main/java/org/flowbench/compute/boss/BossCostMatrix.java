package org.flowbench.compute.boss;

import java.util.concurrent.CancellationException;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.ode.VelocityField;

/**
 * c[i][j] for 0 <= i < j <= M: the mean squared distance between one Euler jump from fine-grid
 * time t_i to t_j and the fine trajectory, c[i][j] = mean_s || x_{t_i} + v_i (t_j - t_i) - x_{t_j} ||^2,
 * where x and v = v(x_{t_i}, t_i) come from a fine Euler trajectory of the field over reference
 * noise samples. Immutable.
 */
public final class BossCostMatrix {

    /** The fine-grid size of the BOSS paper. */
    public static final int DEFAULT_FINE_STEPS = 100;
    /** Largest fine grid accepted (the matrix is (M+1)^2 doubles and the DP O(K M^2)). */
    public static final int MAX_FINE_STEPS = 2000;

    private final double[] times; // [M+1]
    private final double[] cost;  // [(M+1)*(M+1)], entries with i >= j unused (NaN)
    private final int nfe;

    private BossCostMatrix(double[] times, double[] cost, int nfe) {
        this.times = times;
        this.cost = cost;
        this.nfe = nfe;
    }

    /**
     * Measures the jump costs of {@code field} on the uniform grid of {@code fineSteps} steps over
     * [0, 1], from the reference noise {@code noise // [n*2]}. Costs {@code fineSteps} NFE.
     */
    public static BossCostMatrix measure(VelocityField field, float[] noise, int n, int fineSteps, IntegrationMonitor monitor) {
        if (fineSteps < 1 || fineSteps > MAX_FINE_STEPS) {
            throw new IllegalArgumentException("BOSS fine grid must have 1.." + MAX_FINE_STEPS + " steps, got " + fineSteps);
        }
        return measure(field, noise, n, TimeGrid.forward(fineSteps), monitor);
    }

    /** As {@link #measure(VelocityField, float[], int, int, IntegrationMonitor)} on any forward fine grid. */
    public static BossCostMatrix measure(VelocityField field, float[] noise, int n, TimeGrid fine, IntegrationMonitor monitor) {
        if (field == null || fine == null || monitor == null) {
            throw new IllegalArgumentException("BOSS needs a velocity field, a fine grid and a monitor");
        }
        if (!fine.isForward() || fine.steps() > MAX_FINE_STEPS) {
            throw new IllegalArgumentException("BOSS fine grid must run forward with at most " + MAX_FINE_STEPS + " steps, got " + fine);
        }
        if (n < 1 || noise == null || noise.length < 2 * n) {
            throw new IllegalArgumentException("BOSS needs at least one reference noise sample ([n*2] floats), got n=" + n);
        }
        for (int k = 0; k < 2 * n; k++) {
            if (!Float.isFinite(noise[k])) {
                throw new IllegalArgumentException("reference noise has a non-finite coordinate at sample " + k / 2);
            }
        }
        int m = fine.steps();
        int len = 2 * n;
        float[][] x = new float[m + 1][len];
        float[][] v = new float[m][len];
        System.arraycopy(noise, 0, x[0], 0, len);
        for (int i = 0; i < m; i++) {
            if (monitor.isCancelled() || Thread.currentThread().isInterrupted()) {
                throw new CancellationException("BOSS trajectory cancelled after " + i + " of " + m + " steps");
            }
            double t = fine.time(i);
            float h = (float) (fine.time(i + 1) - t);
            field.velocity(x[i], n, (float) t, v[i]);
            float[] from = x[i];
            float[] to = x[i + 1];
            float[] vi = v[i];
            for (int k = 0; k < len; k++) {
                to[k] = from[k] + h * vi[k];
            }
            monitor.onStep(i + 1, m, fine.time(i + 1));
        }
        for (int k = 0; k < len; k++) {
            if (!Float.isFinite(x[m][k])) {
                throw new IllegalStateException("BOSS fine trajectory became non-finite; the velocity field diverges");
            }
        }
        int size = m + 1;
        double[] c = new double[size * size];
        java.util.Arrays.fill(c, Double.NaN);
        for (int i = 0; i < m; i++) {
            float[] xi = x[i];
            float[] vi = v[i];
            for (int j = i + 1; j <= m; j++) {
                double dt = fine.time(j) - fine.time(i);
                float[] xj = x[j];
                double sum = 0;
                for (int k = 0; k < len; k++) {
                    double d = xi[k] + vi[k] * dt - xj[k];
                    sum += d * d;
                }
                c[i * size + j] = sum / n;
            }
        }
        return new BossCostMatrix(fine.times(), c, m);
    }

    /**
     * A cost matrix given directly (for tests and for costs measured elsewhere).
     *
     * @param times {@code [M+1]} strictly increasing fine-grid times
     * @param cost  {@code [(M+1)*(M+1)]} row-major; entries with i < j must be finite and >= 0
     */
    public static BossCostMatrix of(double[] times, double[] cost) {
        TimeGrid grid = TimeGrid.of(times);
        if (!grid.isForward()) {
            throw new IllegalArgumentException("BOSS fine-grid times must increase");
        }
        int size = times.length;
        if (cost == null || cost.length != size * size) {
            throw new IllegalArgumentException("BOSS cost matrix must have (M+1)^2 = " + size * size + " entries");
        }
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                double c = cost[i * size + j];
                if (!(c >= 0) || !Double.isFinite(c)) {
                    throw new IllegalArgumentException("BOSS cost c[" + i + "][" + j + "] must be finite and >= 0, got " + c);
                }
            }
        }
        return new BossCostMatrix(times.clone(), cost.clone(), 0);
    }

    /** M, the number of fine steps. */
    public int fineSteps() {
        return times.length - 1;
    }

    /** t_i of the fine grid. */
    public double time(int i) {
        return times[i];
    }

    /** {@code [M+1]} the fine-grid times. */
    public double[] times() {
        return times.clone();
    }

    /** c[i][j], i < j. */
    public double cost(int i, int j) {
        if (i < 0 || j > fineSteps() || i >= j) {
            throw new IllegalArgumentException("BOSS cost needs 0 <= i < j <= " + fineSteps() + ", got i=" + i + ", j=" + j);
        }
        return cost[i * times.length + j];
    }

    /** Velocity evaluations spent measuring the matrix (0 when given directly). */
    public int nfe() {
        return nfe;
    }
}
