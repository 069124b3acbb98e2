package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.EvoNormKind;
import org.flowbench.compute.device.TestDevices;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flowbench.compute.norm.NormTestSupport.activations;
import static org.flowbench.compute.norm.NormTestSupport.assertClose;
import static org.flowbench.compute.norm.NormTestSupport.gaussian;

/**
 * Every layer on cpu and on OpenCL against {@link LayerReference} in double precision: outputs,
 * input and parameter gradients, running state, in training and in evaluation, over batches of
 * 1 to 4097 rows and 1 to 1024 channels, tokens [N, C] and [N, C, L] tensors. Tolerance: each
 * value within {@value #RTOL} of {@code |reference| + rms(reference)} (a layer chains several
 * fp32 reductions over up to 4097 rows).
 */
class NormLayersTest {

    static final double RTOL = 1e-4;

    /** batch, channels, spatial, groups. */
    static final int[][] SHAPES = {{3, 7, 1, 7}, {1023, 13, 1, 1}, {4097, 130, 1, 10}, {1, 257, 5, 1},
            {3, 1024, 1, 32}, {2, 12, 64, 4}, {4097, 1, 1, 1}};

    @RegisterExtension
    static final TestDevices DEVICES = new TestDevices();

    private static float[] f(double[] d) {
        float[] a = new float[d.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) d[i];
        }
        return a;
    }

    /** Runs forward then backward; returns y, dx and the parameter gradients in order. */
    private static float[][] run(ComputeDevice d, NormLayer layer, float[] x, float[] dy, int batch, int spatial) {
        DeviceBuffer xb = d.upload(x);
        DeviceBuffer y = d.allocate(x.length);
        DeviceBuffer g = d.upload(dy);
        try {
            layer.forward(xb, y, batch, spatial);
            // dx over dy, as a memory-saving caller does.
            layer.backward(xb, g, g, batch, spatial);
            List<Parameter> ps = layer.parameters();
            float[][] out = new float[2 + ps.size()][];
            out[0] = d.download(y);
            out[1] = d.download(g);
            for (int i = 0; i < ps.size(); i++) {
                out[2 + i] = d.download(ps.get(i).gradient());
            }
            return out;
        } finally {
            d.free(xb);
            d.free(y);
            d.free(g);
        }
    }

    @ParameterizedTest(name = "batch norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void batchNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int[] s : SHAPES) {
            int batch = s[0];
            int channels = s[1];
            int spatial = s[2];
            String what = "batch norm " + batch + "x" + channels + "x" + spatial + " on " + name;
            Random r = new Random(batch * 31L + channels + spatial);
            float[] x = activations(r, batch, channels, spatial);
            float[] dy = gaussian(r, x.length, 1, 0.2);
            float[] gamma = gaussian(r, channels, 0.3, 1);
            float[] beta = gaussian(r, channels, 0.3, 0);
            try (BatchNorm bn = new BatchNorm(d, channels)) {
                d.upload(gamma, bn.weight().value());
                d.upload(beta, bn.bias().value());
                double[][] st = LayerReference.moments(x, channels, spatial);
                float[][] got = run(d, bn, x, dy, batch, spatial);
                double[][] want = LayerReference.batchNorm(x, dy, gamma, beta, st[0], st[1], true, channels, spatial,
                        1e-5);
                assertClose(what + " training y", want[0], got[0], RTOL);
                assertClose(what + " training dx", want[1], got[1], RTOL,
                        centerRoundingBound(x, gamma, st, want, channels, spatial));
                assertClose(what + " training dgamma", want[2], got[2], RTOL);
                assertClose(what + " training dbeta", want[3], got[3], RTOL);
                double m = (double) batch * spatial;
                double[] rm = new double[channels];
                double[] rv = new double[channels];
                for (int c = 0; c < channels; c++) {
                    rm[c] = 0.1 * st[0][c];
                    rv[c] = 0.9 + 0.1 * st[1][c] * m / (m - 1);
                }
                assertClose(what + " running mean", rm, bn.runningMean(), RTOL);
                assertClose(what + " running var (unbiased)", rv, bn.runningVar(), RTOL);
                bn.setTraining(false);
                got = run(d, bn, x, dy, batch, spatial);
                want = LayerReference.batchNorm(x, dy, gamma, beta, rm, rv, false, channels, spatial, 1e-5);
                assertClose(what + " eval y", want[0], got[0], RTOL);
                assertClose(what + " eval dx", want[1], got[1], RTOL);
                assertClose(what + " eval dgamma", want[2], got[2], RTOL);
                assertClose(what + " eval dbeta", want[3], got[3], RTOL);
                assertThat(bn.batches()).isEqualTo(1);
            }
        }
    }

    /**
     * The part of BatchNorm's training dx error that its conditioning forces on an fp32 device.
     * The device holds the channel mean c as an fp32 sum of the m values of the channel divided
     * by m, so c = mu + delta with |delta| <= m u mean(|x|) (u = 2^-24; the standard bound for a
     * sum of m terms in any order, plus the division). Every later step uses x - c, so to first
     * order xhat_i moves by -r delta, mean(dy xhat) by -r delta mean(dy), and
     * dx_i = g r (dy_i - mean(dy) - xhat_i mean(dy xhat)) by
     * g r^2 delta (mean(dy xhat) + xhat_i mean(dy)) (the variance moves by delta^2 only).
     * With few values per channel, r = 1/sigma can be large (three close values), and this term
     * exceeds the relative tolerance while the device is as exact as fp32 allows: the mean's
     * rounding is amplified by r^2 |x|. Returned per element, doubled for the second-order terms.
     */
    private static double[] centerRoundingBound(float[] x, float[] gamma, double[][] moments,
                                                double[][] reference, int channels, int spatial) {
        double u = 0x1p-24;
        double m = (double) x.length / channels;
        double[] meanAbs = new double[channels];
        for (int i = 0; i < x.length; i++) {
            meanAbs[LayerReference.channel(i, channels, spatial)] += Math.abs(x[i]) / m;
        }
        double[] bound = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = LayerReference.channel(i, channels, spatial);
            double r = 1 / Math.sqrt(moments[1][c] + 1e-5);
            double delta = m * u * meanAbs[c];
            double xhat = (x[i] - moments[0][c]) * r;
            double meanDyXhat = reference[2][c] / m;
            double meanDy = reference[3][c] / m;
            bound[i] = 2 * Math.abs(gamma[c]) * r * r * delta * (Math.abs(meanDyXhat) + Math.abs(xhat * meanDy));
        }
        return bound;
    }

    @ParameterizedTest(name = "group norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void groupNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int[] s : SHAPES) {
            int batch = s[0];
            int channels = s[1];
            int spatial = s[2];
            int groups = s[3];
            String what = "group norm " + batch + "x" + channels + "x" + spatial + " /" + groups + " on " + name;
            Random r = new Random(batch * 37L + channels + spatial);
            float[] x = activations(r, batch, channels, spatial);
            float[] dy = gaussian(r, x.length, 1, 0.2);
            float[] gamma = gaussian(r, channels, 0.3, 1);
            float[] beta = gaussian(r, channels, 0.3, 0);
            try (GroupNorm gn = new GroupNorm(d, channels, groups, 1e-5)) {
                d.upload(gamma, gn.weight().value());
                d.upload(beta, gn.bias().value());
                float[][] got = run(d, gn, x, dy, batch, spatial);
                double[][] want = LayerReference.groupNorm(x, dy, gamma, beta, batch, channels, spatial, groups, 1e-5);
                for (int i = 0; i < 4; i++) {
                    assertClose(what + " output " + i, want[i], got[i], RTOL);
                }
            }
        }
    }

    @ParameterizedTest(name = "batch-channel norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void batchChannelNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int[] s : SHAPES) {
            int batch = s[0];
            int channels = s[1];
            int spatial = s[2];
            int groups = s[3];
            String what = "batch-channel norm " + batch + "x" + channels + "x" + spatial + " on " + name;
            Random r = new Random(batch * 41L + channels + spatial);
            float[] x = activations(r, batch, channels, spatial);
            float[] dy = gaussian(r, x.length, 1, 0.2);
            try (BatchChannelNorm bcn = new BatchChannelNorm(d, channels, groups, 1e-5, 0.3)) {
                float[] gamma = gaussian(r, channels, 0.3, 1);
                float[] beta = gaussian(r, channels, 0.3, 0);
                float[] gw = gaussian(r, groups, 0.3, 1);
                float[] gb = gaussian(r, groups, 0.3, 0);
                List<Parameter> ps = bcn.parameters();
                d.upload(gamma, ps.get(0).value());
                d.upload(beta, ps.get(1).value());
                d.upload(gw, ps.get(2).value());
                d.upload(gb, ps.get(3).value());
                float[][] got = run(d, bcn, x, dy, batch, spatial);
                // Estimates moved first: from mean 0, variance 1 with speed 0.3.
                double[][] st = LayerReference.moments(x, channels, spatial);
                double[] rm = new double[channels];
                double[] rv = new double[channels];
                for (int c = 0; c < channels; c++) {
                    rm[c] = 0.3 * st[0][c];
                    rv[c] = 0.7 + 0.3 * (st[1][c] + st[0][c] * st[0][c]);
                }
                assertClose(what + " running mean", rm, bcn.runningMean(), RTOL);
                assertClose(what + " running var", rv, bcn.runningVar(), RTOL);
                double[][] b = LayerReference.batchNorm(x, new float[x.length], gamma, beta, rm, rv, false, channels,
                        spatial, BatchChannelNorm.BATCH_EPS);
                int cols = channels / groups * spatial;
                double[][] g = LayerReference.groupNorm(f(b[0]), dy, gw, gb, batch, groups, cols, groups, 1e-5);
                assertClose(what + " y", g[0], got[0], RTOL);
                assertClose(what + " group weight gradient", g[2], got[4], RTOL);
                assertClose(what + " group bias gradient", g[3], got[5], RTOL);
                // The batch part with constant estimates, given d(batch output).
                double[][] back = LayerReference.batchNorm(x, f(g[1]), gamma, beta, rm, rv, false, channels, spatial,
                        BatchChannelNorm.BATCH_EPS);
                assertClose(what + " dx", back[1], got[1], RTOL);
                assertClose(what + " batch weight gradient", back[2], got[2], RTOL);
                assertClose(what + " batch bias gradient", back[3], got[3], RTOL);
            }
        }
    }

    @ParameterizedTest(name = "weight standardization on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void weightStandardization(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int[] shape : new int[][] {{1, 7}, {13, 1}, {130, 257}, {64, 1024}}) {
            int out = shape[0];
            int fanIn = shape[1];
            Random r = new Random(out * 7L + fanIn);
            float[] w = gaussian(r, out * fanIn, 0.05, 0.01);
            float[] dwHat = gaussian(r, out * fanIn, 1, 0);
            try (WeightStandardization ws = new WeightStandardization(d, out, fanIn, 1e-5)) {
                DeviceBuffer wb = d.upload(w);
                DeviceBuffer hat = d.allocate(w.length);
                DeviceBuffer g = d.upload(dwHat);
                ws.forward(wb, hat);
                ws.backward(wb, g, g);
                float[] one = new float[] {1f};
                double[][] want = LayerReference.groupNorm(w, dwHat, one, new float[1], out, 1, fanIn, 1, 1e-5);
                assertClose("standardised weights " + out + "x" + fanIn, want[0], d.download(hat), RTOL);
                assertClose("weight gradient " + out + "x" + fanIn, want[1], d.download(g), RTOL);
                for (DeviceBuffer b : List.of(wb, hat, g)) {
                    d.free(b);
                }
            }
        }
    }

    @ParameterizedTest(name = "power norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void powerNormFollowsTheOfficialStepsThroughWarmUp(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (boolean scaling : new boolean[] {false, true}) {
            for (int[] shape : new int[][] {{3, 7}, {1023, 130}, {64, 1024}, {4097, 1}}) {
                int batch = shape[0];
                int channels = shape[1];
                if (scaling && channels == 1) {
                    // Scaling one channel by its own root mean square maps it to +-1; the gradient is then a
                    // difference of nearly equal terms below fp32 resolution (the RMSNorm primitive's parity
                    // test bounds that case with its error terms).
                    continue;
                }
                String what = "power norm " + batch + "x" + channels + (scaling ? " with group scaling" : "") + " on "
                        + name;
                Random r = new Random(batch * 43L + channels);
                float[] gamma = gaussian(r, channels, 0.3, 1);
                float[] beta = gaussian(r, channels, 0.3, 0);
                LayerReference.Power ref = new LayerReference.Power(channels, 1e-5, 0.9, 0.8, 3, scaling);
                try (PowerNorm pn = new PowerNorm(d, channels, 1e-5, 0.9, 0.8, 3, scaling ? 1 : 0)) {
                    d.upload(gamma, pn.weight().value());
                    d.upload(beta, pn.bias().value());
                    for (int step = 1; step <= 6; step++) {
                        boolean training = step <= 5;
                        pn.setTraining(training);
                        float[] x = activations(r, batch, channels, 1);
                        float[] dy = gaussian(r, x.length, 1, 0.1);
                        float[][] got = run(d, pn, x, dy, batch, 1);
                        double[] y = ref.forward(x, gamma, beta, training);
                        double[][] back = ref.backward(dy, gamma);
                        String at = what + " step " + step;
                        assertClose(at + " y", y, got[0], RTOL);
                        assertClose(at + " dx", back[0], got[1], RTOL);
                        assertClose(at + " dgamma", back[1], got[2], RTOL);
                        assertClose(at + " dbeta", back[2], got[3], RTOL);
                        assertClose(at + " running psi", ref.phi, pn.runningPhi(), RTOL);
                        assertClose(at + " running correction", ref.ema, pn.gradientCorrection(), RTOL);
                    }
                    assertThat(pn.iterations()).isEqualTo(5);
                }
            }
        }
    }

    @ParameterizedTest(name = "unified norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void unifiedNormFollowsTheOfficialStepsThroughWarmUp(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int[] shape : new int[][] {{3, 7}, {1023, 130}, {64, 1024}, {4097, 1}}) {
            int batch = shape[0];
            int channels = shape[1];
            String what = "unified norm " + batch + "x" + channels + " on " + name;
            Random r = new Random(batch * 47L + channels);
            float[] gamma = gaussian(r, channels, 0.3, 1);
            float[] beta = gaussian(r, channels, 0.3, 0);
            LayerReference.Unified ref = new LayerReference.Unified(channels, 2, 3, true, 1e-5, 0.9);
            try (UnifiedNorm un = new UnifiedNorm(d, channels, 2, 3, true, 1e-5, 0.9)) {
                d.upload(gamma, un.weight().value());
                d.upload(beta, un.bias().value());
                for (int step = 1; step <= 8; step++) {
                    boolean training = step <= 7;
                    un.setTraining(training);
                    float[] x = activations(r, batch, channels, 1);
                    if (step == 6) {
                        // An outlier batch: the filter must skip it.
                        for (int i = 0; i < x.length; i++) {
                            x[i] *= 30;
                        }
                    }
                    float[] dy = gaussian(r, x.length, 1, 0.1);
                    float[][] got = run(d, un, x, dy, batch, 1);
                    double[] y = ref.forward(x, gamma, beta, training);
                    double[][] back = ref.backward(dy, gamma);
                    String at = what + " step " + step;
                    assertClose(at + " y", y, got[0], RTOL);
                    assertClose(at + " dx", back[0], got[1], RTOL);
                    assertClose(at + " dgamma", back[1], got[2], RTOL);
                    assertClose(at + " dbeta", back[2], got[3], RTOL);
                    assertClose(at + " running var", ref.running, un.runningVar(), RTOL);
                    assertClose(at + " running correction", ref.ema, un.gradientCorrection(), RTOL);
                }
                assertThat(un.skipped()).as("outlier batches skipped").isEqualTo(ref.skipped).isPositive();
            }
        }
    }

    @Test
    void unifiedNormCompensatesGradientsAfterItsThousandthIteration() {
        ComputeDevice cpu = DEVICES.cpu();
        int batch = 5;
        int channels = 3;
        Random r = new Random(5);
        float[] gamma = gaussian(r, channels, 0.3, 1);
        float[] beta = gaussian(r, channels, 0.3, 0);
        LayerReference.Unified ref = new LayerReference.Unified(channels, 4, 10, false, 1e-5, 0.9);
        try (UnifiedNorm un = new UnifiedNorm(cpu, channels, 4, 10, false, 1e-5, 0.9)) {
            cpu.upload(gamma, un.weight().value());
            cpu.upload(beta, un.bias().value());
            boolean compensated = false;
            for (int step = 1; step <= 1010; step++) {
                float[] x = gaussian(r, batch * channels, step % 2 == 0 ? 3 : 0.3, 0);
                float[] dy = gaussian(r, x.length, 1, 0);
                float[][] got = run(cpu, un, x, dy, batch, 1);
                double[] y = ref.forward(x, gamma, beta, true);
                double[][] back = ref.backward(dy, gamma);
                for (double q : ref.ratio) {
                    compensated |= q != 1;
                }
                if (step % 101 == 0 || step > 1000) {
                    assertClose("step " + step + " y", y, got[0], RTOL);
                    assertClose("step " + step + " dx", back[0], got[1], RTOL);
                    assertClose("step " + step + " dgamma", back[1], got[2], RTOL);
                }
            }
            assertThat(compensated).as("the ratio left 1 after iteration 1000").isTrue();
        }
    }

    @Test
    void badSettingsAndMisuseSayWhatIsWrong() {
        ComputeDevice cpu = DEVICES.cpu();
        assertThatThrownBy(() -> new GroupNorm(cpu, 10, 3, 1e-5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("divide the 10 channels");
        assertThatThrownBy(() -> new BatchNorm(cpu, 4, 0, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eps");
        assertThatThrownBy(() -> new BatchNorm(cpu, 4, 1e-5, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("momentum");
        assertThatThrownBy(() -> new UnifiedNorm(cpu, 4, 0, 10, false, 1e-5, 0.9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> new BatchNorm(cpu, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 channel");
        try (BatchNorm bn = new BatchNorm(cpu, 3); PowerNorm pn = new PowerNorm(cpu, 3)) {
            DeviceBuffer x = cpu.allocate(3);
            DeviceBuffer x6 = cpu.allocate(6);
            assertThatThrownBy(() -> bn.forward(x, x, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than one value per channel");
            assertThatThrownBy(() -> bn.backward(x6, x6, x6, 2, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("needs a forward pass");
            assertThatThrownBy(() -> pn.forward(x6, x6, 1, 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tokens as rows");
            cpu.free(x);
            cpu.free(x6);
        }
    }

    @ParameterizedTest(name = "folding into the dense layer on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void foldedBatchAndUnifiedNormsGiveTheSameOutputs(String name) {
        ComputeDevice d = DEVICES.named(name);
        int rows = 257;
        int in = 33;
        int out = 130;
        Random r = new Random(77);
        float[] w = gaussian(r, in * out, 1 / Math.sqrt(in), 0);
        float[] b = gaussian(r, out, 0.5, 0.3);
        float[] x = gaussian(r, rows * in, 1, 0);
        DeviceBuffer xb = d.upload(x);
        DeviceBuffer wb = d.upload(w);
        DeviceBuffer bb = d.upload(b);
        DeviceBuffer z = d.allocate(rows * out);
        DeviceBuffer y = d.allocate(rows * out);
        d.denseForward(xb, wb, bb, z, rows, in, out);
        try (BatchNorm bn = new BatchNorm(d, out); UnifiedNorm un = new UnifiedNorm(d, out, 4, 2, false, 1e-5, 0.9)) {
            d.upload(gaussian(r, out, 0.3, 1), bn.weight().value());
            d.upload(gaussian(r, out, 0.3, 0), bn.bias().value());
            d.upload(gaussian(r, out, 0.3, 1), un.weight().value());
            for (int step = 0; step < 5; step++) {
                bn.forward(z, y, rows, 1);
                un.forward(z, y, rows, 1);
            }
            for (NormLayer layer : List.<NormLayer>of(bn, un)) {
                layer.setTraining(false);
                layer.forward(z, y, rows, 1);
                float[] unfolded = d.download(y);
                ChannelAffine affine = layer == bn ? bn.inference() : un.inference();
                float[][] folded = affine.foldAfterDense(w, b, in, out);
                DeviceBuffer fw = d.upload(folded[0]);
                DeviceBuffer fb = d.upload(folded[1]);
                d.denseForward(xb, fw, fb, y, rows, in, out);
                float[] got = d.download(y);
                double[] want = new double[unfolded.length];
                for (int i = 0; i < want.length; i++) {
                    want[i] = unfolded[i];
                }
                // Within 1e-5 of the output's size.
                assertClose(layer.name() + " folded vs unfolded on " + name, want, got, 1e-5);
                d.free(fw);
                d.free(fb);
            }
        }
        for (DeviceBuffer buf : List.of(xb, wb, bb, z, y)) {
            d.free(buf);
        }
    }

    @Test
    void evoNormAgreesWithTheReferenceAndAcrossDevices() {
        for (EvoNormKind kind : EvoNormKind.values()) {
            boolean b0 = kind == EvoNormKind.B0;
            for (int[] s : SHAPES) {
                int batch = s[0];
                int channels = s[1];
                int spatial = s[2];
                int groups = s[3];
                String what = kind + " " + batch + "x" + channels + "x" + spatial;
                Random r = new Random(batch * 53L + channels + spatial + kind.ordinal());
                float[] x = activations(r, batch, channels, spatial);
                float[] dy = gaussian(r, x.length, 1, 0.2);
                float[] gamma = gaussian(r, channels, 0.3, 1);
                float[] beta = gaussian(r, channels, 0.3, 0);
                float[] v = gaussian(r, channels, 0.5, 0.5);
                if (b0 && batch * spatial < 2) {
                    continue;
                }
                float[][][] results = new float[2][][];
                for (int dev = 0; dev < 2; dev++) {
                    ComputeDevice d = dev == 0 ? DEVICES.cpu() : DEVICES.cl();
                    try (EvoNorm evo = new EvoNorm(d, kind, channels, groups, 1e-5, 0.1)) {
                        d.upload(gamma, evo.weight().value());
                        d.upload(beta, evo.bias().value());
                        d.upload(v, evo.v().value());
                        results[dev] = run(d, evo, x, dy, batch, spatial);
                        double[] channelVar = b0 ? LayerReference.moments(x, channels, spatial)[1] : null;
                        double[] want = LayerReference.evoNorm(b0, x, v, gamma, beta, channelVar, batch, channels,
                                spatial, groups, 1e-5);
                        assertClose(what + " training y on " + d.name(), want, results[dev][0], RTOL);
                        if (b0) {
                            double m = (double) batch * spatial;
                            double[] rv = new double[channels];
                            for (int c = 0; c < channels; c++) {
                                rv[c] = 0.9 + 0.1 * channelVar[c] * m / (m - 1);
                            }
                            assertClose(what + " running var", rv, evo.runningVar(), RTOL);
                            evo.setTraining(false);
                            float[][] eval = run(d, evo, x, dy, batch, spatial);
                            assertClose(what + " eval y on " + d.name(), LayerReference.evoNorm(true, x, v, gamma, beta,
                                    rv, batch, channels, spatial, groups, 1e-5), eval[0], RTOL);
                        }
                    }
                }
                for (int i = 1; i < results[0].length; i++) {
                    double[] cpuValues = new double[results[0][i].length];
                    for (int j = 0; j < cpuValues.length; j++) {
                        cpuValues[j] = results[0][i][j];
                    }
                    assertClose(what + " gradient " + i + ", opencl vs cpu", cpuValues, results[1][i], RTOL);
                }
            }
        }
    }

    @Test
    void everyLayerGivesTheSameBytesOnCpuWhateverTheThreadCount() {
        int batch = 1029;
        int channels = 12;
        int spatial = 3;
        Random r = new Random(61);
        float[] x = activations(r, batch, channels, spatial);
        float[] dy = gaussian(r, x.length, 1, 0);
        float[][][] first = new float[7][][];
        for (int threads : new int[] {1, 2, 3}) {
            try (CpuDevice d = new CpuDevice(threads)) {
                List<NormLayer> layers = List.of(new BatchNorm(d, channels), new GroupNorm(d, channels, 4, 1e-5),
                        new PowerNorm(d, channels, 1e-5, 0.9, 0.9, 2, 0), new UnifiedNorm(d, channels, 2, 1, true, 1e-5, 0.9),
                        new BatchChannelNorm(d, channels, 3, 1e-5, 0.1),
                        new EvoNorm(d, EvoNormKind.B0, channels, channels, 1e-5, 0.1),
                        new EvoNorm(d, EvoNormKind.S0, channels, 4, 1e-5, 0.1));
                for (int l = 0; l < layers.size(); l++) {
                    NormLayer layer = layers.get(l);
                    float[][] got = null;
                    for (int step = 0; step < 3; step++) {
                        got = run(d, layer, x, dy, batch, spatial);
                    }
                    if (first[l] == null) {
                        first[l] = got;
                    } else {
                        for (int i = 0; i < got.length; i++) {
                            assertThat(java.util.Arrays.equals(got[i], first[l][i]))
                                    .as("%s output %d with %d threads, bit for bit", layer.name(), i, threads).isTrue();
                        }
                    }
                    layer.close();
                }
            }
        }
    }
}
