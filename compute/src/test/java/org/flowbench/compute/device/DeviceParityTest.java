package org.flowbench.compute.device;

import org.flowbench.compute.device.Reference.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;


/**
 * Every primitive on cpu and on OpenCL (PoCL in CI), each checked against the closed-form
 * definition in double precision and against the other device, over awkward sizes: 1, 3, 1023 and
 * 4097 rows, widths that are not multiples of 8.
 *
 * <p>Tolerance: each device within {@value #RTOL} relative of the reference, measured against
 * {@code |reference| + scale} where scale is the sum of the absolute values of the terms the
 * result is made of (see {@link Reference}); the two devices within twice that of each other.
 * No OpenCL device is a failure, not a skip.
 */
class DeviceParityTest {

    /** Relative tolerance of each device against the double-precision reference. */
    static final double RTOL = 1e-5;

    @RegisterExtension
    static final TestDevices DEVICES = new TestDevices();

    /** {@link Parity#check} on this class's devices at {@value #RTOL}. */
    private static void check(String what, Parity.Op op, Result... expected) {
        Parity.check(DEVICES, RTOL, what, op, expected);
    }

    static Stream<Arguments> rowsAndCols() {
        List<Arguments> all = new ArrayList<>();
        for (int rows : new int[] {1, 3, 1023, 4097}) {
            for (int cols : new int[] {1, 7, 13, 130}) {
                all.add(Arguments.of(rows, cols));
            }
        }
        return all.stream();
    }

    static Stream<Arguments> denseShapes() {
        List<Arguments> all = new ArrayList<>();
        int[][] layers = {{1, 1}, {2, 13}, {13, 7}, {7, 130}, {130, 67}, {33, 257}};
        for (int rows : new int[] {1, 3, 1023, 4097}) {
            for (int[] layer : layers) {
                all.add(Arguments.of(rows, layer[0], layer[1]));
            }
        }
        return all.stream();
    }

    private static Random random(int... shape) {
        return Reference.random(17, shape);
    }

    // ----------------------------------------------------------------------------------------
    // Dense

    @ParameterizedTest(name = "dense forward {0} x {1} -> {2}")
    @MethodSource("denseShapes")
    void denseForward(int rows, int in, int out) {
        Random r = random(rows, in, out);
        float[] x = Reference.gaussian(r, rows * in, 1, 0.3);
        float[] w = Reference.gaussian(r, in * out, 1 / Math.sqrt(in), 0);
        float[] b = Reference.gaussian(r, out, 0.5, 0);
        check("dense forward", (d, s) -> {
            DeviceBuffer y = s.zeros(rows * out);
            d.denseForward(s.up(x), s.up(w), s.up(b), y, rows, in, out);
            return List.of(y);
        }, Reference.dense(x, w, b, rows, in, out));
        check("dense forward without bias", (d, s) -> {
            DeviceBuffer y = s.zeros(rows * out);
            d.denseForward(s.up(x), s.up(w), null, y, rows, in, out);
            return List.of(y);
        }, Reference.dense(x, w, null, rows, in, out));
    }

    @ParameterizedTest(name = "dense forward with activation {0} x {1} -> {2}")
    @MethodSource("denseShapes")
    void denseForwardWithActivation(int rows, int in, int out) {
        Random r = random(rows, in, out, 2);
        float[] x = Reference.gaussian(r, rows * in, 1, 0.3);
        float[] w = Reference.gaussian(r, in * out, 1 / Math.sqrt(in), 0);
        float[] b = Reference.gaussian(r, out, 0.5, 0);
        for (Activation f : new Activation[] {Activation.SELU, Activation.RELU, Activation.TANH}) {
            check("dense forward with " + f + " keeping z", (d, s) -> {
                DeviceBuffer z = s.zeros(rows * out);
                DeviceBuffer y = s.zeros(rows * out);
                d.denseForward(s.up(x), s.up(w), s.up(b), f, z, y, rows, in, out);
                return List.of(z, y);
            }, Reference.dense(x, w, b, rows, in, out), Reference.denseActivated(x, w, b, f, rows, in, out));
            check("dense forward with " + f, (d, s) -> {
                DeviceBuffer y = s.zeros(rows * out);
                d.denseForward(s.up(x), s.up(w), null, f, null, y, rows, in, out);
                return List.of(y);
            }, Reference.denseActivated(x, w, null, f, rows, in, out));
        }
    }

