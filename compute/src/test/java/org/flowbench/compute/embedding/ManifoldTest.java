package org.flowbench.compute.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.hyperbolic.PoincareBall;
import org.junit.jupiter.api.Test;

class ManifoldTest {

    private static final Manifold[] ALL = {PoincareManifold.INSTANCE, EuclideanManifold.INSTANCE, LorentzManifold.INSTANCE};

    /** Two random valid points of dimension dim, side by side in one table. */
    private static double[] pair(Manifold m, int dim, SeededRandom rng, double spread) {
        int k = m.coordinates(dim);
        double[] t = new double[2 * k];
        for (int p = 0; p < 2; p++) {
            double[] x = new double[dim];
            double nn = 0;
            for (int i = 0; i < dim; i++) {
                x[i] = rng.nextGaussian();
                nn += x[i] * x[i];
            }
            double r = rng.nextDouble() * spread / Math.sqrt(nn);
            if (m == LorentzManifold.INSTANCE) {
                for (int i = 0; i < dim; i++) {
                    t[p * k + 1 + i] = x[i] * r * 4;
                }
                LorentzManifold.normalize(t, p * k, k);
            } else {
                for (int i = 0; i < dim; i++) {
                    t[p * k + i] = x[i] * r;
                }
            }
        }
        return t;
    }

    @Test
    void distanceGradientsMatchFiniteDifferences() {
        SeededRandom rng = new SeededRandom(21);
        double h = 1e-6;
        for (Manifold m : ALL) {
            int dim = 4;
            int k = m.coordinates(dim);
            for (int trial = 0; trial < 300; trial++) {
                double[] t = pair(m, dim, rng, 0.95);
                double[] ga = new double[k];
                double[] gb = new double[k];
                double d = m.distanceGradient(t, 0, k, k, 1.0, ga, 0, gb, 0);
                assertThat(d).isEqualTo(m.distance(t, 0, k, k));
                for (int i = 0; i < 2 * k; i++) {
                    double[] plus = t.clone();
                    double[] minus = t.clone();
                    plus[i] += h;
                    minus[i] -= h;
                    double fd = (m.distance(plus, 0, k, k) - m.distance(minus, 0, k, k)) / (2 * h);
                    double g = i < k ? ga[i] : gb[i - k];
                    assertThat(g).as("%s coordinate %d", m.name(), i).isCloseTo(fd, within(2e-4 * Math.max(1, Math.abs(fd))));
                }
            }
        }
    }

    @Test
    void rankingKeysOrderPointsAsTheDistanceDoes() {
        SeededRandom rng = new SeededRandom(25);
        for (Manifold m : ALL) {
            int k = m.coordinates(3);
            for (int trial = 0; trial < 2000; trial++) {
                double[] ab = pair(m, 3, rng, 0.99);
                double[] ac = pair(m, 3, rng, 0.99);
                double[] t = new double[3 * k];
                System.arraycopy(ab, 0, t, 0, 2 * k);
                System.arraycopy(ac, k, t, 2 * k, k);
                double d1 = m.distance(t, 0, k, k);
                double d2 = m.distance(t, 0, 2 * k, k);
                double k1 = m.rankingKey(t, 0, k, k);
                double k2 = m.rankingKey(t, 0, 2 * k, k);
                if (Math.abs(d1 - d2) > 1e-9 * Math.max(1, d1)) {
                    assertThat(Double.compare(k1, k2)).as(m.name()).isEqualTo(Double.compare(d1, d2));
                }
            }
        }
    }

    @Test
    void poincareDistanceIsTheBallsDistance() {
        SeededRandom rng = new SeededRandom(22);
        PoincareBall ball = PoincareBall.unit();
        for (int trial = 0; trial < 1000; trial++) {
            double[] t = pair(PoincareManifold.INSTANCE, 5, rng, 0.999);
            double expected = ball.distance(java.util.Arrays.copyOfRange(t, 0, 5), java.util.Arrays.copyOfRange(t, 5, 10));
            assertThat(PoincareManifold.INSTANCE.distance(t, 0, 5, 5)).isCloseTo(expected, within(1e-9 * Math.max(1, expected)));
        }
    }

