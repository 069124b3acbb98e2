package org.flowbench.compute.train;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.VelocityMlp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowMatchingTrainerTest {

    private static ComputeDevice device;

    @BeforeAll
    static void open() {
        device = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    private static final float MU_X = 2f;
    private static final float MU_Y = -1f;
    private static final float S = 0.5f;

    /** x0 ~ N(0, I), x1 ~ N(mu, s^2 I), drawn independently. */
    private static final PairBatches GAUSSIANS = (random, n, x0, x1) -> {
        for (int i = 0; i < n; i++) {
            x0[2 * i] = (float) random.nextGaussian();
            x0[2 * i + 1] = (float) random.nextGaussian();
            x1[2 * i] = MU_X + S * (float) random.nextGaussian();
            x1[2 * i + 1] = MU_Y + S * (float) random.nextGaussian();
        }
    };

    /**
     * Marginal velocity of the straight path between independent N(0, I) and N(mu, s^2 I):
     * u(x, t) = E[x1 - x0 | x_t = x] = mu + (t s^2 - (1 - t)) / ((1 - t)^2 + t^2 s^2) (x - t mu).
     */
    private static double marginalVelocity(double x, double mu, double t) {
        double variance = (1 - t) * (1 - t) + t * t * S * S;
        return mu + (t * S * S - (1 - t)) / variance * (x - t * mu);
    }

    private static FlowMatchingTrainer.Settings settings(int steps, long seed) {
        return new FlowMatchingTrainer.Settings(steps, 256, OptimizerConfig.adamW(3e-3), TimestepDistribution.parse("uniform"),
                Loss.parse("l2"), 0, seed);
    }

    /** Tolerance: relative RMS error below 10% at t = 0.1, 0.5, 0.9 after 800 steps (measured 1.9%, 2.2%, 6.4%). */
    @Test
    void gaussianToGaussianFieldMatchesTheClosedFormMarginalVelocity() {
        MlpArchitecture architecture = MlpArchitecture.plane(new int[] {32, 32}, Activation.SILU);
        try (VelocityMlp model = VelocityMlp.create(device, architecture, 3)) {
            FlowMatchingTrainer.Result result = new FlowMatchingTrainer(model, GAUSSIANS, ConditionalPath.STRAIGHT,
                    new FlowMatchingTrainer.Settings(800, 256, OptimizerConfig.adamW(3e-3), TimestepDistribution.parse("uniform"),
                            Loss.parse("l2"), 0.99, 11)).train(TrainingProgress.NONE, null);
            model.setParameterValues(result.parameters());
            // Compare on points drawn from p_t itself, where the field is learned.
            SeededRandom random = new SeededRandom(99);
            int n = 2000;
            float[] x = new float[2 * n];
            float[] v = new float[2 * n];
            for (double t : new double[] {0.1, 0.5, 0.9}) {
                double sd = Math.sqrt((1 - t) * (1 - t) + t * t * S * S);
                for (int i = 0; i < n; i++) {
                    x[2 * i] = (float) (t * MU_X + sd * random.nextGaussian());
                    x[2 * i + 1] = (float) (t * MU_Y + sd * random.nextGaussian());
                }
                model.velocity(x, n, (float) t, v);
                double error = 0;
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    double ux = marginalVelocity(x[2 * i], MU_X, t);
                    double uy = marginalVelocity(x[2 * i + 1], MU_Y, t);
                    error += (v[2 * i] - ux) * (v[2 * i] - ux) + (v[2 * i + 1] - uy) * (v[2 * i + 1] - uy);
                    norm += ux * ux + uy * uy;
                }
                double relativeRms = Math.sqrt(error / norm);
                assertThat(relativeRms).as("relative RMS error of v at t = %s", t).isLessThan(0.1);
                // The deterministic OT map's field, mu + (s - 1) / (1 + t (s - 1)) (x - t mu), differs from
                // the independent coupling's marginal field; the model must match the right one.
                double wrong = 0;
                for (int i = 0; i < n; i++) {
                    double slope = (S - 1) / (1 + t * (S - 1));
                    double ox = MU_X + slope * (x[2 * i] - t * MU_X);
                    double oy = MU_Y + slope * (x[2 * i + 1] - t * MU_Y);
                    wrong += (v[2 * i] - ox) * (v[2 * i] - ox) + (v[2 * i + 1] - oy) * (v[2 * i + 1] - oy);
                }
                assertThat(Math.sqrt(wrong / norm)).as("distance to the OT field at t = %s", t).isGreaterThan(2 * relativeRms);
            }
        }
    }

    @Test
    void sameSeedGivesTheSameParametersBitForBit() {
        MlpArchitecture architecture = MlpArchitecture.plane(new int[] {16, 16}, Activation.SELU);
        float[][] runs = new float[3][];
        long[] seeds = {5, 5, 6};
        for (int r = 0; r < 3; r++) {
            try (VelocityMlp model = VelocityMlp.create(device, architecture, 1)) {
                runs[r] = new FlowMatchingTrainer(model, GAUSSIANS, ConditionalPath.STRAIGHT,
                        new FlowMatchingTrainer.Settings(40, 64, OptimizerConfig.adamW(1e-3), TimestepDistribution.parse("u-shaped"),
                                Loss.parse("huber:0.01"), 0.99, seeds[r])).train(TrainingProgress.NONE, null).parameters();
            }
        }
        assertThat(runs[1]).containsExactly(runs[0]);
        assertThat(runs[2]).isNotEqualTo(runs[0]);
    }

    @Test
    void nonFiniteLossStopsTrainingNamingTheStep() {
        AtomicInteger calls = new AtomicInteger();
        PairBatches poisoned = (random, n, x0, x1) -> {
            GAUSSIANS.next(random, n, x0, x1);
            if (calls.incrementAndGet() == 7) {
                x1[3] = Float.NaN;
            }
        };
        try (VelocityMlp model = VelocityMlp.create(device, MlpArchitecture.plane(new int[] {8}, Activation.TANH), 1)) {
            assertThatThrownBy(() -> new FlowMatchingTrainer(model, poisoned, ConditionalPath.STRAIGHT, settings(20, 1))
                    .train(TrainingProgress.NONE, null))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("loss is NaN at step 7");
        }
    }

    @Test
    void cancelFlagAndInterruptStopBetweenSteps() {
        try (VelocityMlp model = VelocityMlp.create(device, MlpArchitecture.plane(new int[] {8}, Activation.TANH), 1)) {
            AtomicInteger reported = new AtomicInteger();
            assertThatThrownBy(() -> new FlowMatchingTrainer(model, GAUSSIANS, ConditionalPath.STRAIGHT, settings(1000, 1))
                    .train((step, total, loss) -> reported.set(step), () -> reported.get() >= 5))
                    .isInstanceOf(TrainingCancelledException.class)
                    .hasMessage("training cancelled after 5 steps");
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> new FlowMatchingTrainer(model, GAUSSIANS, ConditionalPath.STRAIGHT, settings(1000, 1))
                        .train(TrainingProgress.NONE, null))
                        .isInstanceOf(TrainingCancelledException.class)
                        .hasMessage("training cancelled after 0 steps");
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void lossDecreasesAndIsReportedEveryStep() {
        try (VelocityMlp model = VelocityMlp.create(device, MlpArchitecture.plane(new int[] {16, 16}, Activation.RELU), 1)) {
            AtomicInteger reports = new AtomicInteger();
            FlowMatchingTrainer.Result result = new FlowMatchingTrainer(model, GAUSSIANS, ConditionalPath.STRAIGHT, settings(300, 2))
                    .train((step, total, loss) -> {
                        assertThat(step).isEqualTo(reports.incrementAndGet());
                        assertThat(total).isEqualTo(300);
                    }, null);
            assertThat(reports.get()).isEqualTo(300);
            double first = (result.losses()[0] + result.losses()[1] + result.losses()[2]) / 3.0;
            assertThat(result.recentLoss(30)).isLessThan(0.5 * first);
        }
    }
}
