package org.flowbench.compute.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DatasetsTest {
    private static final int N = 100_000;

    @Test
    void everyDatasetIsReproducibleByteForByteAndSeedSensitive() {
        for (Dataset d : Datasets.all()) {
            float[] a = d.sample(1000, 42);
            float[] b = d.sample(1000, 42);
            float[] c = d.sample(1000, 43);
            assertThat(a).as(d.name()).hasSize(2000).isEqualTo(b);
            assertThat(a).as(d.name()).isNotEqualTo(c);
            for (float v : a) {
                assertThat(Float.isFinite(v)).as(d.name()).isTrue();
            }
            assertThat(Datasets.byName(d.name())).isSameAs(d);
        }
    }

    @Test
    void normalHasZeroMeanUnitSpread() {
        double[] m = moments(Datasets.NORMAL.sample(N, 1));
        assertThat(m[0]).isCloseTo(0, within(0.02));
        assertThat(m[1]).isCloseTo(0, within(0.02));
        assertThat(m[2]).isCloseTo(1, within(0.02));
        assertThat(m[3]).isCloseTo(1, within(0.02));
    }

    @Test
    void moonsHaveTheTorchcfmMean() {
        double[] m = moments(Datasets.MOONS.sample(N, 2));
        assertThat(m[0]).isCloseTo(0.8, within(0.02));
        assertThat(m[1]).isCloseTo(0.05, within(0.02));
        float[] xy = Datasets.MOONS.sample(N, 3);
        for (int i = 0; i < N; i++) {
            // x/3 + 1/3 - shift lies in [-1, 2]; the shift is in [0, 0.2)
            assertThat(xy[2 * i]).isBetween(-4.0f, 5.6f);
            assertThat(xy[2 * i + 1]).isBetween(-2.5f, 2.6f);
        }
    }

    @Test
    void eightGaussiansSpreadMatchesRadiusFiveAndCovarianceSqrtPointOne() {
        double[] m = moments(Datasets.EIGHT_GAUSSIANS.sample(N, 4));
        double expectedVar = 25 * 0.5 + Math.sqrt(0.1);
        assertThat(m[0]).isCloseTo(0, within(0.05));
        assertThat(m[1]).isCloseTo(0, within(0.05));
        assertThat(m[2] * m[2]).isCloseTo(expectedVar, within(0.2));
        assertThat(m[3] * m[3]).isCloseTo(expectedVar, within(0.2));
        float[] xy = Datasets.EIGHT_GAUSSIANS.sample(N, 5);
        double meanRadius = 0;
        for (int i = 0; i < N; i++) {
            meanRadius += Math.hypot(xy[2 * i], xy[2 * i + 1]);
        }
        assertThat(meanRadius / N).isCloseTo(5.0, within(0.1));
    }

    @Test
    void runnerEightGaussiansHaveRadiusFiveAndUnitSpreadPerMode() {
        float[] xy = Datasets.EIGHT_GAUSSIANS_STD1.sample(N, 10);
        double[] m = moments(xy);
        double expectedVar = 25 * 0.5 + 1.0;
        assertThat(m[0]).isCloseTo(0, within(0.05));
        assertThat(m[1]).isCloseTo(0, within(0.05));
        assertThat(m[2] * m[2]).isCloseTo(expectedVar, within(0.2));
        assertThat(m[3] * m[3]).isCloseTo(expectedVar, within(0.2));
        // Points nearest the centre (5, 0): their spread about it is the per-mode std.
        double sum = 0, sumSq = 0;
        int count = 0;
        for (int i = 0; i < N; i++) {
            double dx = xy[2 * i] - 5.0, dy = xy[2 * i + 1];
            if (Math.abs(Math.atan2(xy[2 * i + 1], xy[2 * i])) < Math.PI / 8 && Math.hypot(dx, dy) < 4.5) {
                sum += dy;
                sumSq += dy * dy;
                count++;
            }
        }
        assertThat(count).isCloseTo(N / 8, within(N / 40));
        double std = Math.sqrt(sumSq / count - (sum / count) * (sum / count));
        assertThat(std).isCloseTo(1.0, within(0.08));
    }

    @Test
    void runnerMoonsHaveTheScikitLearnMeanAndSpread() {
        double[] m = moments(Datasets.MOONS_SKLEARN.sample(N, 11));
        // make_moons has mean (0.5, 0.25); times 2 and x - 1 gives (0, 0.5).
        assertThat(m[0]).isCloseTo(0.0, within(0.02));
        assertThat(m[1]).isCloseTo(0.5, within(0.02));
        // Var of make_moons x: (E[cos^2] + E[(1 - cos)^2]) / 2 - 0.5^2 + 0.05^2 = 1 - 0.25 + 0.0025.
        assertThat(m[2] * m[2]).isCloseTo(4 * 0.7525, within(0.03));
    }

    @Test
    void gridAndCircleSpreadsMatchTheirScalings() {
        double[] g = moments(Datasets.TWENTY_FIVE_GAUSSIANS.sample(N, 6));
        assertThat(g[2] * g[2]).isCloseTo(8.0025, within(0.1));
        double[] c = moments(Datasets.CIRCLES.sample(N, 7));
        assertThat(c[2] * c[2]).isCloseTo(12.25 * (0.625 / 2 + 0.0025), within(0.05));
        double[] s = moments(Datasets.SCURVE.sample(N, 8));
        assertThat(s[0]).isCloseTo(0, within(0.02));
        assertThat(s[1]).isCloseTo(0, within(0.03));
    }

    @Test
    void checkerboardFillsOnlyTheBlackSquares() {
        float[] xy = Datasets.CHECKERBOARD.sample(20_000, 9);
        for (int i = 0; i < 20_000; i++) {
            int cx = (int) Math.floor(xy[2 * i] / 7.5);
            int cy = (int) Math.floor(xy[2 * i + 1] / 7.5);
            assertThat(cx).isBetween(-2, 1);
            assertThat(cy).isBetween(-2, 1);
            assertThat(Math.floorMod(cx + cy, 2)).isZero();
        }
    }

    @Test
    void pointSetResamplesTheGivenPoints() {
        float[] pts = {0, 0, 10, 0, 0, 10};
        PointSetDataset exact = new PointSetDataset("drawn", pts, 0f);
        float[] xy = exact.sample(3000, 1);
        int[] hits = new int[3];
        for (int i = 0; i < 3000; i++) {
            int match = -1;
            for (int k = 0; k < 3; k++) {
                if (xy[2 * i] == pts[2 * k] && xy[2 * i + 1] == pts[2 * k + 1]) {
                    match = k;
                }
            }
            assertThat(match).isNotNegative();
            hits[match]++;
        }
        for (int h : hits) {
            assertThat(h).isBetween(850, 1150);
        }
        pts[0] = 99f; // the dataset keeps its own copy
        assertThat(exact.sample(3000, 1)).isEqualTo(xy);

        float[] jittered = new PointSetDataset("drawn", new float[] {1, 2}, 0.1f).sample(N, 2);
        double[] m = moments(jittered);
        assertThat(m[0]).isCloseTo(1, within(0.003));
        assertThat(m[3]).isCloseTo(0.1, within(0.003));
    }

    @Test
    void badInputIsRejectedWithClearMessages() {
        assertThatThrownBy(() -> Datasets.byName("banana"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("banana").hasMessageContaining("moons").hasMessageContaining("8gaussians");
        assertThat(Datasets.byName(" Moons ")).isSameAs(Datasets.MOONS);
        assertThatThrownBy(() -> Datasets.MOONS.sample(-1, 0)).hasMessageContaining("-1");
        assertThatThrownBy(() -> new PointSetDataset("p", new float[] {1, Float.NaN}, 0f)).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> new PointSetDataset("p", new float[0], 0f)).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> new PointSetDataset("p", new float[] {1, 2}, -1f)).hasMessageContaining("jitter");
    }

    /** {mean x, mean y, std x, std y}. */
    static double[] moments(float[] xy) {
        int n = xy.length / 2;
        double sx = 0, sy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            sx += xy[2 * i];
            sy += xy[2 * i + 1];
        }
        double mx = sx / n, my = sy / n;
        for (int i = 0; i < n; i++) {
            sxx += (xy[2 * i] - mx) * (xy[2 * i] - mx);
            syy += (xy[2 * i + 1] - my) * (xy[2 * i + 1] - my);
        }
        return new double[] {mx, my, Math.sqrt(sxx / n), Math.sqrt(syy / n)};
    }
}
