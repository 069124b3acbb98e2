package org.flowbench.compute.gflownet;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PolicyNetworkTest {

    private static ComputeDevice device;

    @BeforeAll
    static void open() {
        device = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    /** L = sum of c_ij out_ij for fixed random c; its gradient with respect to out is c. */
    private static double weighted(PolicyNetwork net, float[] x, int n, float[] c) {
        float[] out = new float[c.length];
        net.forward(x, n, out);
        double sum = 0;
        for (int i = 0; i < c.length; i++) {
            sum += (double) c[i] * out[i];
        }
        return sum;
    }

    @Test
    void parameterGradientsMatchFiniteDifferences() {
        NetworkShape shape = new NetworkShape(5, 3, new int[] {7, 6}, Activation.TANH);
        SeededRandom random = new SeededRandom(4);
        int n = 4;
        float[] x = new float[n * 5];
        random.fillGaussian(x);
        float[] c = new float[n * shape.outputs()];
        random.fillGaussian(c);
        try (PolicyNetwork net = PolicyNetwork.create(device, shape, 8)) {
            weighted(net, x, n, c);
            net.backward(c, n);
            float[] grad = net.gradientValues();
            float[] p = net.parameterValues();
            float h = 1e-2f;
            for (int i = 0; i < p.length; i++) {
                float keep = p[i];
                p[i] = keep + h;
                net.setParameterValues(p);
                double up = weighted(net, x, n, c);
                p[i] = keep - h;
                net.setParameterValues(p);
                double down = weighted(net, x, n, c);
                p[i] = keep;
                net.setParameterValues(p);
                assertThat((double) grad[i]).as("parameter %d", i).isCloseTo((up - down) / (2 * h), within(2e-3));
            }
        }
    }

    @Test
    void tensorsRoundTripInPyTorchLayout() {
        NetworkShape shape = new NetworkShape(4, 3, new int[] {5}, Activation.RELU);
        float[] p = PolicyNetwork.initialParameters(shape, 1);
        var tensors = PolicyNetwork.toTensors(shape, p);
        assertThat(tensors.get(0).shape()).containsExactly(5, 4);
        assertThat(tensors.get(2).shape()).containsExactly(4, 5);
        java.util.Map<String, org.flowbench.compute.checkpoint.Tensor> byName = new java.util.LinkedHashMap<>();
        tensors.forEach(t -> byName.put(t.name(), t));
        assertThat(PolicyNetwork.fromTensors(shape, byName)).containsExactly(p);
        assertThat(NetworkShape.parse(shape.spec())).isEqualTo(shape);
        assertThatThrownBy(() -> NetworkShape.parse("gfn-mlp:in=4,actions=3,hidden=5")).hasMessageContaining("lacks 'activation'");
    }

    @Test
    void samplingIsSeededAndFollowsTheMasks() {
        HyperGrid grid = new HyperGrid(3, 4);
        NetworkShape shape = NetworkShape.forEnvironment(grid, new int[] {16}, Activation.RELU);
        try (PolicyNetwork net = PolicyNetwork.create(device, shape, 2)) {
            TrajectorySampler sampler = new TrajectorySampler(grid, net);
            List<Trajectory> a = sampler.sample(50, 0.2, 1.5, new SeededRandom(7));
            List<Trajectory> b = sampler.sample(50, 0.2, 1.5, new SeededRandom(7));
            boolean[] mask = new boolean[grid.actionCount()];
            for (int k = 0; k < a.size(); k++) {
                assertThat(a.get(k).states()).containsExactly(b.get(k).states());
                Trajectory t = a.get(k);
                assertThat(t.isComplete()).isTrue();
                assertThat(t.state(0)).containsExactly(0, 0, 0);
                for (int i = 0; i < t.length(); i++) {
                    grid.forwardMask(t.state(i), mask);
                    assertThat(mask[t.actions()[i]]).isTrue();
                    assertThat(grid.depth(t.state(i))).isEqualTo(i);
                }
            }
            TrajectoryBatch batch = TrajectoryBatch.of(grid, a, true);
            assertThat(batch.stateRows()).isEqualTo(a.stream().mapToInt(Trajectory::length).sum());
        }
    }

    @Test
    void theSampledTerminalFrequenciesMatchTheExactInducedDistribution() {
        HyperGrid grid = new HyperGrid(2, 5);
        ExactFlows exact = ExactFlows.of(grid);
        NetworkShape shape = NetworkShape.forEnvironment(grid, new int[] {16}, Activation.RELU);
        try (PolicyNetwork net = PolicyNetwork.create(device, shape, 3)) {
            double[] p = ExactFlows.terminalDistribution(exact.graph(), Evaluation.policyTable(exact.graph(), net).logPolicy());
            long[] counts = new long[p.length];
            int n = 200_000;
            for (Trajectory t : new TrajectorySampler(grid, net).sample(n, new SeededRandom(1))) {
                counts[exact.graph().indexOf(t.last())]++;
            }
            double[] q = Metrics.empirical(counts);
            for (int i = 0; i < p.length; i++) {
                // Five standard errors of a binomial frequency.
                assertThat(q[i]).isCloseTo(p[i], within(5 * Math.sqrt(p[i] * (1 - p[i]) / n) + 1e-9));
            }
        }
    }

    @Test
    void replayKeepsTheMostRecentAndDrawsSeeded() {
        ReplayBuffer buffer = new ReplayBuffer(3);
        List<Trajectory> items = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(new Trajectory(1, new int[] {i}, new int[] {1}));
        }
        buffer.add(items);
        assertThat(buffer.size()).isEqualTo(3);
        List<Trajectory> drawn = buffer.sample(100, new SeededRandom(1));
        assertThat(drawn).allSatisfy(t -> assertThat(t.states()[0]).isBetween(2, 4));
        assertThat(drawn.stream().map(t -> t.states()[0]).distinct().count()).isEqualTo(3);
        assertThat(buffer.sample(100, new SeededRandom(1))).isEqualTo(drawn);
    }

    @Test
    void trackerCountsModesAndTheTopRewards() {
        HyperGrid grid = new HyperGrid(2, 8);
        TerminalTracker tracker = new TerminalTracker(grid);
        tracker.add(new Trajectory(2, new int[] {0, 0, 1, 0, 1, 1}, new int[] {0, 1, 2}));
        tracker.add(new Trajectory(2, new int[] {0, 0, 1, 0, 1, 1}, new int[] {0, 1, 2}));
        tracker.add(new Trajectory(2, new int[] {0, 0, 0, 1}, new int[] {1, -1}));
        tracker.add(new Trajectory(2, new int[] {0, 0}, new int[] {2}));
        assertThat(tracker.modesFound()).isEqualTo(1);
        assertThat(tracker.distinctTerminals()).isEqualTo(2);
        assertThat(tracker.topMeanReward(1)).isCloseTo(2.6, within(1e-12));
        assertThat(tracker.topMeanReward(100)).isCloseTo((2.6 + 0.6) / 2, within(1e-12));
    }

    @Test
    void distancesHaveTheirKnownValues() {
        double[] p = {0.5, 0.5, 0};
        double[] q = {0, 0.5, 0.5};
        assertThat(Metrics.l1(p, q)).isCloseTo(1.0, within(1e-15));
        // Disjoint halves: JSD = log 2 / 2.
        assertThat(Metrics.jsd(p, q)).isCloseTo(Math.log(2) / 2, within(1e-12));
        assertThat(Metrics.jsd(p, p)).isZero();
        assertThat(Metrics.jsd(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(Math.log(2), within(1e-12));
    }
}
