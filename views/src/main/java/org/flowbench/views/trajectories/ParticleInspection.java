package org.flowbench.views.trajectories;

import org.flowbench.compute.ode.ExplicitRungeKutta;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.ode.VelocityField;

/**
 * One particle's path under one model, step by step: time, position, velocity at the state, and
 * the local error of the step that led there against a fine reference (RK4 with
 * {@link #REFERENCE_SUBSTEPS} substeps from the previous state over the same interval).
 *
 * <p>Layouts: {@code times // [S+1]}, {@code xy, v // [(S+1)*2]}, {@code localError // [S+1]}
 * (0 at the start).
 *
 * @param straightness this particle's discrete straightness along the solver's grid
 */
public record ParticleInspection(String label, int particle, double[] times, float[] xy, float[] v, double[] localError,
                                 double straightness) {

    static final int REFERENCE_SUBSTEPS = 64;

    /** Inspects particle {@code i} of {@code run}; the caller holds the model lock. */
    static ParticleInspection of(FlowRun run, VelocityField field, int i) {
        int steps = run.steps();
        double[] times = run.times().clone();
        float[] xy = run.path(i);
        float[] v = new float[xy.length];
        double[] error = new double[steps + 1];
        float[] one = new float[2];
        float[] out = new float[2];
        for (int k = 0; k <= steps; k++) {
            one[0] = xy[2 * k];
            one[1] = xy[2 * k + 1];
            field.velocity(one, 1, (float) times[k], out);
            v[2 * k] = out[0];
            v[2 * k + 1] = out[1];
            if (k > 0 && !run.oneStep()) {
                float[] from = {xy[2 * k - 2], xy[2 * k - 1]};
                float[] ref = ExplicitRungeKutta.RK4.integrate(field, from, 1,
                        TimeGrid.uniform(times[k - 1], times[k], REFERENCE_SUBSTEPS)).finalState();
                error[k] = Math.hypot(xy[2 * k] - ref[0], xy[2 * k + 1] - ref[1]);
            }
        }
        double straightness = org.flowbench.compute.metrics.FlowMetrics.straightness(xy, times, 1);
        return new ParticleInspection(run.label(), i, times, xy, v, error, straightness);
    }

    public int steps() {
        return times.length - 1;
    }
}
