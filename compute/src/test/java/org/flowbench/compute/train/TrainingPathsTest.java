package org.flowbench.compute.train;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrainingPathsTest {

    private static final float[] X0 = {1f, -2f, 0.5f, 0.25f};
    private static final float[] X1 = {3f, 1f, -1f, 2f};
    private static final float[] T = {0.25f, 0.8f};

    private static float[][] apply(ConditionalPath path) {
        float[] xt = new float[4];
        float[] ut = new float[4];
        path.sample(X0, X1, T, 2, new SeededRandom(1), xt, ut);
        return new float[][] {xt, ut};
    }

    @Test
    void everyPathHitsItsEndpointsAndItsTargetIsTheTimeDerivative() {
        for (String name : new String[] {"linear", "vp", "target-cfm"}) {
            ConditionalPath path = TrainingPaths.path(name, Double.NaN);
            float h = 1e-3f;
            for (int i = 0; i < 2; i++) {
                float[] t = {T[i] - h, T[i] + h, T[i]};
                float[] x0 = {X0[2 * i], X0[2 * i + 1], X0[2 * i], X0[2 * i + 1], X0[2 * i], X0[2 * i + 1]};
                float[] x1 = {X1[2 * i], X1[2 * i + 1], X1[2 * i], X1[2 * i + 1], X1[2 * i], X1[2 * i + 1]};
                float[] xt = new float[6];
                float[] ut = new float[6];
                path.sample(x0, x1, t, 3, new SeededRandom(1), xt, ut);
                for (int j = 0; j < 2; j++) {
                    assertThat(ut[4 + j]).as(name).isCloseTo((xt[2 + j] - xt[j]) / (2 * h), within(2e-2f));
                }
            }
            float[] xt = new float[4];
            float[] ut = new float[4];
            path.sample(X0, X1, new float[] {0f, 1f}, 2, new SeededRandom(1), xt, ut);
            assertThat(xt[0]).as(name + " at t=0").isCloseTo(X0[0], within(1e-6f));
            assertThat(xt[2]).as(name + " at t=1").isCloseTo(X1[2], within(1e-6f));
        }
    }

    @Test
    void formulasMatchTheTable() {
        float[][] linear = apply(TrainingPaths.path("linear", Double.NaN));
        assertThat(linear[0][0]).isEqualTo(0.75f * 1f + 0.25f * 3f);
        assertThat(linear[1][1]).isEqualTo(3f);
        float[][] vp = apply(TrainingPaths.path("vp", Double.NaN));
        double c = Math.cos(Math.PI * 0.25 / 2);
        double s = Math.sin(Math.PI * 0.25 / 2);
        assertThat((double) vp[0][0]).isCloseTo(c * 1 + s * 3, within(1e-6));
        assertThat((double) vp[1][0]).isCloseTo(Math.PI / 2 * (c * 3 - s * 1), within(1e-5));
        float[][] lipman = apply(TrainingPaths.path("target-cfm", 0.1));
        assertThat((double) lipman[0][0]).isCloseTo(0.25 * 3 + (1 - 0.9 * 0.25) * 1, within(1e-6));
        assertThat((double) lipman[1][0]).isCloseTo(3 - 0.9 * 1, within(1e-6));
    }

    @Test
    void icfmAddsNoiseOfTheGivenSigma() {
        ConditionalPath icfm = TrainingPaths.path("icfm", 0.3);
        int n = 20000;
        float[] x0 = new float[2 * n];
        float[] x1 = new float[2 * n];
        float[] t = new float[n];
        java.util.Arrays.fill(t, 0.5f);
        float[] xt = new float[2 * n];
        float[] ut = new float[2 * n];
        icfm.sample(x0, x1, t, n, new SeededRandom(3), xt, ut);
        double sq = 0;
        for (float v : xt) {
            sq += v * v;
        }
        assertThat(Math.sqrt(sq / (2 * n))).isCloseTo(0.3, within(0.01));
    }

    @Test
    void otCouplingPairsCloserThanIndependent() {
        PairBatches independent = TrainingPaths.coupling("independent", Datasets.NORMAL, Datasets.EIGHT_GAUSSIANS);
        PairBatches ot = TrainingPaths.coupling("ot", Datasets.NORMAL, Datasets.EIGHT_GAUSSIANS);
        int n = 128;
        float[] a0 = new float[2 * n];
        float[] a1 = new float[2 * n];
        float[] b0 = new float[2 * n];
        float[] b1 = new float[2 * n];
        independent.next(new SeededRandom(5), n, a0, a1);
        ot.next(new SeededRandom(5), n, b0, b1);
        assertThat(b0).containsExactly(a0);
        float[] sortedA = a1.clone();
        float[] sortedB = b1.clone();
        java.util.Arrays.sort(sortedA);
        java.util.Arrays.sort(sortedB);
        assertThat(sortedB).containsExactly(sortedA);
        assertThat(cost(b0, b1)).isLessThan(0.6 * cost(a0, a1));
    }

    private static double cost(float[] x0, float[] x1) {
        double c = 0;
        for (int k = 0; k < x0.length; k++) {
            c += (x1[k] - x0[k]) * (x1[k] - x0[k]);
        }
        return c;
    }

    @Test
    void unknownNamesAndBadSigmaAreRefused() {
        assertThatThrownBy(() -> TrainingPaths.path("bridge", Double.NaN)).hasMessageContaining("unknown probability path 'bridge'");
        assertThatThrownBy(() -> TrainingPaths.path("icfm", -1)).hasMessageContaining("sigma must be in [0, 10");
        assertThatThrownBy(() -> TrainingPaths.path("icfm", Double.POSITIVE_INFINITY)).hasMessageContaining("sigma");
        assertThatThrownBy(() -> TrainingPaths.path("linear", 0.1)).hasMessageContaining("use icfm");
        assertThatThrownBy(() -> TrainingPaths.coupling("sinkhorn", Datasets.NORMAL, Datasets.MOONS))
                .hasMessageContaining("unknown coupling 'sinkhorn'");
    }
}
