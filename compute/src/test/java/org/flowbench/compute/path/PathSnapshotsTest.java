package org.flowbench.compute.path;

import org.flowbench.compute.data.Datasets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PathSnapshotsTest {

    @Test
    void endpointsAreTheSourceAndTargetSamplesExactly() {
        PathSnapshots path = PathSnapshots.normalToMoons(500, 7L);

        assertThat(path.times()).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0);
        assertThat(path.positions(0)).isEqualTo(path.source());
        assertThat(path.positions(4)).isEqualTo(path.target());
        assertThat(path.source()).hasSize(2 * 500);
        assertThat(path.sourceName()).isEqualTo("normal");
        assertThat(path.targetName()).isEqualTo("moons");
    }

    @Test
    void everySnapshotLiesOnTheStraightLineBetweenItsPair() {
        PathSnapshots path = PathSnapshots.normalToMoons(300, 3L);
        float[] x0 = path.source();
        float[] x1 = path.target();
        for (int k = 0; k < path.timeCount(); k++) {
            double t = path.time(k);
            float[] xt = path.positions(k);
            for (int j = 0; j < xt.length; j++) {
                assertThat((double) xt[j]).isCloseTo((1 - t) * x0[j] + t * x1[j], within(1e-5));
            }
        }
    }

    @Test
    void theSourceAndTargetAreTheDataSamplersDraws() {
        PathSnapshots path = PathSnapshots.normalToMoons(2000, 11L);
        float[] x0 = path.source();
        float[] x1 = path.target();
        // Datasets documents N(0, I) and the moons' mean (0.8, 0.05).
        assertThat(mean(x0, 0)).isCloseTo(0.0, within(0.1));
        assertThat(variance(x0, 1)).isCloseTo(1.0, within(0.1));
        assertThat(mean(x1, 0)).isCloseTo(0.8, within(0.15));
        assertThat(mean(x1, 1)).isCloseTo(0.05, within(0.15));
    }

    /**
     * Independent coupling: x0 and x1 are uncorrelated, so the variance of x_t along each axis is
     * (1 - t)^2 Var x0 + t^2 Var x1 (a coupling that pairs points, such as optimal transport,
     * adds a covariance term). Checked against the sample variances of the endpoints.
     */
    @Test
    void varianceAlongThePathMatchesIndependentCoupling() {
        int n = 20_000;
        PathSnapshots path = PathSnapshots.normalToMoons(n, 5L);
        float[] x0 = path.source();
        float[] x1 = path.target();
        for (int axis = 0; axis < 2; axis++) {
            double v0 = variance(x0, axis);
            double v1 = variance(x1, axis);
            assertThat(Math.abs(correlation(x0, x1, axis))).isLessThan(4.0 / Math.sqrt(n));
            for (int k = 1; k < path.timeCount() - 1; k++) {
                double t = path.time(k);
                double expected = (1 - t) * (1 - t) * v0 + t * t * v1;
                double tolerance = 2 * t * (1 - t) * Math.sqrt(v0 * v1) * 4.0 / Math.sqrt(n) + 1e-4;
                assertThat(variance(path.positions(k), axis)).isCloseTo(expected, within(tolerance));
            }
        }
    }

    @Test
    void optimalTransportRepairsTheSameDrawsForALowerTotalCost() {
        double[] ends = {0.0, 1.0};
        PathSnapshots independent = PathSnapshots.sample(Datasets.NORMAL, Datasets.MOONS, "independent", 100, ends, 9L);
        PathSnapshots ot = PathSnapshots.sample(Datasets.NORMAL, Datasets.MOONS, "ot", 100, ends, 9L);

        assertThat(independent.coupling()).isEqualTo("independent");
        assertThat(ot.coupling()).isEqualTo("ot");
        assertThat(ot.source()).isEqualTo(independent.source());
        assertThat(sorted(ot.target())).isEqualTo(sorted(independent.target()));
        assertThat(cost(ot)).isLessThan(0.8 * cost(independent));
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() {
        PathSnapshots a = PathSnapshots.normalToMoons(100, 7L);
        PathSnapshots b = PathSnapshots.normalToMoons(100, 7L);
        PathSnapshots c = PathSnapshots.normalToMoons(100, 8L);
        for (int k = 0; k < a.timeCount(); k++) {
            assertThat(a.positions(k)).isEqualTo(b.positions(k));
        }
        assertThat(a.positions(2)).isNotEqualTo(c.positions(2));
        // The source and target draws use different seeds, so x1 is not a copy of the normal draw.
        assertThat(a.target()).isNotEqualTo(Datasets.MOONS.sample(100, 7L));
    }

    @Test
    void resultsCannotBeChangedThroughTheirArrays() {
        PathSnapshots path = PathSnapshots.normalToMoons(10, 1L);
        float before = path.x(2, 3);
        path.positions(2)[6] = 1e6f;
        path.times()[0] = 9;
        assertThat(path.x(2, 3)).isEqualTo(before);
        assertThat(path.time(0)).isZero();
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> PathSnapshots.normalToMoons(0, 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("number of particles must be in [1, 5000000], got 0");
        assertThatThrownBy(() -> PathSnapshots.sample(Datasets.NORMAL, Datasets.MOONS, 10, new double[] {0, 1.5}, 1L))
                .hasMessage("path times must lie in [0, 1], got 1.5");
        assertThatThrownBy(() -> PathSnapshots.sample(Datasets.NORMAL, Datasets.MOONS, 10, new double[] {0.5, Double.NaN}, 1L))
                .hasMessage("path times must lie in [0, 1], got NaN");
        assertThatThrownBy(() -> PathSnapshots.sample(Datasets.NORMAL, Datasets.MOONS, 10, new double[] {0.5, 0.5}, 1L))
                .hasMessage("path times must increase, got 0.5 then 0.5");
        assertThatThrownBy(() -> PathSnapshots.sample(Datasets.NORMAL, Datasets.MOONS, "ot", 5000, new double[] {0, 1}, 1L))
                .hasMessage("optimal-transport pairing takes at most 4096 particles, got 5000");
        assertThatThrownBy(() -> PathSnapshots.sample(Datasets.NORMAL, Datasets.MOONS, "sinkhorn", 10, new double[] {0, 1}, 1L))
                .hasMessageStartingWith("unknown coupling 'sinkhorn'");
    }

    private static double cost(PathSnapshots path) {
        float[] x0 = path.source();
        float[] x1 = path.target();
        double sum = 0;
        for (int j = 0; j < x0.length; j++) {
            sum += (x1[j] - x0[j]) * (x1[j] - x0[j]);
        }
        return sum;
    }

    /** The points of {@code xy // [n*2]} as "x,y" strings in sorted order: the multiset of points. */
    private static List<String> sorted(float[] xy) {
        List<String> points = new ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            points.add(xy[i] + "," + xy[i + 1]);
        }
        Collections.sort(points);
        return points;
    }

    private static double mean(float[] xy, int axis) {
        double sum = 0;
        for (int i = axis; i < xy.length; i += 2) {
            sum += xy[i];
        }
        return sum / (xy.length / 2);
    }

    private static double variance(float[] xy, int axis) {
        double m = mean(xy, axis);
        double sum = 0;
        for (int i = axis; i < xy.length; i += 2) {
            sum += (xy[i] - m) * (xy[i] - m);
        }
        return sum / (xy.length / 2);
    }

    private static double correlation(float[] a, float[] b, int axis) {
        double ma = mean(a, axis);
        double mb = mean(b, axis);
        double cov = 0;
        for (int i = axis; i < a.length; i += 2) {
            cov += (a[i] - ma) * (b[i] - mb);
        }
        cov /= a.length / 2;
        return cov / Math.sqrt(variance(a, axis) * variance(b, axis));
    }
}
