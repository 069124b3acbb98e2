package org.flowbench.compute.ode;

/**
 * The outcome of integrating a batch: the final state, the NFE spent, the times actually
 * stepped through and the recorded trajectory. Immutable; accessors hand out copies.
 */
public final class OdeResult {
    private final String solver;
    private final int count;
    private final float[] finalState;
    private final double[] stepTimes;
    private final int nfe;
    private final int rejectedSteps;
    private final Trajectory trajectory;

    OdeResult(String solver, int count, float[] finalState, double[] stepTimes, int nfe, int rejectedSteps, Trajectory trajectory) {
        this.solver = solver;
        this.count = count;
        this.finalState = finalState;
        this.stepTimes = stepTimes;
        this.nfe = nfe;
        this.rejectedSteps = rejectedSteps;
        this.trajectory = trajectory;
    }

    /** The solver's name and settings, e.g. {@code rk4} or {@code dopri5(atol=1e-5, rtol=1e-5)}. */
    public String solver() {
        return solver;
    }

    /** n. */
    public int particleCount() {
        return count;
    }

    /** {@code [n*2]} the state at the end time. */
    public float[] finalState() {
        return finalState.clone();
    }

    /** Velocity evaluations, including those of rejected adaptive steps and step-size selection. */
    public int nfe() {
        return nfe;
    }

    /** Accepted steps. */
    public int steps() {
        return stepTimes.length - 1;
    }

    /** Rejected adaptive steps (0 for fixed-step solvers). */
    public int rejectedSteps() {
        return rejectedSteps;
    }

    /** {@code [steps+1]} the times the solver landed on, start and end included. */
    public double[] stepTimes() {
        return stepTimes.clone();
    }

    public double startTime() {
        return stepTimes[0];
    }

    public double endTime() {
        return stepTimes[stepTimes.length - 1];
    }

    /** The recorded particles (empty when nothing was asked for). */
    public Trajectory trajectory() {
        return trajectory;
    }

    @Override
    public String toString() {
        return solver + ": " + steps() + " steps, " + nfe + " NFE, t " + startTime() + " -> " + endTime();
    }
}
