package org.flowbench.compute.boss;

import org.flowbench.compute.ode.TimeGrid;

/**
 * A K-step sampling schedule picked from a fine grid, and its total jump cost. Immutable.
 *
 * @param indices {@code [K+1]} fine-grid indices, 0 first and M last
 * @param times   {@code [K+1]} the corresponding times
 * @param cost    sum of c[indices[k]][indices[k+1]]
 */
public record BossSchedule(int[] indices, double[] times, double cost) {

    public BossSchedule {
        indices = indices.clone();
        times = times.clone();
    }

    /** K. */
    public int steps() {
        return indices.length - 1;
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public double[] times() {
        return times.clone();
    }

    /** The schedule as a time grid for the fixed-step solvers. */
    public TimeGrid grid() {
        return TimeGrid.of(times);
    }
}
