package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Devices, data and comparisons for the layer tests. */
final class NormTestSupport {

    private NormTestSupport() {
    }

    static float[] gaussian(Random r, int n, double sigma, double mean) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (mean + sigma * r.nextGaussian());
        }
        return a;
    }

    /** Gaussian values with a random offset and scale per channel, as activations have. */
    static float[] activations(Random r, int batch, int channels, int spatial) {
        double[] offset = new double[channels];
        double[] scale = new double[channels];
        for (int c = 0; c < channels; c++) {
            offset[c] = 2 * r.nextGaussian();
            scale[c] = Math.exp(0.5 * r.nextGaussian());
        }
        float[] x = new float[batch * channels * spatial];
        for (int i = 0; i < x.length; i++) {
            int c = (i / spatial) % channels;
            x[i] = (float) (offset[c] + scale[c] * r.nextGaussian());
        }
        return x;
    }

    /**
     * Fails naming the worst element when {@code |actual - expected| > rtol (|expected| + rms)},
     * rms being the root mean square of the expected values: relative where values are of the
     * tensor's size, absolute at that size where they cancel to near zero.
     */
    static void assertClose(String what, double[] expected, float[] actual, double rtol) {
        assertClose(what, expected, actual, rtol, null);
    }

    /**
     * As {@link #assertClose(String, double[], float[], double)}, each element also allowed
     * {@code conditioning[i]}: a bound on the error that the problem's conditioning forces on
     * any fp32 evaluation (null: none).
     */
    static void assertClose(String what, double[] expected, float[] actual, double rtol, double[] conditioning) {
        assertThat(actual.length).as("%s: length", what).isEqualTo(expected.length);
        double ss = 0;
        for (double e : expected) {
            ss += e * e;
        }
        double rms = Math.sqrt(ss / Math.max(1, expected.length));
        int worst = -1;
        double worstRatio = 1;
        for (int i = 0; i < actual.length; i++) {
            double tol = rtol * (Math.abs(expected[i]) + rms) + (conditioning == null ? 0 : conditioning[i]);
            double err = Math.abs(actual[i] - expected[i]);
            double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / tol;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(String.format("%s: element %d of %d is %s, expected %s (rms %.3g): %.1f times the tolerance", what,
                    worst, actual.length, actual[worst], expected[worst], rms, worstRatio));
        }
    }

    static void assertClose(String what, double[] expected, double[] actual, double rtol) {
        float[] f = new float[actual.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) actual[i];
        }
        assertClose(what, expected, f, rtol);
    }

    static void set(ComputeDevice d, DeviceBuffer b, float[] values) {
        d.upload(values, b);
    }
}
