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
}