    @Test
    void lorentzDistanceMatchesTheBallThroughTheIsometry() {
        SeededRandom rng = new SeededRandom(23);
        PoincareBall ball = PoincareBall.unit();
        for (int trial = 0; trial < 1000; trial++) {
            double[] t = pair(LorentzManifold.INSTANCE, 3, rng, 1);
            double d = LorentzManifold.INSTANCE.distance(t, 0, 4, 4);
            double[] x = LorentzManifold.INSTANCE.toBall(t, 0, 4);
            double[] y = LorentzManifold.INSTANCE.toBall(t, 4, 4);
            assertThat(d).isCloseTo(ball.distance(x, y), within(1e-7 * Math.max(1, d)));
        }
    }

    @Test
    void poincareStepScalesClipsAndProjects() {
        double[] t = {0.5, 0.0};
        double[] g = {1.0, 0.0};
        PoincareManifold.INSTANCE.step(t, 0, 2, g, 0, 0.1);
        // (1 - 0.25)^2 / 4 = 0.140625
        assertThat(t[0]).isCloseTo(0.5 - 0.1 * 0.140625, within(1e-15));
        double[] big = {0.0, 0.0};
        PoincareManifold.INSTANCE.step(big, 0, 2, new double[] {1000, 0}, 0, 0.01);
        // Riemannian gradient 250 is clipped to norm 5
        assertThat(big[0]).isCloseTo(-0.05, within(1e-9));
        double[] out = {0.9, 0.0};
        PoincareManifold.INSTANCE.step(out, 0, 2, new double[] {-1e9, 0}, 0, 1);
        assertThat(out[0]).isLessThan(1.0).isCloseTo(1 - 1e-5, within(1e-6));
    }

    @Test
    void lorentzStepStaysOnTheHyperboloidAndDescends() {
        SeededRandom rng = new SeededRandom(24);
        for (int trial = 0; trial < 500; trial++) {
            double[] t = pair(LorentzManifold.INSTANCE, 3, rng, 1);
            double before = LorentzManifold.INSTANCE.distance(t, 0, 4, 4);
            double[] ga = new double[4];
            LorentzManifold.INSTANCE.distanceGradient(t, 0, 4, 4, 1.0, ga, 0, new double[4], 0);
            LorentzManifold.INSTANCE.step(t, 0, 4, ga, 0, 1e-3);
            assertThat(LorentzManifold.INSTANCE.invalidPoint(t, 0, 4)).isNull();
            assertThat(-LorentzManifold.lorentzProduct(t, 0, t, 0, 4)).isCloseTo(1.0, within(1e-9 * t[0] * t[0]));
            if (before > 1e-3) {
                assertThat(LorentzManifold.INSTANCE.distance(t, 0, 4, 4)).isLessThan(before);
            }
        }
    }

    @Test
    void invalidPointsAreNamed() {
        assertThat(PoincareManifold.INSTANCE.invalidPoint(new double[] {0.6, 0.8}, 0, 2)).contains("outside the unit ball");
        assertThat(PoincareManifold.INSTANCE.invalidPoint(new double[] {Double.NaN, 0}, 0, 2)).contains("not a finite");
        assertThat(EuclideanManifold.INSTANCE.invalidPoint(new double[] {5, 7}, 0, 2)).isNull();
        assertThat(LorentzManifold.INSTANCE.invalidPoint(new double[] {1, 1}, 0, 2)).contains("hyperboloid");
        assertThat(LorentzManifold.INSTANCE.invalidPoint(new double[] {Math.sqrt(2), 1}, 0, 2)).isNull();
        assertThatThrownBy(() -> Manifold.byName("sphere")).hasMessageContaining("poincare, lorentz or euclidean");
        assertThat(Manifold.byName("Poincare")).isSameAs(PoincareManifold.INSTANCE);
    }
}
