package org.flowbench.views.trajectories;

import org.flowbench.compute.boss.Boss;
import org.flowbench.compute.boss.BossCostMatrix;
import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.ode.DormandPrince;
import org.flowbench.compute.ode.ExplicitRungeKutta;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.OdeResult;
import org.flowbench.compute.ode.OdeSolver;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.ode.Solvers;
import org.flowbench.compute.ode.StepResult;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.ode.Trajectory;
import org.flowbench.compute.ode.VelocityField;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Runs one model the way the lab shows it: a fixed-step solver one {@link OdeSolver#step} at a
 * time (so each step's stage points are kept), or dopri5 through {@link OdeSolver#integrate}
 * with every accepted step recorded. A counting wrapper around the field gives the exact NFE
 * spent up to each state, rejected dopri5 attempts included.
 */
public final class FlowSampler {

    /** Fine grid of the BOSS cost matrix (the paper's M = 100). */
    static final int BOSS_FINE_STEPS = BossCostMatrix.DEFAULT_FINE_STEPS;
    /** Reference noise samples of the BOSS cost matrix. */
    static final int BOSS_REFERENCE = 500;
    /** Lattice of the velocity-field arrows: columns x rows over {@link #FIELD_BOUNDS}. */
    static final int FIELD_COLUMNS = 21;
    static final int FIELD_ROWS = 15;
    static final double[] FIELD_BOUNDS = {-4.2, 4.2, -3.0, 3.0};

    private FlowSampler() {
    }

    /** The grid the solver walks: uniform, or BOSS-K for this field. */
    public static TimeGrid grid(VelocityField field, Dataset source, SamplingSettings settings, BooleanSupplier cancelled) {
        if (!SamplingSettings.BOSS.equals(settings.schedule())) {
            return TimeGrid.forward(settings.steps());
        }
        return bossPlan("", field, source, settings, cancelled).schedule().grid();
    }

    /**
     * BOSS for this field: the cost matrix measured on {@value #BOSS_REFERENCE} reference noise
     * samples over the paper's fine grid, and the least-cost schedule of the settings' steps.
     */
    public static BossPlan bossPlan(String label, VelocityField field, Dataset source, SamplingSettings settings,
                                    BooleanSupplier cancelled) {
        float[] reference = source.sample(BOSS_REFERENCE, settings.seed() ^ 0xB055L);
        BossCostMatrix costs = BossCostMatrix.measure(field, reference, BOSS_REFERENCE, BOSS_FINE_STEPS, monitor(cancelled));
        return new BossPlan(label, costs, Boss.optimalSchedule(costs, Math.min(settings.steps(), BOSS_FINE_STEPS)));
    }

    /**
     * Samples {@code noise // [n*2]} through {@code field}.
     *
     * @param oneStep a one-step generator: one Euler step from t = 0 whatever the settings say
     */
    public static FlowRun run(String label, VelocityField field, float[] noise, TimeGrid grid, SamplingSettings settings,
                              boolean oneStep, BooleanSupplier cancelled) {
        int n = noise.length / 2;
        int m = Math.min(settings.traced(), n);
        CountingField counting = new CountingField(field);
        OdeSolver solver = oneStep ? ExplicitRungeKutta.EULER : Solvers.byName(settings.solver(), settings.tolerance(), settings.tolerance());
        TimeGrid walked = oneStep ? TimeGrid.forward(1) : grid;
        String schedule = oneStep ? "one step" : SamplingSettings.BOSS.equals(settings.schedule())
                ? "BOSS-" + walked.steps() : "uniform";
        Steps steps = solver instanceof DormandPrince
                ? adaptive(solver, counting, noise, n, m, walked, cancelled)
                : fixed((ExplicitRungeKutta) solver, counting, noise, n, m, walked, cancelled);
        float[] lattice = lattice();
        int lat = lattice.length / 2;
        float[] fieldVelocities = new float[steps.times.length * lat * 2];
        float[] v = new float[lat * 2];
        for (int k = 0; k < steps.times.length; k++) {
            field.velocity(lattice, lat, (float) steps.times[k], v);
            System.arraycopy(v, 0, fieldVelocities, k * lat * 2, lat * 2);
        }
        double straightness = straightness(steps.states, steps.times, n);
        return new FlowRun(label, solver.name(), schedule, n, steps.states, steps.times, steps.nfe, m, steps.stages,
                steps.stageTimes, steps.stagePoints, lattice, fieldVelocities, straightness, oneStep);
    }

    private record Steps(float[] states, double[] times, int[] nfe, int stages, double[] stageTimes, float[] stagePoints) {
    }

    private static Steps fixed(ExplicitRungeKutta solver, CountingField field, float[] noise, int n, int m, TimeGrid grid,
                               BooleanSupplier cancelled) {
        int steps = grid.steps();
        int s = solver.stages();
        float[] states = new float[(steps + 1) * n * 2];
        int[] nfe = new int[steps + 1];
        double[] stageTimes = new double[steps * s];
        float[] stagePoints = new float[steps * s * m * 2];
        System.arraycopy(noise, 0, states, 0, 2 * n);
        float[] x = noise.clone();
        for (int k = 0; k < steps; k++) {
            checkCancelled(cancelled);
            double t = grid.time(k);
            StepResult step = solver.step(field, x, n, t, grid.time(k + 1) - t);
            x = step.next();
            for (int j = 0; j < 2 * n; j++) {
                if (!Float.isFinite(x[j])) {
                    throw new IllegalStateException(solver.name() + " diverged at step " + (k + 1) + " (t = "
                            + String.format(java.util.Locale.ROOT, "%.3f", grid.time(k + 1)) + "); try more steps");
                }
            }
            System.arraycopy(x, 0, states, (k + 1) * n * 2, 2 * n);
            nfe[k + 1] = field.count;
            double[] times = step.stageTimes();
            float[] points = step.stagePoints();
            for (int q = 0; q < s; q++) {
                stageTimes[k * s + q] = times[q];
                System.arraycopy(points, q * n * 2, stagePoints, (k * s + q) * m * 2, m * 2);
            }
        }
        return new Steps(states, grid.times(), nfe, s, stageTimes, stagePoints);
    }

    private static Steps adaptive(OdeSolver solver, CountingField field, float[] noise, int n, int m, TimeGrid grid,
                                  BooleanSupplier cancelled) {
        int[][] nfeAt = {new int[64]};
        IntegrationMonitor monitor = new IntegrationMonitor() {
            @Override
            public boolean isCancelled() {
                return cancelled.getAsBoolean();
            }

            @Override
            public void onStep(int stepsDone, int stepsPlanned, double t) {
                if (stepsDone >= nfeAt[0].length) {
                    nfeAt[0] = java.util.Arrays.copyOf(nfeAt[0], 2 * stepsDone);
                }
                nfeAt[0][stepsDone] = field.count;
            }
        };
        OdeResult result = solver.integrate(field, noise, n, grid, Recording.first(n, 1, true), monitor);
        Trajectory trajectory = result.trajectory();
        int frames = trajectory.frameCount();
        int[] frameSteps = trajectory.frameSteps();
        int[] nfe = new int[frames];
        for (int f = 1; f < frames; f++) {
            nfe[f] = nfeAt[0][frameSteps[f]];
        }
        int s = trajectory.stagesPerStep();
        int recordedSteps = trajectory.stageStepCount();
        double[] allStageTimes = trajectory.stageTimes();
        float[] allStagePoints = trajectory.stagePoints();
        double[] stageTimes = new double[(frames - 1) * s];
        float[] stagePoints = new float[(frames - 1) * s * m * 2];
        int[] stageSteps = trajectory.stageSteps();
        for (int r = 0; r < recordedSteps; r++) {
            int k = stageSteps[r];
            if (k >= frames - 1) {
                continue;
            }
            for (int q = 0; q < s; q++) {
                stageTimes[k * s + q] = allStageTimes[r * s + q];
                System.arraycopy(allStagePoints, (r * s + q) * n * 2, stagePoints, (k * s + q) * m * 2, m * 2);
            }
        }
        return new Steps(trajectory.framePositions(), trajectory.frameTimes(), nfe, s, stageTimes, stagePoints);
    }

    /**
     * Discrete straightness (Liu et al. 2022): the mean over steps, weighted by step length, of
     * ||(x_{k+1} - x_k)/dt - (x_S - x_0)||^2, averaged over particles.
     */
    static double straightness(float[] states, double[] times, int n) {
        int steps = times.length - 1;
        double total = times[steps] - times[0];
        double sum = 0;
        for (int k = 0; k < steps; k++) {
            double dt = times[k + 1] - times[k];
            double acc = 0;
            for (int i = 0; i < n; i++) {
                double chordX = (states[(steps * n + i) * 2] - states[i * 2]) / total;
                double chordY = (states[(steps * n + i) * 2 + 1] - states[i * 2 + 1]) / total;
                double dx = (states[((k + 1) * n + i) * 2] - states[(k * n + i) * 2]) / dt - chordX;
                double dy = (states[((k + 1) * n + i) * 2 + 1] - states[(k * n + i) * 2 + 1]) / dt - chordY;
                acc += dx * dx + dy * dy;
            }
            sum += dt / total * acc / n;
        }
        return sum;
    }

    /** The lattice where arrows of the velocity field are drawn {@code // [L*2]}. */
    static float[] lattice() {
        float[] points = new float[FIELD_COLUMNS * FIELD_ROWS * 2];
        int p = 0;
        for (int r = 0; r < FIELD_ROWS; r++) {
            for (int c = 0; c < FIELD_COLUMNS; c++) {
                points[p++] = (float) (FIELD_BOUNDS[0] + (FIELD_BOUNDS[1] - FIELD_BOUNDS[0]) * c / (FIELD_COLUMNS - 1));
                points[p++] = (float) (FIELD_BOUNDS[2] + (FIELD_BOUNDS[3] - FIELD_BOUNDS[2]) * r / (FIELD_ROWS - 1));
            }
        }
        return points;
    }

    static IntegrationMonitor monitor(BooleanSupplier cancelled) {
        return new IntegrationMonitor() {
            @Override
            public boolean isCancelled() {
                return cancelled.getAsBoolean();
            }
        };
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("sampling cancelled");
        }
    }

    /** Counts velocity evaluations (one per call, whatever the batch size): NFE as papers count it. */
    static final class CountingField implements VelocityField {
        private final VelocityField field;
        int count;

        CountingField(VelocityField field) {
            this.field = field;
        }

        @Override
        public void velocity(float[] x, int n, float t, float[] v) {
            count++;
            field.velocity(x, n, t, v);
        }
    }
}
