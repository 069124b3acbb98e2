package org.flowbench.compute.hyperbolic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Function;

import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.api.Test;

/** The hyperbolic fully connected layer and midpoint batch norm: closed forms, properties, gradients against finite differences. */
class PoincareResNetPartsTest {

    private static final double[] CURVATURES = {1.0, 0.5, 2.0};

    private static double[] point(SeededRandom rng, PoincareBall ball, int dim, double maxRelativeNorm) {
        return PoincareBallTest.point(rng, ball, dim, maxRelativeNorm);
    }

    /** Central differences of f at x, one coordinate at a time. */
    private static double[] numericGradient(Function<double[], Double> f, double[] x) {
        double h = 1e-6;
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] p = x.clone();
            double[] m = x.clone();
            p[i] += h;
            m[i] -= h;
            g[i] = (f.apply(p) - f.apply(m)) / (2 * h);
        }
        return g;
    }

    private static void assertGradient(double[] analytic, double[] numeric, String what) {
        for (int i = 0; i < analytic.length; i++) {
            assertThat(analytic[i]).as("%s[%d]", what, i).isCloseTo(numeric[i], within(1e-5 * Math.max(1, Math.abs(numeric[i]))));
        }
    }

    private static double dot(double[] a, double[] b) {
        return PoincareBall.dot(a, b);
    }

    @Test
    void tapeGradientsMatchFiniteDifferences() {
        SeededRandom rng = new SeededRandom(51);
        for (int trial = 0; trial < 200; trial++) {
            double[] x = {rng.nextDouble() * 0.8 - 0.4, rng.nextDouble() * 0.8 - 0.4, rng.nextDouble() + 0.5};
            Function<double[], Double> f = v -> {
                Tape t = new Tape();
                return t.value(compound(t, t.leaves(v)));
            };
            Tape t = new Tape();
            int[] leaves = t.leaves(x);
            int y = compound(t, leaves);
            double[] g = t.backward(new int[] {y}, new double[] {1});
            assertGradient(PoincareLinear.pick(g, leaves), numericGradient(f, x), "compound");
        }
    }

    /** Uses every operation of the tape once. */
    private static int compound(Tape t, int[] v) {
        int a = t.mul(t.tanh(v[0]), t.exp(v[1]));
        int b = t.div(t.artanh(v[0]), t.plus(t.cosh(v[2]), 1));
        int c = t.sub(t.asinh(t.scale(v[1], 3)), t.sinh(v[0]));
        int d = t.sqrt(t.add(t.log(v[2]), t.leaf(2)));
        int e = t.rsub(1, t.max(t.min(v[1], 10), -10));
        return t.add(t.add(a, b), t.add(t.mul(c, d), e));
    }

    @Test
    void identityInitialisationMapsEveryPointToItself() {
        SeededRandom rng = new SeededRandom(52);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            PoincareLinear layer = PoincareLinear.identity(6, c);
            for (int trial = 0; trial < 500; trial++) {
                double[] x = point(rng, ball, 6, 0.999);
                PoincareBallTest.assertClose(layer.forward(x), x, 1e-12);
            }
        }
    }

    @Test
    void fullyConnectedGradientsMatchFiniteDifferences() {
        SeededRandom rng = new SeededRandom(53);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int trial = 0; trial < 20; trial++) {
                int in = 2 + rng.nextInt(3);
                int out = 1 + rng.nextInt(3);
                PoincareLinear standard = PoincareLinear.standard(in, out, c, rng);
                double[] bias = PoincareBallTest.vector(rng, out, 0.3);
                double[] weights = standard.weights();
                PoincareLinear layer = new PoincareLinear(in, out, c, weights, bias);
                double[] x = point(rng, ball, in, 0.9);
                double[] up = PoincareBallTest.vector(rng, out, 1);
                PoincareLinear.Gradients g = layer.backward(x, up);
                assertGradient(g.input(), numericGradient(v -> dot(up, layer.forward(v)), x), "dx");
                assertGradient(g.weights(), numericGradient(w -> dot(up, new PoincareLinear(in, out, c, w, bias).forward(x)), weights), "dz");
                assertGradient(g.bias(), numericGradient(r -> dot(up, new PoincareLinear(in, out, c, weights, r).forward(x)), bias), "dr");
                assertThat(ball.contains(layer.forward(x))).isTrue();
            }
        }
    }

    @Test
    void depthDemoIdentityKeepsNormsAndStandardInitCollapses() {
        SeededRandom rng = new SeededRandom(54);
        int dim = 16;
        int depth = 50;
        PoincareBall ball = PoincareBall.unit();
        PoincareLinear identity = PoincareLinear.identity(dim, 1.0);
        PoincareLinear[] standard = new PoincareLinear[depth];
        for (int l = 0; l < depth; l++) {
            standard[l] = PoincareLinear.standard(dim, dim, 1.0, rng);
        }
        for (int trial = 0; trial < 10; trial++) {
            double[] x0 = point(rng, ball, dim, 0.95);
            double norm0 = PoincareBall.norm(x0);
            double[] a = x0;
            double[] b = x0;
            for (int l = 0; l < depth; l++) {
                a = identity.forward(a);
                b = standard[l].forward(b);
            }
            assertThat(PoincareBall.norm(a)).isCloseTo(norm0, within(1e-10));
            assertThat(PoincareBall.norm(b)).isLessThan(1e-3 * norm0);
        }
    }

    @Test
    void batchNormRecentresAndRescales() {
        SeededRandom rng = new SeededRandom(55);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int trial = 0; trial < 20; trial++) {
                // a batch symmetric about a: a (+) (+-p_j), so its midpoint is a
                double[] a = point(rng, ball, 3, 0.7);
                double[][] batch = new double[6][];
                for (int j = 0; j < 3; j++) {
                    double[] p = point(rng, ball, 3, 0.6);
                    batch[2 * j] = ball.mobiusAdd(a, p);
                    batch[2 * j + 1] = ball.mobiusAdd(a, PoincareBall.negate(p));
                }
                double s = 0.2 + rng.nextDouble();
                double[] b = PoincareBallTest.vector(rng, 3, 0.5);
                MidpointBatchNorm norm = new MidpointBatchNorm(3, c, s, b);
                MidpointBatchNorm.Output out = norm.forward(batch);
                PoincareBallTest.assertClose(out.midpoint(), a, 1e-9);
                double[] beta = ball.expmap0(b);
                PoincareBallTest.assertClose(ball.midpoint(out.points(), null), beta, 1e-8);
                double sigma2 = 0;
                double after = 0;
                for (int i = 0; i < batch.length; i++) {
                    double d = ball.distance(a, batch[i]);
                    sigma2 += d * d / batch.length;
                    double e = ball.distance(beta, out.points()[i]);
                    after += e * e / batch.length;
                }
                assertThat(out.dispersion()).isCloseTo(sigma2, within(1e-9 * Math.max(1, sigma2)));
                assertThat(after).isCloseTo(s * sigma2 / (sigma2 + 1e-6), within(1e-8 * Math.max(1, s)));
            }
        }
    }

    @Test
    void batchNormGradientsMatchFiniteDifferences() {
        SeededRandom rng = new SeededRandom(56);
        for (double c : CURVATURES) {
            PoincareBall ball = new PoincareBall(c);
            for (int trial = 0; trial < 5; trial++) {
                int n = 3 + rng.nextInt(3);
                double[][] batch = new double[n][];
                double[][] up = new double[n][];
                for (int i = 0; i < n; i++) {
                    batch[i] = point(rng, ball, 2, 0.8);
                    up[i] = PoincareBallTest.vector(rng, 2, 1);
                }
                double s = 0.5 + rng.nextDouble();
                double[] b = PoincareBallTest.vector(rng, 2, 0.4);
                MidpointBatchNorm layer = new MidpointBatchNorm(2, c, s, b);
                MidpointBatchNorm.Gradients g = layer.backward(batch, up);
                Function<MidpointBatchNorm.Output, Double> loss = o -> {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += dot(up[i], o.points()[i]);
                    }
                    return sum;
                };
                for (int i = 0; i < n; i++) {
                    final int row = i;
                    double[] numeric = numericGradient(v -> {
                        double[][] moved = batch.clone();
                        moved[row] = v;
                        return loss.apply(layer.forward(moved));
                    }, batch[i]);
                    assertGradient(g.inputs()[i], numeric, "dx" + i);
                }
                double[] ds = numericGradient(v -> loss.apply(new MidpointBatchNorm(2, c, v[0], b).forward(batch)), new double[] {s});
                assertThat(g.scale()).isCloseTo(ds[0], within(1e-5 * Math.max(1, Math.abs(ds[0]))));
                assertGradient(g.bias(), numericGradient(v -> loss.apply(new MidpointBatchNorm(2, c, s, v).forward(batch)), b), "db");
            }
        }
    }
}
