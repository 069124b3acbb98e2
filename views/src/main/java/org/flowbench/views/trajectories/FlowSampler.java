package org.flowbench.views.trajectories;

import org.flowbench.compute.boss.Boss;
import org.flowbench.compute.boss.BossCostMatrix;
import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.metrics.FlowMetrics;
import org.flowbench.compute.ode.ExplicitRungeKutta;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.OdeSolver;
import org.flowbench.compute.ode.PathRecorder;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.ode.Solvers;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.ode.VelocityField;

import java.util.function.BooleanSupplier;

/**
 * Runs one model the way the lab shows it: any solver, fixed-step or adaptive, through one
 * {@link OdeSolver#integrate} whose {@link PathRecorder} keeps every accepted step, the exact NFE
 * spent up to each state (rejected dopri5 attempts included) and the traced stage points; then
 * the velocity field on the arrow lattice at each grid time.
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
     * Samples {@code noise // [n*2]} through {@code field}: one integration whose step handler
     * keeps every state, the evaluations spent up to it and the traced particles' stage points.
     *
     * @param oneStep a one-step generator: one Euler step from t = 0 whatever the settings say
     */
    public static FlowRun run(String label, VelocityField field, float[] noise, TimeGrid grid, SamplingSettings settings,
                              boolean oneStep, BooleanSupplier cancelled) {
        int n = noise.length / 2;
        OdeSolver solver = oneStep ? ExplicitRungeKutta.EULER : Solvers.byName(settings.solver(), settings.tolerance(), settings.tolerance());
        TimeGrid walked = oneStep ? TimeGrid.forward(1) : grid;
        String schedule = oneStep ? "one step" : SamplingSettings.BOSS.equals(settings.schedule())
                ? "BOSS-" + walked.steps() : "uniform";
        PathRecorder path = new PathRecorder(noise, n, walked.start(), settings.traced());
        solver.integrate(field, noise, n, walked, Recording.NONE, monitor(cancelled), path);
        double[] times = path.times();
        float[] states = path.states();
        float[] lattice = lattice();
        int lat = lattice.length / 2;
        float[] fieldVelocities = new float[times.length * lat * 2];
        float[] v = new float[lat * 2];
        for (int k = 0; k < times.length; k++) {
            field.velocity(lattice, lat, (float) times[k], v);
            System.arraycopy(v, 0, fieldVelocities, k * lat * 2, lat * 2);
        }
        return new FlowRun(label, solver.name(), schedule, n, states, times, path.evaluations(), path.traced(), path.stages(),
                path.stageTimes(), path.stagePoints(), lattice, fieldVelocities, FlowMetrics.straightness(states, times, n), oneStep);
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
}
