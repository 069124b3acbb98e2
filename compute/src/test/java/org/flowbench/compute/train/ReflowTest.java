package org.flowbench.compute.train;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.VelocityMlp;
import org.flowbench.compute.ode.VelocityField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReflowTest {

    private static ComputeDevice device;

    @BeforeAll
    static void open() {
        device = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    /** Plain Euler with many steps: accurate enough to make reflow pairs in a test. */
    private static PairSimulator euler(VelocityField field, int steps) {
        return (z0, n) -> {
            float[] x = z0.clone();
            float[] v = new float[2 * n];
            float h = 1f / steps;
            for (int k = 0; k < steps; k++) {
                field.velocity(x, n, k * h, v);
                for (int i = 0; i < 2 * n; i++) {
                    x[i] += h * v[i];
                }
            }
            return x;
        };
    }

    /** Mean over particles of the squared distance between one Euler step of the field and the pair's end. */
    private static double oneStepError(VelocityField field, Reflow.Pairs pairs) {
        int n = pairs.count();
        float[] v = new float[2 * n];
        field.velocity(pairs.z0(), n, 0f, v);
        double e = 0;
        for (int k = 0; k < 2 * n; k++) {
            double d = pairs.z0()[k] + v[k] - pairs.z1()[k];
            e += d * d;
        }
        return e / n;
    }

    private static FlowMatchingTrainer.Settings settings(int steps, long seed) {
        return new FlowMatchingTrainer.Settings(steps, 128, OptimizerConfig.adamW(2e-3), TimestepDistribution.parse("uniform"),
                Loss.parse("l2"), 0, seed);
    }

    @Test
    void reflowStraightensAndDistillationLandsOnePairsInOneStep() {
        MlpArchitecture architecture = MlpArchitecture.plane(new int[] {24, 24}, Activation.SELU);
        float[] first;
        try (VelocityMlp model = VelocityMlp.create(device, architecture, 1)) {
            first = new FlowMatchingTrainer(model, TrainingPaths.coupling("independent", Datasets.NORMAL, Datasets.EIGHT_GAUSSIANS),
                    ConditionalPath.STRAIGHT, settings(300, 2)).train(TrainingProgress.NONE, null).parameters();
        }
        try (VelocityMlp oneRf = VelocityMlp.withParameters(device, architecture, first)) {
            Reflow.Pairs pairs = Reflow.pairs(Datasets.NORMAL, euler(oneRf, 30), 800, 7, 512, null);
            assertThat(pairs.z1()).isNotEqualTo(pairs.z0());
            double before = oneStepError(oneRf, pairs);
            float[] second = Reflow.train(device, architecture, first, 0, pairs, settings(200, 3), TrainingProgress.NONE, null).parameters();
            try (VelocityMlp twoRf = VelocityMlp.withParameters(device, architecture, second)) {
                double reflowed = oneStepError(twoRf, pairs);
                assertThat(reflowed).isLessThan(0.5 * before);
                float[] distilled = Reflow.train(device, architecture, second, 0, pairs,
                        Reflow.distillationSettings(settings(150, 4)), TrainingProgress.NONE, null).parameters();
                try (VelocityMlp oneStep = VelocityMlp.withParameters(device, architecture, distilled)) {
                    assertThat(oneStepError(oneStep, pairs)).isLessThan(reflowed);
                }
            }
        }
    }

    @Test
    void pairSimulationHonoursCancellationAndRefusesDivergence() {
        PairSimulator identity = (z0, n) -> z0.clone();
        assertThatThrownBy(() -> Reflow.pairs(Datasets.NORMAL, identity, 100, 1, 10, () -> true))
                .isInstanceOf(TrainingCancelledException.class);
        PairSimulator exploding = (z0, n) -> {
            float[] z = z0.clone();
            z[1] = Float.POSITIVE_INFINITY;
            return z;
        };
        assertThatThrownBy(() -> Reflow.pairs(Datasets.NORMAL, exploding, 100, 1, 10, null))
                .hasMessageContaining("reflow pair 0 gave a non-finite point");
        assertThat(Reflow.roundSeed(42, 1)).isNotEqualTo(Reflow.roundSeed(42, 2)).isEqualTo(Reflow.roundSeed(42, 1));
    }
}
