package org.flowbench.compute.train;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LossTest {

    private static final float[] PREDICTED = {1f, 2f, -0.5f, 0.25f, 3f, -1f};
    private static final float[] TARGET = {0.5f, 2.5f, 0.5f, 0.25f, 0f, 3f};

    @Test
    void squaredErrorIsMeanOfRowSquaredNorms() {
        float[] g = new float[6];
        double loss = Loss.parse("l2").evaluate(PREDICTED, TARGET, 3, 2, g);
        assertThat(loss).isCloseTo((0.25 + 0.25 + 1 + 0 + 9 + 16) / 3.0, within(1e-9));
        assertThat(g[0]).isCloseTo(2 * 0.5f / 3, within(1e-7f));
        checkGradientByFiniteDifferences(Loss.parse("l2"));
    }

    @Test
    void pseudoHuberIsQuadraticBelowCAndLinearAbove() {
        Loss.PseudoHuber huber = new Loss.PseudoHuber(0.1);
        float[] g = new float[2];
        double small = huber.evaluate(new float[] {0.001f, 0}, new float[] {0, 0}, 1, 2, g);
        assertThat(small).isCloseTo(0.001 * 0.001 / (2 * 0.1), within(1e-9));
        double large = huber.evaluate(new float[] {30f, 40f}, new float[] {0, 0}, 1, 2, g);
        assertThat(large).isCloseTo(50 - 0.1, within(1e-3));
        assertThat(Math.hypot(g[0], g[1])).isCloseTo(1.0, within(1e-5));
        checkGradientByFiniteDifferences(huber);
        assertThat(Loss.parse("huber").spec()).isEqualTo("huber:" + Loss.PseudoHuber.DEFAULT_C);
    }

    @Test
    void badLossNamesAreRefused() {
        assertThatThrownBy(() -> Loss.parse("l1")).hasMessageContaining("unknown loss 'l1'");
        assertThatThrownBy(() -> Loss.parse("huber:0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> Loss.parse("huber:NaN")).hasMessageContaining("positive");
        assertThatThrownBy(() -> Loss.parse("huber:abc")).hasMessageContaining("not a number");
    }

    private static void checkGradientByFiniteDifferences(Loss loss) {
        float[] g = new float[6];
        loss.evaluate(PREDICTED, TARGET, 3, 2, g);
        float[] scratch = new float[6];
        for (int k = 0; k < 6; k++) {
            float[] plus = PREDICTED.clone();
            float[] minus = PREDICTED.clone();
            float h = 1e-2f;
            plus[k] += h;
            minus[k] -= h;
            double numeric = (loss.evaluate(plus, TARGET, 3, 2, scratch) - loss.evaluate(minus, TARGET, 3, 2, scratch)) / (2 * h);
            assertThat((double) g[k]).as("d loss / d v[%d]", k).isCloseTo(numeric, within(2e-4 + 1e-3 * Math.abs(numeric)));
        }
    }
}
