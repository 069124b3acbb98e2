package org.flowbench.compute.norm.invariance;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BatchNormOnlyTrainingTest {

    private static final double[] BOUNDS = {-2, 2, -2, 2};

    @Test
    void gradientsMatchFiniteDifferences() {
        LabelledTask.Points points = LabelledTask.MOONS.sample(24, 0.1, 5);
        BatchNormOnlyTraining net = new BatchNormOnlyTraining(new BatchNormOnlyTraining.Settings(6, 2, 1, 0.01), 9);
        double[][][] grads = net.gradients(points);
        double[][][] params = net.parameters();
        double h = 1e-6;
        int checked = 0;
        for (int k = 0; k < 4; k++) {
            for (int l = 0; l < params[k].length; l++) {
                for (int i = 0; i < params[k][l].length; i += 3) {
                    double keep = params[k][l][i];
                    params[k][l][i] = keep + h;
                    double plus = net.loss(points);
                    params[k][l][i] = keep - h;
                    double minus = net.loss(points);
                    params[k][l][i] = keep;
                    double fd = (plus - minus) / (2 * h);
                    assertThat(grads[k][l][i]).as("group " + k + " layer " + l + " index " + i)
                            .isCloseTo(fd, within(1e-6 + 1e-5 * Math.abs(fd)));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void trainingOnlyBatchNormBeatsTheSameNetworkFrozenAtRandom() {
        LabelledTask.Points points = LabelledTask.MOONS.sample(200, 0.1, 1);
        BatchNormOnlyTraining.Settings s = new BatchNormOnlyTraining.Settings(32, 2, 300, 0.05);
        BatchNormOnlyTraining.Result frozen = new BatchNormOnlyTraining(s, 4)
                .train(BatchNormOnlyTraining.Trained.FROZEN, points, 16, BOUNDS, null);
        BatchNormOnlyTraining.Result bn = new BatchNormOnlyTraining(s, 4)
                .train(BatchNormOnlyTraining.Trained.BATCHNORM, points, 16, BOUNDS, null);
        assertThat(frozen.accuracy()[0]).isEqualTo(bn.accuracy()[0]);
        assertThat(frozen.finalAccuracy()).isEqualTo(frozen.accuracy()[0]);
        assertThat(bn.finalAccuracy()).isGreaterThan(0.9).isGreaterThan(frozen.finalAccuracy() + 0.05);
        assertThat(bn.loss()[300]).isLessThan(bn.loss()[0]);
        assertThat(bn.classOne()).hasSize(256);
        for (float p : bn.classOne()) {
            assertThat(p).isBetween(0f, 1f);
        }
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        LabelledTask.Points a = LabelledTask.SPIRALS.sample(100, 0.05, 2);
        LabelledTask.Points b = LabelledTask.SPIRALS.sample(100, 0.05, 2);
        assertThat(a.xy()).containsExactly(b.xy());
        BatchNormOnlyTraining.Settings s = new BatchNormOnlyTraining.Settings(8, 1, 20, 0.05);
        BatchNormOnlyTraining.Result r1 = new BatchNormOnlyTraining(s, 3).train(BatchNormOnlyTraining.Trained.ALL, a, 8, BOUNDS, null);
        BatchNormOnlyTraining.Result r2 = new BatchNormOnlyTraining(s, 3).train(BatchNormOnlyTraining.Trained.ALL, b, 8, BOUNDS, null);
        assertThat(r1.accuracy()).containsExactly(r2.accuracy());
        assertThat(r1.classOne()).containsExactly(r2.classOne());
    }

    @Test
    void badSettingsAreRefusedWithOneLine() {
        assertThatThrownBy(() -> new BatchNormOnlyTraining.Settings(1, 2, 10, 0.1)).hasMessageContaining("width");
        assertThatThrownBy(() -> new BatchNormOnlyTraining.Settings(8, 2, 10, Double.NaN)).hasMessageContaining("lr");
        assertThatThrownBy(() -> LabelledTask.MOONS.sample(10_000_000, 0.1, 1)).hasMessageContaining("points");
        assertThatThrownBy(() -> LabelledTask.byId("circles")).hasMessageContaining("moons or spirals");
    }
}
