package org.flowbench.compute.ode;

/**
 * A hook that sees every accepted step of an integration, fixed-step or adaptive alike (after
 * Hipparchus's {@code ODEStepHandler}): recorders, evaluation counters and live views are step
 * handlers instead of wrappers around the field or checks of the solver's type.
 */
@FunctionalInterface
public interface OdeStepHandler {

    /** Sees nothing. */
    OdeStepHandler NONE = step -> { };

    /** Whether the solver should collect each step's stage points for {@link #handleStep}. */
    default boolean wantsStages() {
        return false;
    }

    /** Called once per accepted step, in order; the step's arrays are valid only during the call. */
    void handleStep(AcceptedStep step);

    /**
     * One accepted step from {@code start} to {@code end}.
     *
     * @param index       0 for the first step
     * @param state       {@code [n*2]} the state at {@code end} (the solver's buffer: copy what you keep)
     * @param evaluations velocity evaluations spent so far, rejected attempts included
     * @param stages      s, stage points per step (0 when the handler did not ask for them)
     * @param stageTimes  {@code [s]} where the stages were evaluated
     * @param stagePoints {@code [s*n*2]} stage q, particle i at {@code (q*n + i)*2}
     */
    record AcceptedStep(int index, double start, double end, int n, float[] state, int evaluations, int stages,
                        double[] stageTimes, float[] stagePoints) {
    }
}
