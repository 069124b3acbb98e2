package org.flowbench.compute.device;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What every device promises: published values of the activations and closed forms of the norms
 * and reductions, buffer semantics (zeroed allocation, slices, offsets, freeing) and one-line
 * errors for bad arguments. Runs on cpu and on OpenCL.
 */
class DeviceContractTest {

    @RegisterExtension
    static final TestDevices DEVICES = new TestDevices();

    private static float[] apply(ComputeDevice d, Activation f, float... x) {
        DeviceBuffer b = d.upload(x);
        d.activate(f, b, b);
        float[] y = d.download(b);
        d.free(b);
        return y;
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void activationsMatchPublishedValues(String name) {
        ComputeDevice d = DEVICES.named(name);
        // SELU constants of Klambauer et al. 2017: selu(1) = scale, selu(-1) = scale alpha (1/e - 1).
        float[] selu = apply(d, Activation.SELU, 1f, -1f, 0f);
        assertThat(selu[0]).isCloseTo(1.0507009873554805f, within(1e-6f));
        assertThat(selu[1]).isCloseTo(-1.1113307378125625f, within(1e-6f));
        assertThat(selu[2]).isZero();
        // GELU, tanh form, as torch.nn.functional.gelu(x, approximate="tanh").
        float[] gelu = apply(d, Activation.GELU, 1f, -1f, 3f);
        assertThat(gelu[0]).isCloseTo(0.8411919906082768f, within(1e-6f));
        assertThat(gelu[1]).isCloseTo(-0.15880800939172324f, within(1e-6f));
        assertThat(gelu[2]).isCloseTo(2.996362607918227f, within(1e-5f));
        float[] silu = apply(d, Activation.SILU, 1f, -2f);
        assertThat(silu[0]).isCloseTo(0.7310585786300049f, within(1e-6f));
        assertThat(silu[1]).isCloseTo(-0.2384058440442351f, within(1e-6f));
        assertThat(apply(d, Activation.TANH, 0.5f)[0]).isCloseTo(0.46211715726000974f, within(1e-6f));
        assertThat(apply(d, Activation.RELU, -2f, 0f, 3f)).containsExactly(0f, 0f, 3f);
        assertThat(apply(d, Activation.IDENTITY, -2f, 3f)).containsExactly(-2f, 3f);
        // Far tails stay finite.
        assertThat(apply(d, Activation.SILU, -200f, 200f)).containsExactly(-0f, 200f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void seluBackwardFromTheOutputKeepsTheEdgeCases(String name) {
        ComputeDevice d = DEVICES.named(name);
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {2f, -1f, 0f, -0f, inf, nan, -30f};
        DeviceBuffer xb = d.upload(x);
        DeviceBuffer y = d.allocate(x.length);
        d.activate(Activation.SELU, xb, y);
        DeviceBuffer g = d.upload(new float[] {1, 1, 1, 1, 1, 1, 1});
        d.activateBackward(Activation.SELU, xb, y, g, g);
        float[] slope = d.download(g);
        float scale = (float) Activation.SELU_SCALE;
        float scaleAlpha = (float) (Activation.SELU_SCALE * Activation.SELU_ALPHA);
        assertThat(slope[0]).isEqualTo(scale);
        assertThat(slope[1]).isCloseTo((float) (scaleAlpha * Math.exp(-1)), within(1e-6f));
        // At 0 (either sign) the left slope, as the input form gives; +inf takes the right one.
        assertThat(slope[2]).isCloseTo(scaleAlpha, within(1e-6f));
        assertThat(slope[3]).isCloseTo(scaleAlpha, within(1e-6f));
        assertThat(slope[4]).isEqualTo(scale);
        assertThat(slope[5]).isNaN();
        assertThat(slope[6]).isCloseTo(0f, within(1e-6f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void denseWithActivationRefusesOverlappingOutputs(String name) {
        ComputeDevice d = DEVICES.named(name);
        DeviceBuffer x = d.upload(new float[] {1, 2});
        DeviceBuffer w = d.upload(new float[] {1, 2, 3, 4});
        DeviceBuffer y = d.allocate(2);
        assertThatThrownBy(() -> d.denseForward(x, w, null, Activation.SELU, y, y, 1, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("y must not overlap z");
        assertThatThrownBy(() -> d.denseForward(x, w, null, null, null, y, 1, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("activation is null");
        d.denseForward(x, w, null, Activation.RELU, null, y, 1, 2, 2);
        assertThat(d.download(y)).containsExactly(7f, 10f);
        d.free(x);
        d.free(w);
        d.free(y);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void normsMatchClosedForms(String name) {
        ComputeDevice d = DEVICES.named(name);
        // LayerNorm of (1, 2, 3, 4): mean 2.5, population variance 1.25, eps inside the square root.
        DeviceBuffer x = d.upload(new float[] {1, 2, 3, 4});
        DeviceBuffer y = d.allocate(4);
        DeviceBuffer mean = d.allocate(1);
        DeviceBuffer rstd = d.allocate(1);
        d.layerNormForward(x, null, null, y, mean, rstd, 1, 4, 0.01f);
        double s = Math.sqrt(1.25 + 0.01);
        float[] got = d.download(y);
        for (int j = 0; j < 4; j++) {
            assertThat(got[j]).isCloseTo((float) ((j + 1 - 2.5) / s), within(1e-6f));
        }
        assertThat(d.download(mean)[0]).isEqualTo(2.5f);
        assertThat(d.download(rstd)[0]).isCloseTo((float) (1 / s), within(1e-6f));
        // RMSNorm of (3, 4): mean square 12.5.
        DeviceBuffer z = d.upload(new float[] {3, 4});
        DeviceBuffer rr = d.allocate(1);
        DeviceBuffer gamma = d.upload(new float[] {2, -1});
        d.rmsNormForward(z, gamma, z, rr, 1, 2, 0.5f);
        double rms = Math.sqrt(12.5 + 0.5);
        assertThat(d.download(z)).containsExactly(new float[] {(float) (6 / rms), (float) (-4 / rms)}, within(1e-6f));
        assertThat(d.download(rr)[0]).isCloseTo((float) (1 / rms), within(1e-7f));
        for (DeviceBuffer b : new DeviceBuffer[] {x, y, mean, rstd, z, rr, gamma}) {
            d.free(b);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void layerNormKeepsTheVarianceUnderALargeCommonOffset(String name) {
        ComputeDevice d = DEVICES.named(name);
        // Rows of 1e4 + small deviations whose first value is an outlier: one-pass moments that
        // did not shift by a nearby value would lose the variance to cancellation.
        int rows = 3;
        int cols = 1031;
        float[] x = new float[rows * cols];
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = 1e4f + (float) random.nextGaussian() * 0.5f;
        }
        x[0] = 1e4f + 40f;
        DeviceBuffer in = d.upload(x);
        DeviceBuffer y = d.allocate(rows * cols);
        DeviceBuffer mean = d.allocate(rows);
        DeviceBuffer rstd = d.allocate(rows);
        d.layerNormForward(in, null, null, y, mean, rstd, rows, cols, 1e-5f);
        float[] got = d.download(y);
        for (int r = 0; r < rows; r++) {
            double mu = 0;
            for (int j = 0; j < cols; j++) {
                mu += x[r * cols + j];
            }
            mu /= cols;
            double var = 0;
            for (int j = 0; j < cols; j++) {
                var += (x[r * cols + j] - mu) * (x[r * cols + j] - mu);
            }
            var /= cols;
            double rs = 1 / Math.sqrt(var + 1e-5);
            for (int j = 0; j < cols; j++) {
                // fp32 inputs near 1e4 carry ~1e-3 absolute rounding, which rstd (~2) doubles.
                assertThat((double) got[r * cols + j]).isCloseTo((x[r * cols + j] - mu) * rs, within(5e-3));
            }
        }
        for (DeviceBuffer b : new DeviceBuffer[] {in, y, mean, rstd}) {
            d.free(b);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void reductionsUpdatesAndAdamMatchClosedForms(String name) {
        ComputeDevice d = DEVICES.named(name);
        DeviceBuffer x = d.upload(new float[] {1, -5, 2, 2, 0.5f, 0.5f, 0.5f, 0.5f});
        DeviceBuffer out = d.allocate(2);
        d.reduceRows(RowReduction.SUM, x, out, 2, 4);
        assertThat(d.download(out)).containsExactly(0f, 2f);
        d.reduceRows(RowReduction.MEAN, x, out, 2, 4);
        assertThat(d.download(out)).containsExactly(0f, 0.5f);
        d.reduceRows(RowReduction.VARIANCE, x, out, 2, 4);
        assertThat(d.download(out)).containsExactly(8.5f, 0f);
        d.reduceRows(RowReduction.MAX_ABS, x, out, 2, 4);
        assertThat(d.download(out)).containsExactly(5f, 0.5f);

        DeviceBuffer p = d.upload(new float[] {1, 1});
        DeviceBuffer v = d.upload(new float[] {2, -4});
        d.eulerStep(p, v, 0.25f, p);
        assertThat(d.download(p)).containsExactly(1.5f, 0f);
        DeviceBuffer v2 = d.upload(new float[] {4, 0});
        d.heunStep(p, v, v2, 0.5f, p);
        assertThat(d.download(p)).containsExactly(3f, -1f);
        d.rk4Step(p, v, v, v2, v2, 3f, p);
        assertThat(d.download(p)).containsExactly(3f + 0.5f * (2 + 2 * 2 + 2 * 4 + 4), -1f + 0.5f * (-4 - 8));

        // Adam's first step from zero moments moves each parameter by lr |g| / (|g| + eps) against g.
        DeviceBuffer params = d.upload(new float[] {1, 1, 1});
        DeviceBuffer grads = d.upload(new float[] {0.5f, -2f, 0f});
        DeviceBuffer m = d.allocate(3);
        DeviceBuffer s = d.allocate(3);
        d.adamStep(params, grads, m, s, 0.1f, 0.9f, 0.999f, 1e-8f, 1);
        assertThat(d.download(params)).containsExactly(new float[] {0.9f, 1.1f, 1f}, within(1e-6f));
        assertThat(d.download(m)).containsExactly(new float[] {0.05f, -0.2f, 0f}, within(1e-7f));

        // AdamW in one pass gives the floats of the decay as an axpby followed by the Adam step.
        float[] p0 = {1.5f, -0.75f, 3f, 0f, -2f};
        float[] g0 = {0.5f, -2f, 0f, 1f, 0.25f};
        float[] mask = {1, 0, 1, 1, 0};
        DeviceBuffer fused = d.upload(p0);
        DeviceBuffer twoPass = d.upload(p0);
        DeviceBuffer gw = d.upload(g0);
        DeviceBuffer decays = d.upload(mask);
        DeviceBuffer[] moments = {d.upload(new float[] {0.1f, 0.2f, -0.3f, 0, 0.05f}), d.upload(new float[5]),
                d.upload(new float[] {0.1f, 0.2f, -0.3f, 0, 0.05f}), d.upload(new float[5])};
        d.adamWStep(fused, gw, moments[0], moments[1], decays, 0.99f, 0.1f, 0.9f, 0.999f, 1e-8f, 2);
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                DeviceBuffer one = twoPass.slice(i, 1);
                d.axpby(0.99f, one, 0f, one, one);
            }
        }
        d.adamStep(twoPass, gw, moments[2], moments[3], 0.1f, 0.9f, 0.999f, 1e-8f, 2);
        assertThat(d.download(fused)).containsExactly(d.download(twoPass));
        assertThat(d.download(fused)[1]).isNotEqualTo(p0[1]);
        assertThatThrownBy(() -> d.adamWStep(fused, gw, moments[0], moments[1], fused, 0.99f, 0.1f, 0.9f, 0.999f,
                1e-8f, 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decays");
        assertThatThrownBy(() -> d.adamWStep(fused, gw, moments[0], moments[1], decays, Float.NaN, 0.1f, 0.9f, 0.999f,
                1e-8f, 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep");
        for (DeviceBuffer b : new DeviceBuffer[] {fused, twoPass, gw, decays, moments[0], moments[1], moments[2],
                moments[3]}) {
            d.free(b);
        }
        for (DeviceBuffer b : new DeviceBuffer[] {x, out, p, v, v2, params, grads, m, s}) {
            d.free(b);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void denseWithAResidualGivesTheFloatsOfTheProductThenTheSum(String name) {
        ComputeDevice d = DEVICES.named(name);
        java.util.Random random = new java.util.Random(11);
        for (int[] shape : new int[][] {{3, 5, 7}, {130, 70, 67}}) {
            int rows = shape[0];
            int in = shape[1];
            int out = shape[2];
            float[][] data = new float[4][];
            int[] sizes = {rows * in, in * out, out, rows * out};
            for (int i = 0; i < 4; i++) {
                data[i] = new float[sizes[i]];
                for (int j = 0; j < sizes[i]; j++) {
                    data[i][j] = (float) random.nextGaussian();
                }
            }
            DeviceBuffer x = d.upload(data[0]);
            DeviceBuffer w = d.upload(data[1]);
            DeviceBuffer b = d.upload(data[2]);
            DeviceBuffer r = d.upload(data[3]);
            DeviceBuffer z = d.allocate(rows * out);
            DeviceBuffer y = d.allocate(rows * out);
            DeviceBuffer twoPass = d.allocate(rows * out);
            d.denseForwardResidual(x, w, b, r, z, y, rows, in, out);
            d.denseForward(x, w, b, twoPass, rows, in, out);
            assertThat(d.download(z)).containsExactly(d.download(twoPass));
            d.axpby(1f, r, 1f, twoPass, twoPass);
            assertThat(d.download(y)).containsExactly(d.download(twoPass));
            // The sum really holds the residual: y - z is r to within the rounding of the sum.
            float[] ys = d.download(y);
            float[] zs = d.download(z);
            for (int i = 0; i < ys.length; i++) {
                assertThat((double) ys[i] - zs[i]).isCloseTo(data[3][i], within(1e-5 * (1 + Math.abs(ys[i]))));
            }
            assertThatThrownBy(() -> d.denseForwardResidual(x, w, b, r, z, r, rows, in, out))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("residual");
            for (DeviceBuffer buffer : new DeviceBuffer[] {x, w, b, r, z, y, twoPass}) {
                d.free(buffer);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void buffersAreZeroedSliceableAndFreed(String name) {
        ComputeDevice d = DEVICES.named(name);
        DeviceBuffer a = d.allocate(10);
        assertThat(d.download(a)).containsOnly(0f);
        d.fill(a, 7f);
        d.free(a);
        // Memory handed out again starts at zero.
        DeviceBuffer b = d.allocate(10);
        assertThat(d.download(b)).containsOnly(0f);
        DeviceBuffer mid = b.slice(3, 4);
        d.upload(new float[] {9, 1, 2, 3, 4, 9}, 1, mid, 0, 4);
        assertThat(d.download(b)).containsExactly(0, 0, 0, 1, 2, 3, 4, 0, 0, 0);
        DeviceBuffer inner = mid.slice(1, 2);
        d.fill(inner, -1f);
        assertThat(d.download(b)).containsExactly(0, 0, 0, 1, -1, -1, 4, 0, 0, 0);
        float[] window = new float[5];
        d.download(b, 2, window, 1, 3);
        assertThat(window).containsExactly(0, 0, 1, -1, 0);
        assertThat(d.allocate(0).length()).isZero();
        assertThatThrownBy(() -> d.free(mid)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slice cannot be freed");
        d.free(b);
        d.free(b);
        assertThat(mid.isFreed()).isTrue();
        assertThatThrownBy(() -> d.download(mid)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was freed");
        assertThatThrownBy(() -> b.slice(8, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void badArgumentsAreOneLineErrors(String name) {
        ComputeDevice d = DEVICES.named(name);
        ComputeDevice other = d == DEVICES.cpu() ? DEVICES.cl() : DEVICES.cpu();
        DeviceBuffer x = d.allocate(6);
        DeviceBuffer w = d.allocate(6);
        DeviceBuffer y = d.allocate(4);
        assertThatThrownBy(() -> d.denseForward(x, w, null, y, 2, 3, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("w has 6 floats but the shape needs 9");
        assertThatThrownBy(() -> d.denseForward(x, w, null, x, 2, 3, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("y has 6 floats but the shape needs 4");
        assertThatThrownBy(() -> d.denseForward(y, y.slice(0, 4), null, y, 2, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("y must not overlap x");
        DeviceBuffer foreign = other.allocate(6);
        assertThatThrownBy(() -> d.copy(foreign, x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("belongs to device " + other.name());
        assertThatThrownBy(() -> d.layerNormForward(x, null, null, x, y, y, 2, 3, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eps");
        assertThatThrownBy(() -> d.eulerStep(x, w, Float.NaN, x))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("h must be finite, got NaN");
        assertThatThrownBy(() -> d.axpby(1, x.slice(0, 4), 1, w.slice(0, 4), x.slice(1, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partly overlaps");
        assertThatThrownBy(() -> d.reduceRows(RowReduction.SUM, x, y, 0, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rows must be at least 1, got 0");
        assertThatThrownBy(() -> d.allocate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.adamStep(x, w, y, y, 0.1f, 0.9f, 0.999f, 1e-8f, 1))
                .isInstanceOf(IllegalArgumentException.class);
        other.free(foreign);
        d.free(x);
        d.free(w);
        d.free(y);
    }
}
