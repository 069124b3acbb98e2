package org.flowbench.views.trajectories;

/**
 * One model's sampling run, as the Trajectories lab draws it: every particle's state at every
 * time of the solver's grid, the NFE spent up to each state, the stage points of the traced
 * subset, and the velocity field on a fixed lattice at each grid time. Immutable; arrays are
 * never handed out for writing (callers treat them as read-only views to keep painting cheap).
 *
 * <p>Layouts: {@code states // [(S+1)*n*2]} (step k, particle i at {@code (k*n + i)*2}),
 * {@code times // [S+1]}, {@code nfe // [S+1]} cumulative, {@code stagePoints // [S*s*m*2]}
 * (step k, stage q, traced particle p at {@code ((k*s + q)*m + p)*2}), {@code stageTimes // [S*s]},
 * {@code fieldVelocities // [(S+1)*L*2]} at the lattice points {@code fieldPoints // [L*2]}.
 *
 * @param label        what the panel is called, e.g. "1-RF (moons-1rf)"
 * @param solver       solver name and settings
 * @param schedule     "uniform" or "BOSS-K"
 * @param n            number of particles
 * @param traced       m, particles 0..m-1 whose stage points are kept
 * @param stages       s, stage evaluations per step (0 when none were kept)
 * @param straightness straightness S of the whole batch along the solver's grid
 * @param oneStep      true for a one-step generator (drawn with its single Euler step)
 */
public record FlowRun(String label, String solver, String schedule, int n, float[] states, double[] times, int[] nfe,
                      int traced, int stages, double[] stageTimes, float[] stagePoints,
                      float[] fieldPoints, float[] fieldVelocities, double straightness, boolean oneStep) {

    public FlowRun {
        if (times.length < 2) {
            throw new IllegalArgumentException("a run needs at least one step, got " + (times.length - 1));
        }
        if (states.length != times.length * n * 2 || nfe.length != times.length) {
            throw new IllegalArgumentException("run arrays do not match " + (times.length - 1) + " steps of " + n + " particles");
        }
    }

    /** S, the number of solver steps. */
    public int steps() {
        return times.length - 1;
    }

    /** Velocity evaluations of the whole run. */
    public int totalNfe() {
        return nfe[nfe.length - 1];
    }

    /** The index k of the last grid time at or before {@code t} (0..S). */
    public int stepAt(double t) {
        int k = 0;
        while (k < steps() && times[k + 1] <= t + 1e-12) {
            k++;
        }
        return k;
    }

    /** True when {@code t} is one of this run's grid times. */
    public boolean isGridTime(double t) {
        for (double g : times) {
            if (Math.abs(g - t) < 1e-9) {
                return true;
            }
        }
        return false;
    }

    /** x of particle i at step k. */
    public float x(int k, int i) {
        return states[(k * n + i) * 2];
    }

    /** y of particle i at step k. */
    public float y(int k, int i) {
        return states[(k * n + i) * 2 + 1];
    }

    /**
     * Positions of all particles at time t {@code // [n*2]}: the solver's state at grid times,
     * straight interpolation between consecutive states in between (what the animation shows).
     */
    public float[] positionsAt(double t) {
        float[] out = new float[2 * n];
        positionsAt(t, out);
        return out;
    }

    /** As {@link #positionsAt(double)}, into {@code out // [n*2]}. */
    public void positionsAt(double t, float[] out) {
        int k = stepAt(t);
        if (k >= steps()) {
            System.arraycopy(states, steps() * n * 2, out, 0, 2 * n);
            return;
        }
        double a = (t - times[k]) / (times[k + 1] - times[k]);
        if (a <= 0) {
            System.arraycopy(states, k * n * 2, out, 0, 2 * n);
            return;
        }
        float w = (float) Math.min(1.0, a);
        int from = k * n * 2;
        int to = from + n * 2;
        for (int j = 0; j < 2 * n; j++) {
            out[j] = states[from + j] + w * (states[to + j] - states[from + j]);
        }
    }

    /** The final state {@code // [n*2]}. */
    public float[] finalState() {
        float[] out = new float[2 * n];
        System.arraycopy(states, steps() * n * 2, out, 0, 2 * n);
        return out;
    }

    /** The path of particle i through every grid time {@code // [(S+1)*2]}. */
    public float[] path(int i) {
        float[] out = new float[2 * times.length];
        for (int k = 0; k < times.length; k++) {
            out[2 * k] = x(k, i);
            out[2 * k + 1] = y(k, i);
        }
        return out;
    }

    /** Number of lattice points where the velocity field was sampled (0 when it was not). */
    public int fieldCount() {
        return fieldPoints.length / 2;
    }
}