    @ParameterizedTest(name = "dense backward {0} x {1} -> {2}")
    @MethodSource("denseShapes")
    void denseBackward(int rows, int in, int out) {
        Random r = random(rows, in, out, 1);
        float[] x = Reference.gaussian(r, rows * in, 1, 0.3);
        float[] w = Reference.gaussian(r, in * out, 1 / Math.sqrt(in), 0);
        float[] dy = Reference.gaussian(r, rows * out, 1, 0.1);
        check("dense backward", (d, s) -> {
            DeviceBuffer dx = s.zeros(rows * in);
            DeviceBuffer dw = s.zeros(in * out);
            DeviceBuffer db = s.zeros(out);
            d.denseBackward(s.up(x), s.up(w), s.up(dy), dx, dw, db, rows, in, out);
            return List.of(dx, dw, db);
        }, Reference.denseDx(w, dy, rows, in, out), Reference.denseDw(x, dy, rows, in, out),
                Reference.columnSums(dy, rows, out));
    }

    // ----------------------------------------------------------------------------------------
    // Activations

    @Test
    void activationsForwardAndBackward() {
        for (int n : new int[] {1, 3, 1023, 4097 * 13}) {
            Random r = random(n, 2);
            float[] x = Reference.uniform(r, n, -6, 6);
            for (int i = 0; i < n; i++) {
                // Keep off ReLU's kink, where either one-sided derivative would be right.
                if (Math.abs(x[i]) < 1e-3f) {
                    x[i] = 0.5f;
                }
            }
            float[] dy = Reference.gaussian(r, n, 1, 0);
            for (Activation f : Activation.values()) {
                check(f + " forward, n=" + n, (d, s) -> {
                    DeviceBuffer y = s.zeros(n);
                    d.activate(f, s.up(x), y);
                    return List.of(y);
                }, Reference.activate(f, x));
                check(f + " backward, n=" + n, (d, s) -> {
                    DeviceBuffer dx = s.zeros(n);
                    d.activateBackward(f, s.up(x), s.up(dy), dx);
                    return List.of(dx);
                }, Reference.activateBackward(f, x, dy));
                check(f + " backward from the output, n=" + n, (d, s) -> {
                    DeviceBuffer xb = s.up(x);
                    DeviceBuffer y = s.zeros(n);
                    d.activate(f, xb, y);
                    DeviceBuffer dx = s.up(dy);
                    d.activateBackward(f, xb, y, dx, dx);
                    return List.of(dx);
                }, Reference.activateBackwardFromOutput(f, x, dy));
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Norms

    @ParameterizedTest(name = "layer norm {0} x {1}")
    @MethodSource("rowsAndCols")
    void layerNorm(int rows, int cols) {
        Random r = random(rows, cols, 3);
        float[] x = Reference.gaussian(r, rows * cols, 2, 0.5);
        float[] g = Reference.gaussian(r, cols, 0.3, 1);
        float[] b = Reference.gaussian(r, cols, 0.3, 0);
        float[] dy = Reference.gaussian(r, rows * cols, 1, 0);
        float eps = 1e-5f;
        Result[] fwd = Reference.layerNorm(x, g, b, rows, cols, eps);
        check("layer norm forward", (d, s) -> {
            DeviceBuffer y = s.zeros(rows * cols);
            DeviceBuffer mean = s.zeros(rows);
            DeviceBuffer rstd = s.zeros(rows);
            d.layerNormForward(s.up(x), s.up(g), s.up(b), y, mean, rstd, rows, cols, eps);
            return List.of(y, mean, rstd);
        }, fwd);
        check("layer norm forward without affine", (d, s) -> {
            DeviceBuffer y = s.up(x);
            DeviceBuffer mean = s.zeros(rows);
            DeviceBuffer rstd = s.zeros(rows);
            d.layerNormForward(y, null, null, y, mean, rstd, rows, cols, eps);
            return List.of(y);
        }, Reference.layerNorm(x, null, null, rows, cols, eps)[0]);
        Result[] bwd = Reference.layerNormBackward(x, g, dy, rows, cols, eps);
        check("layer norm backward", (d, s) -> {
            DeviceBuffer xb = s.up(x);
            DeviceBuffer gb = s.up(g);
            DeviceBuffer mean = s.zeros(rows);
            DeviceBuffer rstd = s.zeros(rows);
            d.layerNormForward(xb, gb, null, s.zeros(rows * cols), mean, rstd, rows, cols, eps);
            DeviceBuffer grad = s.up(dy);
            DeviceBuffer dg = s.zeros(cols);
            DeviceBuffer db = s.zeros(cols);
            // dx written over dy, as a memory-saving caller would.
            d.layerNormBackward(xb, gb, mean, rstd, grad, grad, dg, db, rows, cols);
            return List.of(grad, dg, db);
        }, bwd);
    }

    @ParameterizedTest(name = "rms norm {0} x {1}")
    @MethodSource("rowsAndCols")
    void rmsNorm(int rows, int cols) {
        Random r = random(rows, cols, 4);
        float[] x = Reference.gaussian(r, rows * cols, 2, 0.5);
        float[] g = Reference.gaussian(r, cols, 0.3, 1);
        float[] dy = Reference.gaussian(r, rows * cols, 1, 0);
        float eps = 1e-6f;
        check("rms norm forward", (d, s) -> {
            DeviceBuffer y = s.zeros(rows * cols);
            DeviceBuffer rr = s.zeros(rows);
            d.rmsNormForward(s.up(x), s.up(g), y, rr, rows, cols, eps);
            return List.of(y, rr);
        }, Reference.rmsNorm(x, g, rows, cols, eps));
        check("rms norm backward", (d, s) -> {
            DeviceBuffer xb = s.up(x);
            DeviceBuffer gb = s.up(g);
            DeviceBuffer rr = s.zeros(rows);
            d.rmsNormForward(xb, gb, s.zeros(rows * cols), rr, rows, cols, eps);
            DeviceBuffer dx = s.zeros(rows * cols);
            DeviceBuffer dg = s.zeros(cols);
            d.rmsNormBackward(xb, gb, rr, s.up(dy), dx, dg, rows, cols);
            return List.of(dx, dg);
        }, Reference.rmsNormBackward(x, g, dy, rows, cols, eps));
    }

    // ----------------------------------------------------------------------------------------
    // Reductions

    @ParameterizedTest(name = "row reductions {0} x {1}")
    @MethodSource("rowsAndCols")
    void rowReductions(int rows, int cols) {
        Random r = random(rows, cols, 5);
        float[] x = Reference.gaussian(r, rows * cols, 3, 1);
        for (RowReduction red : RowReduction.values()) {
            check(red + " over rows", (d, s) -> {
                DeviceBuffer out = s.zeros(rows);
                d.reduceRows(red, s.up(x), out, rows, cols);
                return List.of(out);
            }, Reference.reduceRows(red, x, rows, cols));
        }
    }

    // ----------------------------------------------------------------------------------------
    // Element-wise, ODE updates and Adam

    @Test
    void elementwiseOdeUpdatesAndAdam() {
        for (int n : new int[] {1, 3, 1023, 4097 * 7}) {
            Random r = random(n, 6);
            float[] x = Reference.gaussian(r, n, 1, 0);
            float[] k1 = Reference.gaussian(r, n, 1, 0);
            float[] k2 = Reference.gaussian(r, n, 1, 0);
            float[] k3 = Reference.gaussian(r, n, 1, 0);
            float[] k4 = Reference.gaussian(r, n, 1, 0);
            float h = 0.037f;
            Result euler = Result.of(n);
            Result heun = Result.of(n);
            Result rk4 = Result.of(n);
            Result axpby = Result.of(n);
            Result product = Result.of(n);
            for (int i = 0; i < n; i++) {
                euler.value()[i] = x[i] + (double) h * k1[i];
                euler.scale()[i] = Math.abs(x[i]) + Math.abs(h * k1[i]);
                heun.value()[i] = x[i] + h / 2.0 * (k1[i] + k2[i]);
                heun.scale()[i] = Math.abs(x[i]) + h / 2.0 * (Math.abs(k1[i]) + Math.abs(k2[i]));
                rk4.value()[i] = x[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
                rk4.scale()[i] = Math.abs(x[i])
                        + h / 6.0 * (Math.abs(k1[i]) + 2 * Math.abs(k2[i]) + 2 * Math.abs(k3[i]) + Math.abs(k4[i]));
                axpby.value()[i] = -1.5 * x[i] + 0.25 * k1[i];
                axpby.scale()[i] = Math.abs(1.5 * x[i]) + Math.abs(0.25 * k1[i]);
                product.value()[i] = (double) x[i] * k1[i];
            }
            check("euler step, n=" + n, (d, s) -> {
                DeviceBuffer xb = s.up(x);
                d.eulerStep(xb, s.up(k1), h, xb);
                return List.of(xb);
            }, euler);
            check("heun step, n=" + n, (d, s) -> {
                DeviceBuffer out = s.zeros(n);
                d.heunStep(s.up(x), s.up(k1), s.up(k2), h, out);
                return List.of(out);
            }, heun);
            check("rk4 step, n=" + n, (d, s) -> {
                DeviceBuffer xb = s.up(x);
                d.rk4Step(xb, s.up(k1), s.up(k2), s.up(k3), s.up(k4), h, xb);
                return List.of(xb);
            }, rk4);
            check("axpby, n=" + n, (d, s) -> {
                DeviceBuffer out = s.zeros(n);
                d.axpby(-1.5f, s.up(x), 0.25f, s.up(k1), out);
                return List.of(out);
            }, axpby);
            check("multiply, n=" + n, (d, s) -> {
                DeviceBuffer out = s.zeros(n);
                d.multiply(s.up(x), s.up(k1), out);
                return List.of(out);
            }, product);

            float lr = 1e-2f;
            float b1 = 0.9f;
            float b2 = 0.999f;
            float eps = 1e-8f;
            int step = 3;
            float[] m0 = Reference.gaussian(r, n, 0.1, 0);
            float[] v0 = Reference.uniform(r, n, 0, 0.01);
            Result p = Result.of(n);
            Result m = Result.of(n);
            Result v = Result.of(n);
            for (int i = 0; i < n; i++) {
                double mi = b1 * (double) m0[i] + (1 - (double) b1) * k1[i];
                double vi = b2 * (double) v0[i] + (1 - (double) b2) * k1[i] * (double) k1[i];
                double mhat = mi / (1 - Math.pow(b1, step));
                double vhat = vi / (1 - Math.pow(b2, step));
                m.value()[i] = mi;
                m.scale()[i] = Math.abs(b1 * m0[i]) + Math.abs((1 - b1) * k1[i]);
                v.value()[i] = vi;
                p.value()[i] = x[i] - lr * mhat / (Math.sqrt(vhat) + eps);
                p.scale()[i] = Math.abs(x[i]) + lr * (Math.abs(b1 * m0[i]) + Math.abs((1 - b1) * k1[i]))
                        / (1 - Math.pow(b1, step)) / (Math.sqrt(vhat) + eps);
            }
            check("adam step, n=" + n, (d, s) -> {
                DeviceBuffer pb = s.up(x);
                DeviceBuffer mb = s.up(m0);
                DeviceBuffer vb = s.up(v0);
                d.adamStep(pb, s.up(k1), mb, vb, lr, b1, b2, eps, step);
                return List.of(pb, mb, vb);
            }, p, m, v);

            // AdamW: decay on two elements in three, then the same step.
            float keep = 0.97f;
            float[] decays = new float[n];
            Result pw = Result.of(n);
            for (int i = 0; i < n; i++) {
                decays[i] = i % 3 == 0 ? 0f : 1f;
                double x0 = decays[i] != 0 ? keep * (double) x[i] : x[i];
                pw.value()[i] = x0 + (p.value()[i] - x[i]);
                pw.scale()[i] = p.scale()[i];
            }
            check("adamW step, n=" + n, (d, s) -> {
                DeviceBuffer pb = s.up(x);
                DeviceBuffer mb = s.up(m0);
                DeviceBuffer vb = s.up(v0);
                d.adamWStep(pb, s.up(k1), mb, vb, s.up(decays), keep, lr, b1, b2, eps, step);
                return List.of(pb, mb, vb);
            }, pw, m, v);
        }
    }

    @Test
    void fillCopyAndCopyColumns() {
        int rows = 1023;
        Random r = random(7);
        float[] src = Reference.gaussian(r, rows * 5, 1, 0);
        Result expected = Result.of(rows * 7);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 7; j++) {
                expected.value()[i * 7 + j] = j >= 2 && j < 5 ? src[i * 5 + 1 + (j - 2)] : 0.25;
            }
        }
        check("fill + copyColumns", (d, s) -> {
            DeviceBuffer dst = s.zeros(rows * 7);
            d.fill(dst, 0.25f);
            d.copyColumns(s.up(src), 5, 1, dst, 7, 2, rows, 3);
            DeviceBuffer copy = s.zeros(rows * 7);
            d.copy(dst, copy);
            return List.of(copy);
        }, expected);
    }

    /** The same operations on views at different offsets of one allocation (the unaligned loops on cpu). */
    @Test
    void operationsOnSlicesAtDifferentOffsets() {
        int n = 1031;
        Random r = random(n, 8);
        float[] x = Reference.gaussian(r, n, 1, 0);
        float[] v = Reference.gaussian(r, n, 1, 0);
        float h = 0.3f;
        Result heun = Result.of(n);
        Result relu = Result.of(n);
        for (int i = 0; i < n; i++) {
            heun.value()[i] = x[i] + h / 2.0 * (v[i] + x[i]);
            heun.scale()[i] = Math.abs(x[i]) + h / 2.0 * (Math.abs(v[i]) + Math.abs(x[i]));
            relu.value()[i] = Math.max(0, v[i]);
        }
        check("heun and relu on slices", (d, s) -> {
            DeviceBuffer all = s.zeros(4 * n + 40);
            DeviceBuffer xs = all.slice(3, n);
            DeviceBuffer vs = all.slice(n + 17, n);
            DeviceBuffer out = all.slice(2 * n + 29, n);
            DeviceBuffer act = all.slice(3 * n + 31, n);
            d.upload(x, 0, xs, 0, n);
            d.upload(v, 0, vs, 0, n);
            d.heunStep(xs, vs, xs, h, out);
            d.activate(Activation.RELU, vs, act);
            return List.of(out, act);
        }, heun, relu);
        int rows = 37;
        int cols = 29;
        float[] xr = Reference.gaussian(r, rows * cols, 2, 0.5);
        float[] g = Reference.gaussian(r, cols, 0.3, 1);
        check("layer norm with gamma and beta as slices", (d, s) -> {
            DeviceBuffer params = s.zeros(3 * cols + 5);
            DeviceBuffer gs = params.slice(5, cols);
            DeviceBuffer bs = params.slice(5 + cols, cols);
            d.upload(g, 0, gs, 0, cols);
            d.fill(bs, 0.25f);
            DeviceBuffer y = s.zeros(rows * cols + 7).slice(7, rows * cols);
            d.layerNormForward(s.up(xr), gs, bs, y, s.zeros(rows), s.zeros(rows), rows, cols, 1e-5f);
            return List.of(y);
        }, Reference.layerNorm(xr, g, constant(cols, 0.25f), rows, cols, 1e-5)[0]);
    }

    private static float[] constant(int n, float value) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
