package org.flowbench.compute.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.ode.DormandPrince;
import org.flowbench.compute.ode.ExplicitRungeKutta;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.TimeGrid;
import org.junit.jupiter.api.Test;

class FlowEvaluationTest {

    @Test
    void exactStraightFlowHasZeroW2StraightnessAndNpe() {
        int n = 400;
        float[] z = Datasets.NORMAL.sample(n, 1);
        GaussianMarginalField field = GaussianMarginalField.optimalTransport(1.5, 0.5, 2.0);
        float[] target = field.transportMap(z, n);
        FlowEvaluation e = FlowEvaluation.evaluate(field, z, target, ExplicitRungeKutta.EULER, TimeGrid.forward(4), IntegrationMonitor.NONE);
        assertThat(e.nfe()).isEqualTo(4);
        assertThat(e.steps()).isEqualTo(4);
        assertThat(e.solver()).isEqualTo("euler");
        assertThat(e.w2()).isLessThan(1e-5);
        assertThat(e.straightness()).isLessThan(1e-9);
        assertThat(e.normalizedPathEnergy()).isLessThan(1e-5);
        assertThat(e.pathEnergy()).isCloseTo(e.w2SquaredSourceTarget(), within(1e-4));
    }

    @Test
    void curvedFlowHasPositiveNpeAndDopriReportsItsNfe() {
        int n = 300;
        float[] z = Datasets.NORMAL.sample(n, 2);
        GaussianMarginalField field = GaussianMarginalField.independent(3.0, 0.0, 0.3, 0.0);
        float[] target = field.transportMap(Datasets.NORMAL.sample(n, 3), n);
        FlowEvaluation e = FlowEvaluation.evaluate(field, z, target, new DormandPrince(1e-5, 1e-5), TimeGrid.forward(1),
                IntegrationMonitor.NONE);
        assertThat(e.nfe()).isGreaterThan(8);
        assertThat(e.solver()).startsWith("dopri5");
        assertThat(e.straightness()).isGreaterThan(0.01);
        // curved paths spend more energy than the optimal transport cost
        assertThat(e.pathEnergy()).isGreaterThan(e.w2SquaredSourceTarget() * 0.9);
        assertThat(e.normalizedPathEnergy()).isGreaterThan(0.0);
        assertThat(e.w2()).isLessThan(0.3);
    }

    @Test
    void rejectsMismatchedSamples() {
        assertThatThrownBy(() -> FlowEvaluation.evaluate(GaussianMarginalField.optimalTransport(0, 0, 1), new float[4], new float[2],
                ExplicitRungeKutta.EULER, TimeGrid.forward(1), IntegrationMonitor.NONE)).hasMessageContaining("equal-size");
        assertThatThrownBy(() -> FlowMetrics.normalizedPathEnergy(1, 0)).hasMessageContaining("W2^2");
    }
}
