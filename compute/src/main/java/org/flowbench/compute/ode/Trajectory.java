package org.flowbench.compute.ode;

/**
 * Recorded paths of m chosen particles: F frames (the start, every k-th step, the end) and,
 * when asked for, the stage points of the steps starting at those frames. Immutable; accessors
 * hand out copies.
 *
 * <p>Layouts: {@code framePositions // [F*m*2]} (frame f, particle slot p at
 * {@code (f*m + p)*2}); {@code stagePoints // [R*s*m*2]} for R recorded steps of s stages
 * (step r, stage q, slot p at {@code ((r*s + q)*m + p)*2}), {@code stageTimes // [R*s]}.
 */
public final class Trajectory {

    private final int[] particles;
    private final double[] frameTimes;
    private final int[] frameSteps;
    private final float[] framePositions;
    private final int stagesPerStep;
    private final int[] stageSteps;
    private final double[] stageTimes;
    private final float[] stagePoints;

    Trajectory(int[] particles, double[] frameTimes, int[] frameSteps, float[] framePositions,
               int stagesPerStep, int[] stageSteps, double[] stageTimes, float[] stagePoints) {
        this.particles = particles;
        this.frameTimes = frameTimes;
        this.frameSteps = frameSteps;
        this.framePositions = framePositions;
        this.stagesPerStep = stagesPerStep;
        this.stageSteps = stageSteps;
        this.stageTimes = stageTimes;
        this.stagePoints = stagePoints;
    }

    static Trajectory empty() {
        return new Trajectory(new int[0], new double[0], new int[0], new float[0], 0, new int[0], new double[0], new float[0]);
    }

    /** Batch indices of the recorded particles, in slot order. */
    public int[] particles() {
        return particles.clone();
    }

    /** m, the number of recorded particles. */
    public int particleCount() {
        return particles.length;
    }

    public boolean isEmpty() {
        return particles.length == 0;
    }

    /** F, the number of frames. */
    public int frameCount() {
        return frameTimes.length;
    }

    /** {@code [F]} the time of each frame. */
    public double[] frameTimes() {
        return frameTimes.clone();
    }

    /** {@code [F]} the number of steps taken before each frame (0 for the first). */
    public int[] frameSteps() {
        return frameSteps.clone();
    }

    /** {@code [F*m*2]} positions of the recorded particles at each frame. */
    public float[] framePositions() {
        return framePositions.clone();
    }

    /** {@code [m*2]} positions at frame f. */
    public float[] frame(int f) {
        int m = particles.length;
        float[] out = new float[2 * m];
        System.arraycopy(framePositions, f * 2 * m, out, 0, 2 * m);
        return out;
    }

    /** {@code [F*2]} the path of slot p through all frames. */
    public float[] path(int slot) {
        int m = particles.length;
        float[] out = new float[2 * frameTimes.length];
        for (int f = 0; f < frameTimes.length; f++) {
            out[2 * f] = framePositions[(f * m + slot) * 2];
            out[2 * f + 1] = framePositions[(f * m + slot) * 2 + 1];
        }
        return out;
    }

    /** s, stages per recorded step (0 when stages were not recorded). */
    public int stagesPerStep() {
        return stagesPerStep;
    }

    /** R, the number of steps whose stage points were kept. */
    public int stageStepCount() {
        return stageSteps.length;
    }

    /** {@code [R]} index of each recorded step (step i goes from t_i to t_{i+1}). */
    public int[] stageSteps() {
        return stageSteps.clone();
    }

    /** {@code [R*s]} the time of each stage evaluation. */
    public double[] stageTimes() {
        return stageTimes.clone();
    }

    /** {@code [R*s*m*2]} the points at which the velocity was evaluated. */
    public float[] stagePoints() {
        return stagePoints.clone();
    }
}
