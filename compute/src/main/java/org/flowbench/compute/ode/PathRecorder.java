package org.flowbench.compute.ode;

import java.util.Arrays;

/**
 * A step handler that keeps a whole run for drawing it step by step: every particle's state at
 * the start and after each accepted step, the evaluations spent up to each state (rejected
 * adaptive attempts included), and the stage points of the first {@code traced} particles.
 *
 * <p>Layouts once finished: {@link #states()} {@code [(S+1)*n*2]}, {@link #times()} {@code [S+1]},
 * {@link #evaluations()} {@code [S+1]}, {@link #stageTimes()} {@code [S*s]},
 * {@link #stagePoints()} {@code [S*s*m*2]} (step k, stage q, traced particle p at
 * {@code ((k*s + q)*m + p)*2}). Not thread-safe; one recorder per integration.
 */
public final class PathRecorder implements OdeStepHandler {

    private final int n;
    private final int traced;
    private float[] states;
    private double[] times;
    private int[] evaluations;
    private double[] stageTimes = new double[0];
    private float[] stagePoints = new float[0];
    private int stages;
    private int steps;

    /**
     * @param x0     {@code [n*2]} the starting state
     * @param t0     the starting time
     * @param traced m, how many leading particles keep their stage points (0 for none)
     */
    public PathRecorder(float[] x0, int n, double t0, int traced) {
        if (n < 0 || x0.length < 2 * n || traced < 0) {
            throw new IllegalArgumentException("path recorder needs n >= 0 particles of 2 coordinates and traced >= 0");
        }
        this.n = n;
        this.traced = Math.min(traced, n);
        this.states = Arrays.copyOf(x0, Math.max(2 * n, 1) * 9);
        this.times = new double[9];
        this.evaluations = new int[9];
        times[0] = t0;
    }

    @Override
    public boolean wantsStages() {
        return traced > 0;
    }

    @Override
    public void handleStep(AcceptedStep step) {
        int k = steps++;
        int frames = steps + 1;
        if (frames > times.length) {
            int capacity = 2 * frames;
            times = Arrays.copyOf(times, capacity);
            evaluations = Arrays.copyOf(evaluations, capacity);
            states = Arrays.copyOf(states, capacity * 2 * n);
        }
        times[frames - 1] = step.end();
        evaluations[frames - 1] = step.evaluations();
        System.arraycopy(step.state(), 0, states, (frames - 1) * 2 * n, 2 * n);
        if (step.stages() > 0 && traced > 0) {
            int s = step.stages();
            stages = s;
            if ((k + 1) * s > stageTimes.length) {
                int capacity = 2 * (k + 1) * s;
                stageTimes = Arrays.copyOf(stageTimes, capacity);
                stagePoints = Arrays.copyOf(stagePoints, capacity * traced * 2);
            }
            for (int q = 0; q < s; q++) {
                stageTimes[k * s + q] = step.stageTimes()[q];
                System.arraycopy(step.stagePoints(), q * n * 2, stagePoints, (k * s + q) * traced * 2, traced * 2);
            }
        }
    }

    /** S, the accepted steps so far. */
    public int steps() {
        return steps;
    }

    /** s, stage points per step (0 when none were kept). */
    public int stages() {
        return stages;
    }

    /** m, the particles whose stage points are kept. */
    public int traced() {
        return traced;
    }

    public float[] states() {
        return Arrays.copyOf(states, (steps + 1) * 2 * n);
    }

    public double[] times() {
        return Arrays.copyOf(times, steps + 1);
    }

    public int[] evaluations() {
        return Arrays.copyOf(evaluations, steps + 1);
    }

    public double[] stageTimes() {
        return Arrays.copyOf(stageTimes, steps * stages);
    }

    public float[] stagePoints() {
        return Arrays.copyOf(stagePoints, steps * stages * traced * 2);
    }
}
