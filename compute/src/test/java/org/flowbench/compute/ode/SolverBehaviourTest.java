package org.flowbench.compute.ode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class SolverBehaviourTest {
    private static final float[] X0 = {1f, 0.5f, -0.3f, 0.8f, 0.2f, -1.1f, 2f, 2f};
    private static final int N = 4;

    @Test
    void aGridOfKStepsTakesKStepsAndCountsNfe() {
        for (ExplicitRungeKutta solver : new ExplicitRungeKutta[] {ExplicitRungeKutta.EULER, ExplicitRungeKutta.MIDPOINT,
                ExplicitRungeKutta.HEUN, ExplicitRungeKutta.RK4}) {
            LinearTestField field = new LinearTestField(0.5, 1.0);
            OdeResult r = solver.integrate(field, X0, N, TimeGrid.forward(7));
            assertThat(r.steps()).isEqualTo(7);
            assertThat(r.nfe()).isEqualTo(7 * solver.stages()).isEqualTo(field.calls);
            assertThat(r.stepTimes()).hasSize(8).startsWith(0.0).endsWith(1.0);
        }
        OdeResult explicit = ExplicitRungeKutta.EULER.integrate(new LinearTestField(0, 0), X0, N, TimeGrid.of(0, 0.1, 0.5, 1));
        assertThat(explicit.steps()).isEqualTo(3);
        assertThat(explicit.nfe()).isEqualTo(3);
    }

    @Test
    void reverseIntegrationInvertsForward() {
        LinearTestField field = new LinearTestField(0.5, 3.0);
        for (OdeSolver solver : new OdeSolver[] {ExplicitRungeKutta.RK4, new DormandPrince(1e-6, 1e-6)}) {
            float[] there = solver.integrate(field, X0, N, TimeGrid.forward(40)).finalState();
            OdeResult back = solver.integrate(field, there, N, TimeGrid.reverse(40));
            assertThat(back.startTime()).isEqualTo(1.0);
            assertThat(back.endTime()).isEqualTo(0.0);
            assertThat(back.finalState()).as(solver.name()).containsExactly(X0, within(2e-5f));
        }
    }

    @Test
    void dopri5MeetsItsToleranceAndCountsNfe() {
        LinearTestField field = new LinearTestField(0.5, 4.0);
        double[] exact = field.exact(X0, N, 0, 1);
        int previousNfe = 0;
        for (double tol : new double[] {1e-3, 1e-4, 1e-5, 1e-6}) {
            field.calls = 0;
            OdeResult r = new DormandPrince(tol, tol).integrate(field, X0, N, TimeGrid.forward(1));
            double error = LinearTestField.maxError(r.finalState(), exact);
            assertThat(error).as("tol %s", tol).isLessThan(10 * tol * 2.5);
            assertThat(r.nfe()).isEqualTo(field.calls).isEqualTo(2 + 6 * (r.steps() + r.rejectedSteps()));
            assertThat(r.nfe()).isGreaterThan(previousNfe);
            previousNfe = r.nfe();
        }
    }

    @Test
    void dopri5LandsOnEveryGridTime() {
        OdeResult r = new DormandPrince().integrate(new LinearTestField(0.5, 4.0), X0, N, TimeGrid.of(0, 0.3, 0.31, 1));
        assertThat(r.stepTimes()).contains(0.3, 0.31, 1.0);
        assertThat(r.endTime()).isEqualTo(1.0);
    }

    @Test
    void recordsChosenParticlesEveryKStepsWithStagePoints() {
        LinearTestField field = new LinearTestField(0.5, 2.0);
        Recording rec = new Recording(new int[] {3, 1}, 3, true);
        OdeResult r = ExplicitRungeKutta.MIDPOINT.integrate(field, X0, N, TimeGrid.forward(10), rec, IntegrationMonitor.NONE);
        Trajectory tr = r.trajectory();
        assertThat(tr.frameSteps()).containsExactly(0, 3, 6, 9, 10);
        assertThat(tr.frameTimes()).containsExactly(new double[] {0, 0.3, 0.6, 0.9, 1.0}, within(1e-12));
        assertThat(tr.particles()).containsExactly(3, 1);
        float[] first = tr.frame(0);
        assertThat(first).containsExactly(X0[6], X0[7], X0[2], X0[3]);
        float[] last = tr.frame(4);
        float[] fin = r.finalState();
        assertThat(last).containsExactly(fin[6], fin[7], fin[2], fin[3]);
        assertThat(tr.stagesPerStep()).isEqualTo(2);
        assertThat(tr.stageSteps()).containsExactly(0, 3, 6, 9);
        assertThat(tr.stageTimes()).containsExactly(new double[] {0, 0.05, 0.3, 0.35, 0.6, 0.65, 0.9, 0.95}, within(1e-12));
        // the second stage of step 3 is x(0.3) + h/2 v(x(0.3), 0.3), checked against a single step
        StepResult step = ExplicitRungeKutta.MIDPOINT.step(field, tr.frame(1), 2, 0.3, 0.1);
        float[] stages = tr.stagePoints();
        float[] fromStep = step.stagePoints();
        for (int k = 0; k < 4; k++) {
            assertThat(stages[(1 * 2 + 1) * 4 + k]).isEqualTo(fromStep[4 + k]);
        }
        float[] oneStep = ExplicitRungeKutta.MIDPOINT.integrate(field, tr.frame(1), 2, TimeGrid.of(0.3, 0.4)).finalState();
        assertThat(step.next()).containsExactly(oneStep);
    }

    @Test
    void singleStepExposesStagesForEverySolver() {
        LinearTestField field = new LinearTestField(0.5, 2.0);
        for (String name : Solvers.names()) {
            OdeSolver solver = Solvers.byName(name);
            StepResult s = solver.step(field, X0, N, 0.2, 0.1);
            assertThat(s.stageTimes()[0]).isEqualTo(0.2);
            assertThat(s.stagePoints()).startsWith(X0);
            assertThat(s.nextTime()).isCloseTo(0.3, within(1e-12));
            double[] exact = field.exact(X0, N, 0.2, 0.3);
            double tol = name.equals("euler") ? 0.1 : name.equals("rk4") || name.equals("dopri5") ? 5e-5 : 1e-2;
            assertThat(LinearTestField.maxError(s.next(), exact)).as(name).isLessThan(tol);
            assertThat(s.stageVelocities()).hasSize(s.stageCount() * 2 * N);
        }
        assertThat(Solvers.byName("dopri5").step(field, X0, N, 0, 0.1).errorNorm()).isFinite();
    }

    @Test
    void honoursCancellationAndReportsProgress() {
        int[] seen = new int[1];
        IntegrationMonitor stopAfterThree = new IntegrationMonitor() {
            @Override
            public boolean isCancelled() {
                return seen[0] >= 3;
            }

            @Override
            public void onStep(int stepsDone, int stepsPlanned, double t) {
                seen[0] = stepsDone;
                assertThat(stepsPlanned).isEqualTo(10);
            }
        };
        assertThatThrownBy(() -> ExplicitRungeKutta.RK4.integrate(new LinearTestField(0, 1), X0, N, TimeGrid.forward(10),
                Recording.NONE, stopAfterThree)).isInstanceOf(CancellationException.class).hasMessageContaining("3 steps");
    }

    @Test
    void rejectsBadInputAndReportsDivergence() {
        assertThatThrownBy(() -> TimeGrid.forward(0)).hasMessageContaining("number of steps");
        assertThatThrownBy(() -> TimeGrid.of(0, 0.5, 0.5, 1)).hasMessageContaining("strictly");
        assertThatThrownBy(() -> TimeGrid.of(0, Double.NaN)).hasMessageContaining("not finite");
        assertThatThrownBy(() -> ExplicitRungeKutta.EULER.integrate(new LinearTestField(0, 1), new float[] {Float.NaN, 0}, 1,
                TimeGrid.forward(2))).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> ExplicitRungeKutta.EULER.integrate(new LinearTestField(0, 1), X0, N, TimeGrid.forward(2),
                new Recording(new int[] {9}, 1, false), IntegrationMonitor.NONE)).hasMessageContaining("outside the batch");
        VelocityField blowUp = (x, n, t, v) -> java.util.Arrays.fill(v, 0, 2 * n, Float.NaN);
        assertThatThrownBy(() -> ExplicitRungeKutta.EULER.integrate(blowUp, X0, N, TimeGrid.forward(2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> new DormandPrince().integrate(blowUp, X0, N, TimeGrid.forward(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Solvers.byName("leapfrog")).hasMessageContaining("rk4");
        assertThatThrownBy(() -> new DormandPrince(0, 0)).hasMessageContaining("tolerances");
    }
}
