package org.flowbench.compute.ode;

import java.util.Arrays;

/** Collects frames and stage points for a {@link Trajectory}; one per integration. */
final class TrajectoryRecorder {
    private final Recording recording;
    private final int m;
    private final int stages;
    private final boolean keepStages;

    private double[] frameTimes = new double[16];
    private int[] frameSteps = new int[16];
    private float[] framePositions;
    private int frames;

    private int[] stageSteps = new int[16];
    private double[] stageTimes;
    private float[] stagePoints;
    private int stageRecords;

    TrajectoryRecorder(Recording recording, int n, int stages) {
        recording.checkAgainst(n);
        this.recording = recording;
        this.m = recording.particleCount();
        this.stages = stages;
        this.keepStages = recording.stages() && m > 0;
        this.framePositions = new float[16 * 2 * m];
        this.stageTimes = new double[keepStages ? 16 * stages : 0];
        this.stagePoints = new float[keepStages ? 16 * stages * 2 * m : 0];
    }

    boolean active() {
        return m > 0;
    }

    /** Whether the step starting after {@code stepsDone} steps is one whose stages are kept. */
    boolean wantsStages(int stepsDone) {
        return keepStages && stepsDone % recording.every() == 0;
    }

    /** Whether a frame is due after {@code stepsDone} steps (the last one is added by {@link #finish}). */
    boolean wantsFrame(int stepsDone) {
        return m > 0 && stepsDone % recording.every() == 0;
    }

    void addFrame(int stepsDone, double t, float[] x) {
        if (frames == frameTimes.length) {
            frameTimes = Arrays.copyOf(frameTimes, 2 * frames);
            frameSteps = Arrays.copyOf(frameSteps, 2 * frames);
            framePositions = Arrays.copyOf(framePositions, 2 * frames * 2 * m);
        }
        frameTimes[frames] = t;
        frameSteps[frames] = stepsDone;
        copySelected(x, framePositions, frames * 2 * m);
        frames++;
    }

    /** Starts the stage record of step {@code step}. */
    void beginStages(int step) {
        if (stageRecords == stageSteps.length) {
            stageSteps = Arrays.copyOf(stageSteps, 2 * stageRecords);
            stageTimes = Arrays.copyOf(stageTimes, 2 * stageRecords * stages);
            stagePoints = Arrays.copyOf(stagePoints, 2 * stageRecords * stages * 2 * m);
        }
        stageSteps[stageRecords] = step;
        stageRecords++;
    }

    void addStage(int stage, double t, float[] x) {
        int r = stageRecords - 1;
        stageTimes[r * stages + stage] = t;
        copySelected(x, stagePoints, (r * stages + stage) * 2 * m);
    }

    /** Drops the stage record just begun (a rejected adaptive step). */
    void discardStages() {
        stageRecords--;
    }

    Trajectory finish(int stepsDone, double t, float[] x) {
        if (m == 0) {
            return Trajectory.empty();
        }
        if (frames == 0 || frameSteps[frames - 1] != stepsDone) {
            addFrame(stepsDone, t, x);
        }
        return new Trajectory(recording.particles(), Arrays.copyOf(frameTimes, frames), Arrays.copyOf(frameSteps, frames),
                Arrays.copyOf(framePositions, frames * 2 * m), keepStages ? stages : 0,
                Arrays.copyOf(stageSteps, keepStages ? stageRecords : 0),
                Arrays.copyOf(stageTimes, keepStages ? stageRecords * stages : 0),
                Arrays.copyOf(stagePoints, keepStages ? stageRecords * stages * 2 * m : 0));
    }

    private void copySelected(float[] x, float[] dst, int offset) {
        for (int p = 0; p < m; p++) {
            int i = recording.particle(p);
            dst[offset + 2 * p] = x[2 * i];
            dst[offset + 2 * p + 1] = x[2 * i + 1];
        }
    }
}
