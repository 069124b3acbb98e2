package org.flowbench.compute.hyperbolic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.api.Test;

/** Property tests over many seeded draws, for the unit ball and for other curvatures. */
class PoincareBallTest {

    private static final int DRAWS = 2000;
    private static final double[] CURVATURES = {1.0, 0.3, 2.5};

    /** A random point with c ||x||^2 up to 0.95^2, direction uniform. */
    static double[] point(SeededRandom rng, PoincareBall ball, int dim, double maxRelativeNorm) {
        double[] x = new double[dim];
        double n2 = 0;
        for (int i = 0; i < dim; i++) {
            x[i] = rng.nextGaussian();
            n2 += x[i] * x[i];
        }
        double radius = rng.nextDouble() * maxRelativeNorm * ball.radius();
        double scale = radius / Math.sqrt(n2);
        for (int i = 0; i < dim; i++) {
            x[i] *= scale;
        }
        return x;
    }

    static double[] vector(SeededRandom rng, int dim, double scale) {
        double[] v = new double[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = rng.nextGaussian() * scale;
        }
        return v;
    }

    static void assertClose(double[] actual, double[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("component %d", i).isCloseTo(expected[i], within(tolerance));
        }
    }

    @Test
    void distanceIsAMetric() {
        SeededRandom rng = new SeededRandom(1);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int k = 0; k < DRAWS; k++) {
                int dim = 1 + rng.nextInt(6);
                double[] x = point(rng, ball, dim, 0.95);
                double[] y = point(rng, ball, dim, 0.95);
                double[] z = point(rng, ball, dim, 0.95);
                assertThat(ball.distance(x, x)).isEqualTo(0.0);
                assertThat(ball.distance(x, y)).isEqualTo(ball.distance(y, x));
                assertThat(ball.distance(x, y)).isGreaterThanOrEqualTo(0.0);
                assertThat(ball.distance(x, z)).isLessThanOrEqualTo(ball.distance(x, y) + ball.distance(y, z) + 1e-9);
            }
        }
    }

    @Test
    void distanceAgreesWithGeooptsMobiusFormAndTheClosedForms() {
        SeededRandom rng = new SeededRandom(2);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int k = 0; k < DRAWS; k++) {
                double[] x = point(rng, ball, 4, 0.9);
                double[] y = point(rng, ball, 4, 0.9);
                double d = ball.distance(x, y);
                assertThat(ball.distanceByMobius(x, y)).isCloseTo(d, within(1e-9 * Math.max(1, d)));
                double[] origin = new double[4];
                double expected = 2 / Math.sqrt(c) * artanh(Math.sqrt(c) * PoincareBall.norm(x));
                assertThat(ball.distance(origin, x)).isCloseTo(expected, within(1e-12 * Math.max(1, expected)));
            }
        }
        // Unit ball: arcosh(1 + 2||x - y||^2 / ((1 - ||x||^2)(1 - ||y||^2))) on a hand-checked pair.
        PoincareBall unit = PoincareBall.unit();
        double[] x = {0.5, 0};
        double[] y = {0, 0.5};
        double arg = 1 + 2 * 0.5 / (0.75 * 0.75);
        assertThat(unit.distance(x, y)).isCloseTo(Math.log(arg + Math.sqrt(arg * arg - 1)), within(1e-14));
        // d(0, 0.5 e1) = 2 artanh(0.5) = ln 3
        assertThat(unit.distance(new double[2], x)).isCloseTo(Math.log(3), within(1e-15));
    }

    private static double artanh(double v) {
        return 0.5 * Math.log((1 + v) / (1 - v));
    }

    @Test
    void mobiusAdditionHasItsIdentitiesAndGyroassociativity() {
        SeededRandom rng = new SeededRandom(3);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int k = 0; k < DRAWS; k++) {
                double[] a = point(rng, ball, 3, 0.9);
                double[] b = point(rng, ball, 3, 0.9);
                double[] x = point(rng, ball, 3, 0.9);
                assertClose(ball.mobiusAdd(a, new double[3]), a, 1e-15);
                assertClose(ball.mobiusAdd(new double[3], a), a, 1e-15);
                assertClose(ball.mobiusAdd(PoincareBall.negate(a), a), new double[3], 1e-12);
                // a (+) (b (+) x) = (a (+) b) (+) gyr[a, b] x
                double[] left = ball.mobiusAdd(a, ball.mobiusAdd(b, x));
                double[] right = ball.mobiusAdd(ball.mobiusAdd(a, b), ball.gyration(a, b, x));
                assertClose(left, right, 1e-10);
                assertThat(ball.contains(ball.mobiusAdd(a, b))).isTrue();
                // gyrations are rotations: they keep the Euclidean norm
                assertThat(PoincareBall.norm(ball.gyration(a, b, x))).isCloseTo(PoincareBall.norm(x), within(1e-12));
            }
        }
    }

    @Test
    void mobiusScalarMultiplicationScalesTheDistanceFromTheOrigin() {
        SeededRandom rng = new SeededRandom(4);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            double[] origin = new double[3];
            for (int k = 0; k < DRAWS; k++) {
                double[] x = point(rng, ball, 3, 0.9);
                double r = rng.nextDouble() * 3;
                double[] rx = ball.mobiusScale(r, x);
                assertThat(ball.distance(origin, rx)).isCloseTo(r * ball.distance(origin, x), within(1e-8));
                assertClose(ball.mobiusScale(2, x), ball.mobiusAdd(x, x), 1e-10);
            }
        }
    }

    @Test
    void mobiusTranslationsAreIsometries() {
        SeededRandom rng = new SeededRandom(5);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int k = 0; k < DRAWS; k++) {
                double[] a = point(rng, ball, 4, 0.9);
                double[] x = point(rng, ball, 4, 0.9);
                double[] y = point(rng, ball, 4, 0.9);
                double d = ball.distance(x, y);
                double moved = ball.distance(ball.mobiusAdd(PoincareBall.negate(a), x), ball.mobiusAdd(PoincareBall.negate(a), y));
                assertThat(moved).isCloseTo(d, within(1e-8 * Math.max(1, d)));
            }
        }
    }

    @Test
    void expAndLogMapsAreInverseAndFollowGeodesics() {
        SeededRandom rng = new SeededRandom(6);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int k = 0; k < DRAWS; k++) {
                double[] x = point(rng, ball, 5, 0.9);
                double[] y = point(rng, ball, 5, 0.9);
                double[] u = ball.logmap(x, y);
                assertClose(ball.expmap(x, u), y, 1e-9);
                // the geodesic from x with velocity u has length ||u||_x = d(x, y)
                assertThat(ball.tangentNorm(x, u)).isCloseTo(ball.distance(x, y), within(1e-8 * Math.max(1, ball.distance(x, y))));
                // a step of Riemannian length up to 3, so the end point stays clear of the projection boundary
                double[] v = vector(rng, 5, 1);
                v = PoincareBall.scaled(v, 3 * rng.nextDouble() / ball.tangentNorm(x, v));
                assertClose(ball.logmap(x, ball.expmap(x, v)), v, 1e-8);
                assertClose(ball.logmap0(ball.expmap0(v)), v, 1e-10);
                assertClose(ball.expmap0(v), ball.expmap(new double[5], v), 1e-14);
                assertClose(ball.logmap0(y), ball.logmap(new double[5], y), 1e-14);
            }
        }
    }

    @Test
    void parallelTransportKeepsRiemannianInnerProducts() {
        SeededRandom rng = new SeededRandom(7);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int k = 0; k < DRAWS; k++) {
                double[] x = point(rng, ball, 4, 0.9);
                double[] y = point(rng, ball, 4, 0.9);
                double[] v = vector(rng, 4, 1);
                double[] w = vector(rng, 4, 1);
                double[] pv = ball.transport(x, y, v);
                double[] pw = ball.transport(x, y, w);
                double before = ball.tangentNorm(x, v);
                assertThat(ball.tangentNorm(y, pv)).isCloseTo(before, within(1e-9 * Math.max(1, before)));
                double ip = ball.inner(x, v, w);
                assertThat(ball.inner(y, pv, pw)).isCloseTo(ip, within(1e-8 * Math.max(1, Math.abs(ip))));
                // transporting there and back is the identity; from the origin it is the closed form
                assertClose(ball.transport(y, x, pv), v, 1e-9);
                assertClose(ball.transport(new double[4], y, v), ball.transport0(y, v), 1e-12);
                // the geodesic's velocity at x transports to minus the log map back at y
                double[] forward = ball.transport(x, y, ball.logmap(x, y));
                assertClose(forward, PoincareBall.negate(ball.logmap(y, x)), 1e-8 * Math.max(1, ball.distance(x, y)));
            }
        }
    }

    @Test
    void distanceGradientMatchesFiniteDifferences() {
        SeededRandom rng = new SeededRandom(8);
        double h = 1e-6;
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int k = 0; k < 500; k++) {
                double[] x = point(rng, ball, 3, 0.9);
                double[] y = point(rng, ball, 3, 0.9);
                double[] g = ball.distanceGradient(x, y);
                for (int i = 0; i < 3; i++) {
                    double[] plus = x.clone();
                    double[] minus = x.clone();
                    plus[i] += h;
                    minus[i] -= h;
                    double fd = (ball.distance(plus, y) - ball.distance(minus, y)) / (2 * h);
                    assertThat(g[i]).isCloseTo(fd, within(1e-5 * Math.max(1, Math.abs(fd))));
                }
                assertThat(ball.distanceGradient(x, x)).containsOnly(0.0);
            }
        }
    }

    @Test
    void riemannianGradientIsTheEuclideanOneOverLambdaSquared() {
        PoincareBall unit = PoincareBall.unit();
        SeededRandom rng = new SeededRandom(9);
        for (int k = 0; k < DRAWS; k++) {
            double[] x = point(rng, unit, 3, 0.99);
            double[] g = vector(rng, 3, 1);
            double n2 = PoincareBall.dot(x, x);
            double factor = (1 - n2) * (1 - n2) / 4;
            assertClose(unit.riemannianGradient(x, g), PoincareBall.scaled(g, factor), 1e-15);
        }
    }

    @Test
    void staysFiniteNearTheRim() {
        SeededRandom rng = new SeededRandom(10);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int k = 0; k < DRAWS; k++) {
                double[] x = PoincareBall.scaled(point(rng, ball, 5, 1), 1);
                double[] rim = ball.project(PoincareBall.scaled(x, 1e6));
                assertThat(Math.sqrt(c) * PoincareBall.norm(rim)).isCloseTo(1 - 1e-5, within(1e-12));
                double[] other = point(rng, ball, 5, 1);
                double[] otherRim = ball.project(PoincareBall.scaled(other, 1e6));
                double[][] values = {
                        {ball.distance(rim, otherRim), ball.distance(rim, other), ball.distance(rim, rim)},
                        ball.distanceGradient(rim, otherRim),
                        ball.logmap(rim, otherRim),
                        ball.logmap0(rim),
                        ball.expmap(rim, vector(rng, 5, 10)),
                        ball.mobiusAdd(rim, otherRim),
                        ball.transport(rim, otherRim, vector(rng, 5, 1)),
                        ball.midpoint(new double[][] {rim, otherRim}, null),
                };
                for (double[] v : values) {
                    for (double value : v) {
                        assertThat(Double.isFinite(value)).isTrue();
                    }
                }
                // d(0, rim) = (2 / sqrt c) artanh(1 - 1e-5), about 12.2 / sqrt c
                assertThat(ball.distance(new double[5], rim) * Math.sqrt(c)).isCloseTo(2 * artanh(1 - 1e-5), within(1e-6));
                assertThat(ball.contains(ball.expmap(rim, vector(rng, 5, 10)))).isTrue();
            }
        }
    }

    @Test
    void midpointMatchesTheGammaFormAndLiesOnTheGeodesic() {
        SeededRandom rng = new SeededRandom(11);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int k = 0; k < DRAWS / 4; k++) {
                int n = 1 + rng.nextInt(6);
                double[][] xs = new double[n][];
                for (int i = 0; i < n; i++) {
                    xs[i] = point(rng, ball, 3, 0.9);
                }
                // m' = sum gamma_i^2 x_i / (sum gamma_i^2 - n / 2); m = gamma_m / (1 + gamma_m) m' (unit-ball form scaled for c)
                double[] mPrime = new double[3];
                double sum = 0;
                for (double[] x : xs) {
                    double g2 = 1 / (1 - c * PoincareBall.dot(x, x));
                    sum += g2;
                    for (int j = 0; j < 3; j++) {
                        mPrime[j] += g2 * x[j];
                    }
                }
                mPrime = PoincareBall.scaled(mPrime, 1 / (sum - n / 2.0));
                double gammaM = 1 / Math.sqrt(1 - c * PoincareBall.dot(mPrime, mPrime));
                double[] expected = PoincareBall.scaled(mPrime, gammaM / (1 + gammaM));
                assertClose(ball.midpoint(xs, null), expected, 1e-9);
            }
            for (int k = 0; k < DRAWS / 4; k++) {
                double[] x = point(rng, ball, 3, 0.9);
                double[] y = point(rng, ball, 3, 0.9);
                double[] m = ball.midpoint(new double[][] {x, y}, null);
                assertThat(ball.distance(x, m)).isCloseTo(ball.distance(m, y), within(1e-8));
                assertThat(ball.distance(x, m) + ball.distance(m, y)).isCloseTo(ball.distance(x, y), within(1e-8));
                assertClose(ball.midpoint(new double[][] {x, PoincareBall.negate(x)}, null), new double[3], 1e-12);
                // weights: all the weight on one point gives that point
                assertClose(ball.midpoint(new double[][] {x, y}, new double[] {1, 0}), x, 1e-10);
            }
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new PoincareBall(0)).hasMessageContaining("curvature");
        assertThatThrownBy(() -> new PoincareBall(Double.NaN)).hasMessageContaining("curvature");
        assertThatThrownBy(() -> PoincareBall.unit().distance(new double[2], new double[3])).hasMessageContaining("dimension");
        assertThatThrownBy(() -> PoincareBall.unit().midpoint(new double[0][], null)).hasMessageContaining("at least one");
        assertThat(PoincareBall.unit().contains(new double[] {Double.NaN})).isFalse();
        assertThat(PoincareBall.unit().contains(new double[] {1.0})).isFalse();
    }
}
