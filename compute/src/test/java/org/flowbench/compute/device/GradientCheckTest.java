package org.flowbench.compute.device;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backward passes against central finite differences of the device's own forward pass, on cpu
 * and on OpenCL. The loss is {@code L = sum c * y} for a random {@code c}, so {@code dy = c}; each
 * checked coordinate is moved by {@code +-h} with {@value #H} and the forward pass run again.
 * fp32 outputs make the difference quotient noisy at about 1e-5, so the check is
 * {@code |fd - analytic| <= 2e-3 max(1, |analytic|)}, far below what a wrong formula gives.
 */
class GradientCheckTest {

    static final float H = 1e-2f;
    static final double TOL = 2e-3;

    @RegisterExtension
    static final TestDevices DEVICES = new TestDevices();

    /** The forward pass as a function of the inputs being checked, returning its outputs. */
    @FunctionalInterface
    private interface Forward {
        float[] run(List<float[]> inputs);
    }

    private static double loss(float[] y, float[] c) {
        double l = 0;
        for (int i = 0; i < y.length; i++) {
            l += (double) c[i] * y[i];
        }
        return l;
    }

    /** Checks {@code analytic[k]} against the finite difference for {@code checks} coordinates of each input. */
    private static void checkGradients(String what, Forward forward, List<float[]> inputs, List<float[]> analytic,
                                       float[] c, int checks, Random random) {
        for (int which = 0; which < inputs.size(); which++) {
            float[] in = inputs.get(which);
            float[] grad = analytic.get(which);
            for (int t = 0; t < Math.min(checks, in.length); t++) {
                int k = in.length <= checks ? t : random.nextInt(in.length);
                float saved = in[k];
                in[k] = saved + H;
                double up = loss(forward.run(inputs), c);
                in[k] = saved - H;
                double down = loss(forward.run(inputs), c);
                in[k] = saved;
                double fd = (up - down) / (2 * H);
                assertThat(Math.abs(fd - grad[k]))
                        .as("%s: d loss / d input %d [%d]: finite difference %s, backward %s", what, which, k, fd, grad[k])
                        .isLessThanOrEqualTo(TOL * Math.max(1, Math.abs(grad[k])));
            }
        }
    }

    @ParameterizedTest(name = "dense on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void dense(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int[] shape : new int[][] {{3, 2, 13}, {5, 13, 11}, {4, 20, 3}}) {
            int rows = shape[0];
            int in = shape[1];
            int out = shape[2];
            Random r = new Random(31 + in);
            float[] x = Reference.gaussian(r, rows * in, 1, 0);
            float[] w = Reference.gaussian(r, in * out, 1 / Math.sqrt(in), 0);
            float[] b = Reference.gaussian(r, out, 0.3, 0);
            float[] c = Reference.gaussian(r, rows * out, 1, 0);
            Forward forward = inputs -> {
                DeviceBuffer xb = d.upload(inputs.get(0));
                DeviceBuffer wb = d.upload(inputs.get(1));
                DeviceBuffer bb = d.upload(inputs.get(2));
                DeviceBuffer y = d.allocate(rows * out);
                d.denseForward(xb, wb, bb, y, rows, in, out);
                float[] result = d.download(y);
                for (DeviceBuffer buf : List.of(xb, wb, bb, y)) {
                    d.free(buf);
                }
                return result;
            };
            DeviceBuffer xb = d.upload(x);
            DeviceBuffer wb = d.upload(w);
            DeviceBuffer dy = d.upload(c);
            DeviceBuffer dx = d.allocate(rows * in);
            DeviceBuffer dw = d.allocate(in * out);
            DeviceBuffer db = d.allocate(out);
            d.denseBackward(xb, wb, dy, dx, dw, db, rows, in, out);
            List<float[]> grads = List.of(d.download(dx), d.download(dw), d.download(db));
            for (DeviceBuffer buf : List.of(xb, wb, dy, dx, dw, db)) {
                d.free(buf);
            }
            checkGradients("dense " + rows + "x" + in + "->" + out + " on " + name, forward,
                    new ArrayList<>(List.of(x, w, b)), grads, c, 12, r);
        }
    }

    @ParameterizedTest(name = "activations on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void activations(String name) {
        ComputeDevice d = DEVICES.named(name);
        Random r = new Random(7);
        int n = 40;
        float[] x = Reference.uniform(r, n, -4, 4);
        for (int i = 0; i < n; i++) {
            // Away from ReLU's kink by more than the step.
            if (Math.abs(x[i]) < 3 * H) {
                x[i] = x[i] < 0 ? -0.5f : 0.5f;
            }
        }
        float[] c = Reference.gaussian(r, n, 1, 0);
        for (Activation f : Activation.values()) {
            Forward forward = inputs -> {
                DeviceBuffer xb = d.upload(inputs.get(0));
                d.activate(f, xb, xb);
                float[] y = d.download(xb);
                d.free(xb);
                return y;
            };
            DeviceBuffer xb = d.upload(x);
            DeviceBuffer grad = d.upload(c);
            d.activateBackward(f, xb, grad, grad);
            float[] analytic = d.download(grad);
            d.free(xb);
            d.free(grad);
            checkGradients(f + " on " + name, forward, new ArrayList<>(List.of(x)), List.of(analytic), c, n, r);
        }
    }

    @ParameterizedTest(name = "layer norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void layerNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int[] shape : new int[][] {{3, 7}, {2, 13}, {5, 1}}) {
            int rows = shape[0];
            int cols = shape[1];
            Random r = new Random(100 + cols);
            float[] x = Reference.gaussian(r, rows * cols, 1.5, 0.3);
            float[] g = Reference.gaussian(r, cols, 0.3, 1);
            float[] b = Reference.gaussian(r, cols, 0.3, 0);
            float[] c = Reference.gaussian(r, rows * cols, 1, 0);
            float eps = 1e-3f;
            Forward forward = inputs -> {
                DeviceBuffer xb = d.upload(inputs.get(0));
                DeviceBuffer gb = d.upload(inputs.get(1));
                DeviceBuffer bb = d.upload(inputs.get(2));
                DeviceBuffer y = d.allocate(rows * cols);
                DeviceBuffer mean = d.allocate(rows);
                DeviceBuffer rstd = d.allocate(rows);
                d.layerNormForward(xb, gb, bb, y, mean, rstd, rows, cols, eps);
                float[] result = d.download(y);
                for (DeviceBuffer buf : List.of(xb, gb, bb, y, mean, rstd)) {
                    d.free(buf);
                }
                return result;
            };
            DeviceBuffer xb = d.upload(x);
            DeviceBuffer gb = d.upload(g);
            DeviceBuffer mean = d.allocate(rows);
            DeviceBuffer rstd = d.allocate(rows);
            DeviceBuffer y = d.allocate(rows * cols);
            d.layerNormForward(xb, gb, null, y, mean, rstd, rows, cols, eps);
            DeviceBuffer dy = d.upload(c);
            DeviceBuffer dx = d.allocate(rows * cols);
            DeviceBuffer dg = d.allocate(cols);
            DeviceBuffer db = d.allocate(cols);
            d.layerNormBackward(xb, gb, mean, rstd, dy, dx, dg, db, rows, cols);
            List<float[]> grads = List.of(d.download(dx), d.download(dg), d.download(db));
            for (DeviceBuffer buf : List.of(xb, gb, mean, rstd, y, dy, dx, dg, db)) {
                d.free(buf);
            }
            checkGradients("layer norm " + rows + "x" + cols + " on " + name, forward,
                    new ArrayList<>(List.of(x, g, b)), grads, c, 12, r);
        }
    }

    @ParameterizedTest(name = "rms norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void rmsNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int[] shape : new int[][] {{3, 7}, {2, 13}, {4, 1}}) {
            int rows = shape[0];
            int cols = shape[1];
            Random r = new Random(200 + cols);
            float[] x = Reference.gaussian(r, rows * cols, 1.5, 0.3);
            float[] g = Reference.gaussian(r, cols, 0.3, 1);
            float[] c = Reference.gaussian(r, rows * cols, 1, 0);
            float eps = 1e-3f;
            Forward forward = inputs -> {
                DeviceBuffer xb = d.upload(inputs.get(0));
                DeviceBuffer gb = d.upload(inputs.get(1));
                DeviceBuffer y = d.allocate(rows * cols);
                DeviceBuffer rr = d.allocate(rows);
                d.rmsNormForward(xb, gb, y, rr, rows, cols, eps);
                float[] result = d.download(y);
                for (DeviceBuffer buf : List.of(xb, gb, y, rr)) {
                    d.free(buf);
                }
                return result;
            };
            DeviceBuffer xb = d.upload(x);
            DeviceBuffer gb = d.upload(g);
            DeviceBuffer rr = d.allocate(rows);
            DeviceBuffer y = d.allocate(rows * cols);
            d.rmsNormForward(xb, gb, y, rr, rows, cols, eps);
            DeviceBuffer dy = d.upload(c);
            DeviceBuffer dx = d.allocate(rows * cols);
            DeviceBuffer dg = d.allocate(cols);
            d.rmsNormBackward(xb, gb, rr, dy, dx, dg, rows, cols);
            List<float[]> grads = List.of(d.download(dx), d.download(dg));
            for (DeviceBuffer buf : List.of(xb, gb, rr, y, dy, dx, dg)) {
                d.free(buf);
            }
            checkGradients("rms norm " + rows + "x" + cols + " on " + name, forward,
                    new ArrayList<>(List.of(x, g)), grads, c, 12, r);
        }
    }
}
