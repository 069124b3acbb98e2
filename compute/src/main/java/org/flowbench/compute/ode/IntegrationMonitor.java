package org.flowbench.compute.ode;

/**
 * Progress and cancellation for a long integration. Solvers ask {@link #isCancelled()} (and the
 * thread's interrupt flag) before every step and throw
 * {@link java.util.concurrent.CancellationException} when asked to stop.
 */
public interface IntegrationMonitor {

    /** Neither reports nor cancels. */
    IntegrationMonitor NONE = new IntegrationMonitor() {
    };

    /** Whether the caller wants the integration to stop. */
    default boolean isCancelled() {
        return false;
    }

    /**
     * Called after each accepted step.
     *
     * @param stepsDone    accepted steps so far
     * @param stepsPlanned the grid's step count, or -1 for an adaptive solver
     * @param t            the time reached
     */
    default void onStep(int stepsDone, int stepsPlanned, double t) {
    }
}
