package org.flowbench.compute.ode;

/**
 * One solver step from (t, x) to (t + h, next), with the s points where the velocity was
 * evaluated and the velocities found there, for drawing a step one stage at a time. Immutable;
 * accessors hand out copies.
 *
 * <p>Layouts: {@code next // [n*2]}, {@code stagePoints, stageVelocities // [s*n*2]} (stage q,
 * particle i at {@code (q*n + i)*2}), {@code stageTimes // [s]}.
 */
public final class StepResult {
    private final String solver;
    private final double time;
    private final double stepSize;
    private final int count;
    private final float[] next;
    private final double[] stageTimes;
    private final float[] stagePoints;
    private final float[] stageVelocities;
    private final int nfe;
    private final double errorNorm;

    StepResult(String solver, double time, double stepSize, int count, float[] next, double[] stageTimes,
               float[] stagePoints, float[] stageVelocities, int nfe, double errorNorm) {
        this.solver = solver;
        this.time = time;
        this.stepSize = stepSize;
        this.count = count;
        this.next = next;
        this.stageTimes = stageTimes;
        this.stagePoints = stagePoints;
        this.stageVelocities = stageVelocities;
        this.nfe = nfe;
        this.errorNorm = errorNorm;
    }

    public String solver() {
        return solver;
    }

    /** The time the step starts from. */
    public double time() {
        return time;
    }

    /** h; negative when integrating backwards. */
    public double stepSize() {
        return stepSize;
    }

    /** t + h. */
    public double nextTime() {
        return time + stepSize;
    }

    /** n, the number of particles. */
    public int particleCount() {
        return count;
    }

    /** {@code [n*2]} the state at t + h. */
    public float[] next() {
        return next.clone();
    }

    /** s, the number of velocity evaluations in the step. */
    public int stageCount() {
        return stageTimes.length;
    }

    /** {@code [s]}. */
    public double[] stageTimes() {
        return stageTimes.clone();
    }

    /** {@code [s*n*2]}; stage 0 is the starting state. */
    public float[] stagePoints() {
        return stagePoints.clone();
    }

    /** {@code [s*n*2]}. */
    public float[] stageVelocities() {
        return stageVelocities.clone();
    }

    /** Velocity evaluations spent. */
    public int nfe() {
        return nfe;
    }

    /** The embedded error estimate in units of the tolerance (adaptive solvers), NaN otherwise. */
    public double errorNorm() {
        return errorNorm;
    }
}
