package org.flowbench.compute.ode;

import org.flowbench.compute.metrics.FlowMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every solver reports each accepted step to its handler, with the evaluations so far and, on request, the stage points. */
class OdeStepHandlerTest {

    /** v = (-y, x): rotation, whose exact flow is known. */
    private static final VelocityField ROTATION = (x, n, t, v) -> {
        for (int i = 0; i < n; i++) {
            v[2 * i] = -x[2 * i + 1];
            v[2 * i + 1] = x[2 * i];
        }
    };

    private static final float[] X0 = {1, 0, 0, 2, -1, -1};

    @Test
    void fixedStepSolversReportEveryGridStepWithItsEvaluationsAndStages() {
        for (String name : List.of("euler", "midpoint", "heun", "rk4")) {
            OdeSolver solver = Solvers.byName(name);
            PathRecorder path = new PathRecorder(X0, 3, 0, 2);
            OdeResult result = solver.integrate(ROTATION, X0, 3, TimeGrid.forward(5), Recording.first(3, 1, true),
                    IntegrationMonitor.NONE, path);
            int s = solver.nfePerStep();
            assertThat(path.steps()).as(name).isEqualTo(5);
            assertThat(path.times()).containsExactly(TimeGrid.forward(5).times());
            assertThat(path.evaluations()).containsExactly(0, s, 2 * s, 3 * s, 4 * s, 5 * s);
            assertThat(path.evaluations()[5]).isEqualTo(result.nfe());
            // the recorder's states are the trajectory's frames, and its stage points the trajectory's
            assertThat(path.states()).containsExactly(result.trajectory().framePositions());
            assertThat(path.stages()).isEqualTo(s);
            float[] stages = path.stagePoints();
            float[] recorded = result.trajectory().stagePoints();
            for (int k = 0; k < 5; k++) {
                for (int q = 0; q < s; q++) {
                    for (int p = 0; p < 2; p++) {
                        assertThat(stages[((k * s + q) * 2 + p) * 2]).isEqualTo(recorded[((k * s + q) * 3 + p) * 2]);
                    }
                }
            }
        }
    }

    @Test
    void dopri5ReportsAcceptedStepsWithRejectedAttemptsCounted() {
        DormandPrince dopri = new DormandPrince(1e-6, 1e-6);
        PathRecorder path = new PathRecorder(X0, 3, 0, 3);
        OdeResult result = dopri.integrate(ROTATION, X0, 3, TimeGrid.forward(2), Recording.NONE, IntegrationMonitor.NONE, path);
        assertThat(path.steps()).isEqualTo(result.stepTimes().length - 1).isGreaterThan(2);
        assertThat(path.times()).containsExactly(result.stepTimes());
        assertThat(path.evaluations()[path.steps()]).isEqualTo(result.nfe());
        int[] nfe = path.evaluations();
        for (int k = 1; k < nfe.length; k++) {
            assertThat(nfe[k]).isGreaterThanOrEqualTo(nfe[k - 1] + 6);
        }
        assertThat(path.stages()).isEqualTo(6);
        // the end state is the exact rotation by one radian
        float[] end = java.util.Arrays.copyOfRange(path.states(), path.steps() * 6, path.steps() * 6 + 6);
        for (int i = 0; i < 3; i++) {
            double ex = Math.cos(1) * X0[2 * i] - Math.sin(1) * X0[2 * i + 1];
            double ey = Math.sin(1) * X0[2 * i] + Math.cos(1) * X0[2 * i + 1];
            assertThat((double) end[2 * i]).isCloseTo(ex, within(2e-4));
            assertThat((double) end[2 * i + 1]).isCloseTo(ey, within(2e-4));
        }
    }

    @Test
    void aHandlerThatAsksForNoStagesGetsNone() {
        List<Integer> indices = new ArrayList<>();
        Solvers.byName("rk4").integrate(ROTATION, X0, 3, TimeGrid.forward(3), Recording.NONE, IntegrationMonitor.NONE,
                step -> {
                    indices.add(step.index());
                    assertThat(step.stages()).isZero();
                });
        assertThat(indices).containsExactly(0, 1, 2);
    }

    @Test
    void straightnessOfAStraightBatchIsZeroAndOfARotationIsNot() {
        float[] line = {0, 0, 1, 1, 2, 2};
        assertThat(FlowMetrics.straightness(line, new double[] {0, 0.5, 1}, 1)).isZero();
        PathRecorder path = new PathRecorder(X0, 3, 0, 0);
        Solvers.byName("rk4").integrate(ROTATION, X0, 3, TimeGrid.forward(20), Recording.NONE, IntegrationMonitor.NONE, path);
        assertThat(FlowMetrics.straightness(path.states(), path.times(), 3)).isGreaterThan(0.1);
    }
}
