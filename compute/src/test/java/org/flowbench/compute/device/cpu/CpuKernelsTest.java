package org.flowbench.compute.device.cpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The cpu device's summation and SELU kernels against double precision. */
class CpuKernelsTest {

    @Test
    void pairwiseSumMatchesADoubleSumAtEveryLength() {
        Random random = new Random(11);
        for (int n = 1; n <= 1100; n += n < 40 ? 1 : 37) {
            float[] u = new float[n];
            double exact = 0;
            double absolute = 0;
            for (int i = 0; i < n; i++) {
                u[i] = (float) (random.nextGaussian() * 3 + 1);
                exact += u[i];
                absolute += Math.abs(u[i]);
            }
            float got = CpuKernels.pairwiseSum(u, n, new float[n / 2 + 1]);
            // Pairwise error grows with log2(n); a sequential float sum would need n here.
            double bound = (Math.log(n) / Math.log(2) + 2) * 6e-8 * absolute;
            assertThat((double) got).as("n = %d", n).isCloseTo(exact, within(bound));
        }
    }

    @Test
    void seluSeriesMatchesExpm1AcrossTheRange() {
        int n = 0;
        float[] x = new float[300_000];
        for (float v = -40f; v < 3f; v += 2e-4f) {
            x[n++] = v;
        }
        for (float v = -1e-3f; v < 0f && n < x.length; v += 1e-8f) {
            x[n++] = v;
        }
        float[] y = new float[n];
        Elementwise.seluAligned(x, y, 0, 0, n);
        double scale = org.flowbench.compute.device.Activation.SELU_SCALE;
        double alpha = org.flowbench.compute.device.Activation.SELU_ALPHA;
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double exact = v > 0 ? scale * v : scale * alpha * Math.expm1(v);
            assertThat((double) y[i]).as("selu(%s)", x[i]).isCloseTo(exact, within(1e-6 * Math.abs(exact) + 1e-37));
        }
    }

    @Test
    void theVectorApiIsOnUnderTheBuildsJvmOptions() {
        // The build runs tests with --add-modules jdk.incubator.vector, as the app runs; without it
        // the Vector API kernels below would go untested.
        assertThat(Simd.available()).isTrue();
    }

    @Test
    void bothLayerNormPathsMatchDoublePrecision() {
        Random random = new Random(3);
        for (int n : new int[] {1, 2, 3, 15, 16, 17, 130, 1024, 1031}) {
            for (float offset : new float[] {0f, 1e4f}) {
                float[] x = new float[n + 5];
                for (int i = 0; i < x.length; i++) {
                    x[i] = offset + (float) random.nextGaussian() * 2f;
                }
                float[] g = new float[n];
                float[] b = new float[n];
                for (int i = 0; i < n; i++) {
                    g[i] = 1f + 0.3f * (float) random.nextGaussian();
                    b[i] = 0.3f * (float) random.nextGaussian();
                }
                int off = 5;
                double mu = 0;
                for (int i = 0; i < n; i++) {
                    mu += x[off + i];
                }
                mu /= n;
                double var = 0;
                for (int i = 0; i < n; i++) {
                    var += (x[off + i] - mu) * (x[off + i] - mu);
                }
                double rs = 1 / Math.sqrt(var / n + 1e-5);
                float[] plain = java.util.Arrays.copyOfRange(x, off, off + n);
                float[] plainStats = new float[2];
                CpuKernels.layerNormInPlace(plain, g, b, n, 1e-5f, plainStats, new float[n], new float[n / 2 + 1]);
                float[] vector = new float[n + 2];
                float[] vectorStats = new float[2];
                VectorKernels.layerNorm(x, off, g, b, vector, 2, n, 1e-5f, vectorStats);
                // fp32 inputs near 1e4 carry ~1e-3 absolute rounding, which rstd (~0.5) halves.
                double tolerance = offset == 0 ? 2e-5 : 2e-3;
                for (int i = 0; i < n; i++) {
                    double exact = (x[off + i] - mu) * rs * g[i] + b[i];
                    assertThat((double) plain[i]).as("plain n=%d offset=%s i=%d", n, offset, i)
                            .isCloseTo(exact, within(tolerance * (1 + Math.abs(exact))));
                    assertThat((double) vector[2 + i]).as("vector n=%d offset=%s i=%d", n, offset, i)
                            .isCloseTo(exact, within(tolerance * (1 + Math.abs(exact))));
                }
                assertThat((double) vectorStats[0]).isCloseTo(mu, within(1e-6 * (1 + Math.abs(mu))));
                assertThat((double) plainStats[0]).isCloseTo(mu, within(1e-6 * (1 + Math.abs(mu))));
            }
        }
    }

    @Test
    void vectorSumMatchesADoubleSum() {
        Random random = new Random(4);
        for (int n : new int[] {0, 1, 7, 16, 63, 64, 65, 1000, 4097}) {
            float[] a = new float[n + 3];
            double exact = 0;
            double absolute = 0;
            for (int i = 3; i < a.length; i++) {
                a[i] = (float) random.nextGaussian();
                exact += a[i];
                absolute += Math.abs(a[i]);
            }
            assertThat((double) VectorKernels.sum(a, 3, n)).as("n = %d", n)
                    .isCloseTo(exact, within(1e-6 * absolute + 1e-12));
        }
    }

    @Test
    void bothLayerNormBackwardPathsAgree() {
        Random random = new Random(6);
        for (int n : new int[] {1, 3, 16, 17, 130, 1031}) {
            for (boolean affine : new boolean[] {false, true}) {
                float[] x = new float[n];
                float[] dy = new float[n];
                float[] g = affine ? new float[n] : null;
                for (int i = 0; i < n; i++) {
                    x[i] = (float) random.nextGaussian() * 2 + 0.5f;
                    dy[i] = (float) random.nextGaussian();
                    if (affine) {
                        g[i] = 1f + 0.3f * (float) random.nextGaussian();
                    }
                }
                float[] stats = new float[2];
                VectorKernels.layerNorm(x, 0, null, null, new float[n], 0, n, 1e-5f, stats);
                float[] dxPlain = dy.clone();
                float[] dxVector = dy.clone();
                float[] pgPlain = new float[n];
                float[] pbPlain = new float[n];
                float[] pgVector = new float[n];
                float[] pbVector = new float[n];
                CpuKernels.layerNormBackwardInPlace(x, g, stats[0], stats[1], dxPlain, pgPlain, pbPlain, true, n);
                VectorKernels.layerNormBackwardInPlace(x, g, stats[0], stats[1], dxVector, pgVector, pbVector, true, n);
                for (int i = 0; i < n; i++) {
                    assertThat(dxVector[i]).as("dx n=%d i=%d", n, i).isCloseTo(dxPlain[i], within(1e-5f * (1 + Math.abs(dxPlain[i]))));
                    assertThat(pgVector[i]).isCloseTo(pgPlain[i], within(1e-6f * (1 + Math.abs(pgPlain[i]))));
                    assertThat(pbVector[i]).isEqualTo(pbPlain[i]);
                }
            }
        }
    }

    @Test
    void vectorGeluMatchesDoublePrecisionIncludingTheTail() {
        assertThat(Simd.available()).as("tests run with the Vector API").isTrue();
        Random rnd = new Random(12);
        int n = 1000 + 7;
        float[] x = new float[n];
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (4 * rnd.nextGaussian());
            dy[i] = (float) rnd.nextGaussian();
        }
        x[0] = 0f;
        x[1] = -30f;
        x[2] = 30f;
        x[3] = -4.7f;
        float[] y = new float[n];
        float[] dx = new float[n];
        VectorKernels.gelu(x, 0, y, 0, n);
        VectorKernels.geluBackward(x, 0, dy, 0, dx, 0, n);
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double u = CpuKernels.GELU_C * (v + CpuKernels.GELU_K * v * v * v);
            double t = Math.tanh(u);
            double gelu = 0.5 * v * (1 + t);
            double second = 0.5 * v * (1 - t * t) * CpuKernels.GELU_C * (1 + 3 * CpuKernels.GELU_K * v * v);
            double slope = 0.5 * (1 + t) + second;
            // Accuracy relative to the size of the slope's two terms (they cancel for negative inputs),
            // and u rounded to float (a few ulps) changes exp(-2|u|) by 2|u| times that.
            double size = Math.abs(dy[i]) * (0.5 * (1 + t) + Math.abs(second)) * (1 + 2 * Math.abs(u));
            // Relative accuracy even where t is near -1 (the tail of negative inputs).
            assertThat((double) y[i]).as("gelu(%s)", v).isCloseTo(gelu, within(1e-30 + 1e-6 * Math.abs(gelu) + 1e-7));
            assertThat((double) dx[i]).as("gelu'(%s)", v).isCloseTo(dy[i] * slope,
                    within(1e-6 * size + 1e-12));
        }
        assertThat(y[2]).isEqualTo(30f);
    }
}
