package org.flowbench.compute.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowbench.compute.data.Datasets;
import org.junit.jupiter.api.Test;

class SquaredEuclideanOtTest {

    @Test
    void w2OfIdenticalSetsIsZero() {
        float[] a = Datasets.MOONS.sample(500, 1);
        assertThat(SquaredEuclideanOt.w2(a, a.clone())).isZero();
    }

    @Test
    void w2OfAShiftedSetIsTheShiftLength() {
        float[] a = Datasets.EIGHT_GAUSSIANS.sample(400, 2);
        float[] b = new float[a.length];
        for (int i = 0; i < a.length / 2; i++) {
            b[2 * i] = a[2 * i] + 0.3f;
            b[2 * i + 1] = a[2 * i + 1] - 0.4f;
        }
        assertThat(SquaredEuclideanOt.w2(a, b)).isCloseTo(0.5, within(1e-5));
    }

    @Test
    void w2BetweenTwoPointsIsTheirDistanceAndSymmetric() {
        float[] a = Datasets.NORMAL.sample(300, 3);
        float[] b = Datasets.MOONS.sample(300, 4);
        assertThat(SquaredEuclideanOt.w2(a, b)).isCloseTo(SquaredEuclideanOt.w2(b, a), within(1e-9));
        assertThat(SquaredEuclideanOt.w2(new float[] {0, 0}, new float[] {3, 4})).isCloseTo(5.0, within(1e-12));
    }

    @Test
    void unequalSizesAreRefusedExactlyAndSubsampledOnRequest() {
        float[] a = Datasets.NORMAL.sample(300, 5);
        float[] b = Datasets.NORMAL.sample(200, 6);
        assertThatThrownBy(() -> SquaredEuclideanOt.w2(a, b)).hasMessageContaining("equal-size").hasMessageContaining("w2Subsampled");
        double w = SquaredEuclideanOt.w2Subsampled(a, b, 1000, 7);
        assertThat(w).isEqualTo(SquaredEuclideanOt.w2Subsampled(a, b, 1000, 7)).isBetween(0.05, 0.6);
        assertThatThrownBy(() -> SquaredEuclideanOt.w2(new float[] {0, Float.NaN}, new float[] {0, 0})).hasMessageContaining("non-finite");
    }
}
