package org.flowbench.compute.boss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.metrics.EmpiricalMarginalField;
import org.flowbench.compute.metrics.GaussianMarginalField;
import org.flowbench.compute.ode.ExplicitRungeKutta;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.ot.SquaredEuclideanOt;
import org.flowbench.compute.path.ProbabilityPath;
import org.junit.jupiter.api.Test;

class BossTest {

    @Test
    void dynamicProgramFindsTheBruteForceOptimumForEveryStepCount() {
        SeededRandom rng = new SeededRandom(3);
        for (int trial = 0; trial < 10; trial++) {
            int m = 3 + rng.nextInt(6);
            double[] times = new double[m + 1];
            double[] cost = new double[(m + 1) * (m + 1)];
            for (int i = 0; i <= m; i++) {
                times[i] = (double) i / m;
                for (int j = i + 1; j <= m; j++) {
                    cost[i * (m + 1) + j] = trial % 2 == 0 ? rng.nextDouble() : rng.nextInt(3);
                }
            }
            BossCostMatrix c = BossCostMatrix.of(times, cost);
            List<BossSchedule> all = Boss.optimalSchedules(c, m);
            for (int k = 1; k <= m; k++) {
                BossSchedule s = all.get(k - 1);
                assertThat(s.steps()).isEqualTo(k);
                assertThat(s.indices()[0]).isZero();
                assertThat(s.indices()[k]).isEqualTo(m);
                double sum = 0;
                for (int q = 0; q < k; q++) {
                    assertThat(s.indices()[q]).isLessThan(s.indices()[q + 1]);
                    sum += c.cost(s.indices()[q], s.indices()[q + 1]);
                }
                assertThat(s.cost()).isCloseTo(sum, within(1e-12));
                assertThat(s.cost()).as("m=%d k=%d", m, k).isCloseTo(bruteForce(c, m, k), within(1e-12));
                assertThat(Boss.optimalSchedule(c, k).cost()).isEqualTo(s.cost());
            }
        }
    }

    @Test
    void straightFlowCostsNothingAndCurvedFlowBeatsTheUniformSchedule() {
        float[] noise = Datasets.NORMAL.sample(256, 1);
        BossCostMatrix straight = BossCostMatrix.measure(GaussianMarginalField.optimalTransport(2, 0, 0.5), noise, 256, 100,
                IntegrationMonitor.NONE);
        assertThat(straight.nfe()).isEqualTo(100);
        assertThat(Boss.optimalSchedule(straight, 1).cost()).isLessThan(1e-8);

        float[] targets = {3, 0, -3, 0, 0, 3, 0, -3, 2, 2, -2, 2, 2, -2, -2, -2};
        EmpiricalMarginalField field = new EmpiricalMarginalField(ProbabilityPath.icfm(0.05), targets);
        BossCostMatrix curved = BossCostMatrix.measure(field, noise, 256, 100, IntegrationMonitor.NONE);
        BossSchedule s = Boss.optimalSchedule(curved, 4);
        double uniformCost = curved.cost(0, 25) + curved.cost(25, 50) + curved.cost(50, 75) + curved.cost(75, 100);
        assertThat(s.cost()).isGreaterThan(0.01).isLessThan(uniformCost);
        assertThat(s.grid().steps()).isEqualTo(4);
    }

    @Test
    void bossScheduleBeatsUniformEulerAtFourStepsOnASampledTarget() {
        // 32 moons points as the target; W2 is measured against the exact flow of the same noise
        // (RK4, 200 steps), i.e. the solver error BOSS is designed to reduce
        EmpiricalMarginalField field = new EmpiricalMarginalField(ProbabilityPath.icfm(0.1), Datasets.MOONS.sample(32, 1));
        BossCostMatrix costs = BossCostMatrix.measure(field, Datasets.NORMAL.sample(256, 7), 256, 100, IntegrationMonitor.NONE);
        BossSchedule boss = Boss.optimalSchedule(costs, 4);

        int n = 512;
        float[] z = Datasets.NORMAL.sample(n, 8);
        float[] exact = ExplicitRungeKutta.RK4.integrate(field, z, n, TimeGrid.forward(200)).finalState();
        float[] uniform = ExplicitRungeKutta.EULER.integrate(field, z, n, TimeGrid.forward(4)).finalState();
        float[] scheduled = ExplicitRungeKutta.EULER.integrate(field, z, n, boss.grid()).finalState();
        double w2Uniform = SquaredEuclideanOt.w2(uniform, exact);
        double w2Boss = SquaredEuclideanOt.w2(scheduled, exact);
        assertThat(w2Boss).isLessThan(0.95 * w2Uniform);
    }

    @Test
    void rejectsBadInput() {
        float[] noise = Datasets.NORMAL.sample(8, 1);
        assertThatThrownBy(() -> BossCostMatrix.measure(GaussianMarginalField.optimalTransport(0, 0, 1), noise, 8, 0,
                IntegrationMonitor.NONE)).hasMessageContaining("fine grid");
        BossCostMatrix c = BossCostMatrix.measure(GaussianMarginalField.optimalTransport(0, 0, 1), noise, 8, 5, IntegrationMonitor.NONE);
        assertThatThrownBy(() -> Boss.optimalSchedule(c, 6)).hasMessageContaining("[1, 5]");
        assertThatThrownBy(() -> BossCostMatrix.of(new double[] {0, 1}, new double[] {0, Double.NaN, 0, 0}))
                .hasMessageContaining("c[0][1]");
    }

    private static double bruteForce(BossCostMatrix c, int m, int k) {
        return search(c, m, k, 0);
    }

    private static double search(BossCostMatrix c, int m, int jumpsLeft, int at) {
        if (jumpsLeft == 1) {
            return c.cost(at, m);
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = at + 1; j <= m - jumpsLeft + 1; j++) {
            best = Math.min(best, c.cost(at, j) + search(c, m, jumpsLeft - 1, j));
        }
        return best;
    }
}
