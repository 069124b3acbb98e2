package org.flowbench.compute.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.ode.ExplicitRungeKutta;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.OdeResult;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.path.ProbabilityPath;
import org.junit.jupiter.api.Test;

class MarginalFieldsTest {

    static final float[] EIGHT_POINTS = {3, 0, -3, 0, 0, 3, 0, -3, 2, 2, -2, 2, 2, -2, -2, -2};

    @Test
    void singleTargetFieldIsTheConditionalVelocity() {
        float[] y = {2f, -1f};
        EmpiricalMarginalField rect = new EmpiricalMarginalField(ProbabilityPath.rectified(), y);
        float[] x = {0.5f, 0.25f};
        float[] v = new float[2];
        rect.velocity(x, 1, 0.6f, v);
        assertThat(v[0]).isCloseTo((2f - 0.5f) / 0.4f, within(1e-4f));
        assertThat(v[1]).isCloseTo((-1f - 0.25f) / 0.4f, within(1e-4f));
        EmpiricalMarginalField vp = new EmpiricalMarginalField(ProbabilityPath.variancePreserving(), y);
        vp.velocity(x, 1, 0.3f, v);
        double a = Math.cos(Math.PI * 0.15);
        double b = Math.sin(Math.PI * 0.15);
        double expected = -Math.PI / 2 * b / a * (0.5 - b * 2) + Math.PI / 2 * a * 2;
        assertThat(v[0]).isCloseTo((float) expected, within(1e-4f));
    }

    @Test
    void rk4OnTheEmpiricalFieldCarriesNoiseOntoTheTargetPoints() {
        int n = 800;
        float[] z = Datasets.NORMAL.sample(n, 11);
        EmpiricalMarginalField field = new EmpiricalMarginalField(ProbabilityPath.rectified(), EIGHT_POINTS);
        float[] x1 = ExplicitRungeKutta.RK4.integrate(field, z, n, TimeGrid.forward(100)).finalState();
        int[] hits = new int[8];
        for (int i = 0; i < n; i++) {
            int nearest = -1;
            double best = Double.MAX_VALUE;
            for (int j = 0; j < 8; j++) {
                double d = Math.hypot(x1[2 * i] - EIGHT_POINTS[2 * j], x1[2 * i + 1] - EIGHT_POINTS[2 * j + 1]);
                if (d < best) {
                    best = d;
                    nearest = j;
                }
            }
            assertThat(best).as("particle %d", i).isLessThan(0.02);
            hits[nearest]++;
        }
        for (int h : hits) {
            assertThat(h).isBetween(60, 140); // uniform weights: 100 each
        }
    }

    @Test
    void gaussianOtFieldIsExactlyTheAffineMapAlongStraightLines() {
        int n = 500;
        float[] z = Datasets.NORMAL.sample(n, 3);
        GaussianMarginalField field = GaussianMarginalField.optimalTransport(2.0, -1.0, 0.5);
        float[] expected = field.transportMap(z, n);
        // constant velocity along each path: one Euler step is already exact
        assertThat(ExplicitRungeKutta.EULER.integrate(field, z, n, TimeGrid.forward(1)).finalState())
                .containsExactly(expected, within(1e-5f));
        OdeResult rk4 = ExplicitRungeKutta.RK4.integrate(field, z, n, TimeGrid.forward(20), Recording.first(n, 1, false),
                IntegrationMonitor.NONE);
        assertThat(rk4.finalState()).containsExactly(expected, within(1e-5f));
        assertThat(FlowMetrics.straightness(rk4.trajectory())).isLessThan(1e-9);
        // path energy of straight constant-speed paths is the mean squared displacement
        double displacement = 0;
        for (int k = 0; k < 2 * n; k++) {
            displacement += (expected[k] - z[k]) * (double) (expected[k] - z[k]);
        }
        assertThat(FlowMetrics.pathEnergy(rk4.trajectory())).isCloseTo(displacement / n, within(1e-4));
    }

    @Test
    void gaussianIndependentFieldReachesTheSameTargetAlongCurvedPaths() {
        int n = 300;
        float[] z = Datasets.NORMAL.sample(n, 4);
        GaussianMarginalField field = GaussianMarginalField.independent(2.0, -1.0, 0.5, 0.0);
        OdeResult r = ExplicitRungeKutta.RK4.integrate(field, z, n, TimeGrid.forward(100), Recording.first(n, 1, false),
                IntegrationMonitor.NONE);
        assertThat(r.finalState()).containsExactly(field.transportMap(z, n), within(1e-4f));
        assertThat(FlowMetrics.straightness(r.trajectory())).isGreaterThan(0.05);
    }

    @Test
    void vpPathMarginalFlowIsCurvedWhereTheRectifiedOneToOnePointIsStraight() {
        int n = 200;
        float[] z = Datasets.NORMAL.sample(n, 5);
        float[] one = {2f, 1f};
        // midpoint never evaluates at t = 1, where the sigma = 0 fields are singular
        OdeResult straight = ExplicitRungeKutta.MIDPOINT.integrate(new EmpiricalMarginalField(ProbabilityPath.rectified(), one), z, n,
                TimeGrid.forward(50), Recording.first(n, 1, false), IntegrationMonitor.NONE);
        OdeResult curved = ExplicitRungeKutta.MIDPOINT.integrate(new EmpiricalMarginalField(ProbabilityPath.variancePreserving(), one), z, n,
                TimeGrid.forward(50), Recording.first(n, 1, false), IntegrationMonitor.NONE);
        assertThat(FlowMetrics.straightness(straight.trajectory())).isLessThan(1e-6);
        assertThat(FlowMetrics.straightness(curved.trajectory())).isGreaterThan(0.1);
        assertThat(curved.finalState()[0]).isCloseTo(2f, within(1e-3f));
    }

    @Test
    void rejectsBadTargets() {
        assertThatThrownBy(() -> new EmpiricalMarginalField(ProbabilityPath.rectified(), new float[0])).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> new EmpiricalMarginalField(ProbabilityPath.rectified(), new float[] {1, Float.NaN}))
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> GaussianMarginalField.optimalTransport(0, 0, 0)).hasMessageContaining("standard deviation");
    }
}
