package org.flowbench.compute.ode;

/**
 * Integrates dx/dt = v(x, t) for a batch of 2D particles. Instances hold only settings and are
 * safe to share; each call allocates its own work buffers once and then steps without
 * allocating.
 */
public interface OdeSolver {

    /** Name and settings, e.g. {@code rk4} or {@code dopri5(atol=1e-5, rtol=1e-5)}. */
    String name();

    /** Velocity evaluations per step for fixed-step solvers; -1 for adaptive ones. */
    int nfePerStep();

    /**
     * Integrates from {@code grid.start()} to {@code grid.end()}.
     *
     * @param field     the velocity field
     * @param x0        {@code [n*2]} starting positions (not modified)
     * @param n         number of particles
     * @param grid      fixed-step solvers land on every grid time; adaptive ones land on them too
     *                  and step freely in between
     * @param recording which particles to record
     * @param monitor   progress and cancellation
     * @throws java.util.concurrent.CancellationException when cancelled
     * @throws IllegalStateException when the state becomes non-finite
     */
    default OdeResult integrate(VelocityField field, float[] x0, int n, TimeGrid grid, Recording recording, IntegrationMonitor monitor) {
        return integrate(field, x0, n, grid, recording, monitor, OdeStepHandler.NONE);
    }

    /**
     * {@link #integrate(VelocityField, float[], int, TimeGrid, Recording, IntegrationMonitor)} with a
     * step handler that sees every accepted step (state, evaluations so far, stage points on request).
     */
    OdeResult integrate(VelocityField field, float[] x0, int n, TimeGrid grid, Recording recording, IntegrationMonitor monitor,
                        OdeStepHandler handler);

    /** {@link #integrate(VelocityField, float[], int, TimeGrid, Recording, IntegrationMonitor)} without recording or monitor. */
    default OdeResult integrate(VelocityField field, float[] x0, int n, TimeGrid grid) {
        return integrate(field, x0, n, grid, Recording.NONE, IntegrationMonitor.NONE);
    }

    /** One step of size {@code h} (negative to go backwards) from (t, x), with its stage points. */
    StepResult step(VelocityField field, float[] x, int n, double t, double h);
}
