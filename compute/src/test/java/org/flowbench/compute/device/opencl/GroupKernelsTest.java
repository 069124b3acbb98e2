package org.flowbench.compute.device.opencl;

import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.DeviceBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The work-group kernels (the tiled product, one work-group per norm row, column sums in one
 * launch, the wide fill and copy) that GPUs take, forced on the CPU driver the tests run on and
 * checked against double-precision references on shapes that leave partial tiles and partial
 * work-groups. (The parity suites check the same ops on the kernels PoCL takes by default; run
 * them with {@code -Dflowbench.opencl.groupKernels=true} to check every op on these kernels.)
 */
class GroupKernelsTest {

    /** Relative tolerance against |reference| + the sum of the absolute values of the terms. */
    private static final double RTOL = 1e-5;

    private static OpenClDevice d;

    @BeforeAll
    static void open() {
        if (OpenClDevices.list().isEmpty()) {
            fail("no OpenCL device: " + OpenClDevices.unavailableReason()
                    + ". Install an OpenCL driver (CI installs pocl-opencl-icd and ocl-icd-libopencl1).");
        }
        d = openGroupKernels(false);
        assertThat(d.usesGroupKernels()).isTrue();
    }

    /** Device 0 with the work-group kernels, its 128 x 128 product pipelined or not. */
    private static OpenClDevice openGroupKernels(boolean pipelinedGemm) {
        String groupsBefore = System.getProperty(OpenClDevice.GROUP_KERNELS_PROPERTY);
        String pipelinedBefore = System.getProperty(OpenClDevice.PIPELINED_GEMM_PROPERTY);
        System.setProperty(OpenClDevice.GROUP_KERNELS_PROPERTY, "true");
        System.setProperty(OpenClDevice.PIPELINED_GEMM_PROPERTY, Boolean.toString(pipelinedGemm));
        try {
            return OpenClDevices.open(0);
        } finally {
            restore(OpenClDevice.GROUP_KERNELS_PROPERTY, groupsBefore);
            restore(OpenClDevice.PIPELINED_GEMM_PROPERTY, pipelinedBefore);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @AfterAll
    static void close() {
        if (d != null) {
            d.close();
        }
    }

    private static float[] gaussian(Random random, int n, double mean) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (mean + random.nextGaussian());
        }
        return a;
    }

    private static void assertClose(String what, double[] ref, double[] scale, float[] got) {
        assertThat(got).hasSize(ref.length);
        for (int i = 0; i < ref.length; i++) {
            double tol = RTOL * (Math.abs(ref[i]) + scale[i]) + 1e-30;
            if (!(Math.abs(got[i] - ref[i]) <= tol)) {
                fail("%s[%d]: %s, expected %s (tolerance %s)", what, i, got[i], ref[i], tol);
            }
        }
    }

    /** c = alpha op(a) op(b) in double, with the sums of |terms| as scale. */
    private static double[][] product(float[] a, boolean ta, float[] b, boolean tb, int batch, int m, int k, int n,
                                      float alpha, float[] bias) {
        double[] c = new double[batch * m * n];
        double[] s = new double[batch * m * n];
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double t = 0;
                    double u = 0;
                    for (int p = 0; p < k; p++) {
                        double x = ta ? a[q * m * k + p * m + i] : a[q * m * k + i * k + p];
                        double y = tb ? b[q * k * n + j * k + p] : b[q * k * n + p * n + j];
                        t += x * y;
                        u += Math.abs(x * y);
                    }
                    int at = q * m * n + i * n + j;
                    c[at] = alpha * t + (bias == null ? 0 : bias[j]);
                    s[at] = Math.abs(alpha) * u + (bias == null ? 0 : Math.abs(bias[j]));
                }
            }
        }
        return new double[][] {c, s};
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    @ParameterizedTest(name = "dense {0} x {1} -> {2}")
    @CsvSource({"100,70,90", "130,257,67", "64,16,64", "33,1,33", "1,33,257", "257,33,31"})
    void denseForwardAndBackward(int rows, int in, int out) {
        Random random = new Random(rows * 31L + in * 7L + out);
        float[] x = gaussian(random, rows * in, 0);
        float[] w = gaussian(random, in * out, 0);
        float[] bias = gaussian(random, out, 0);
        float[] dy = gaussian(random, rows * out, 0);
        DeviceBuffer xb = d.upload(x);
        DeviceBuffer wb = d.upload(w);
        DeviceBuffer bb = d.upload(bias);
        DeviceBuffer dyb = d.upload(dy);
        DeviceBuffer y = d.allocate(rows * out);
        DeviceBuffer dx = d.allocate(rows * in);
        DeviceBuffer dw = d.allocate(in * out);
        try {
            d.denseForward(xb, wb, bb, y, rows, in, out);
            double[][] ref = product(x, false, w, false, 1, rows, in, out, 1f, bias);
            assertClose("y", ref[0], ref[1], d.download(y));
            d.denseBackward(xb, wb, dyb, dx, dw, null, rows, in, out);
            ref = product(dy, false, transpose(w, in, out), false, 1, rows, out, in, 1f, null);
            assertClose("dx", ref[0], ref[1], d.download(dx));
            ref = product(transpose(x, rows, in), false, dy, false, 1, in, rows, out, 1f, null);
            assertClose("dw", ref[0], ref[1], d.download(dw));
        } finally {
            for (DeviceBuffer b : new DeviceBuffer[] {xb, wb, bb, dyb, y, dx, dw}) {
                d.free(b);
            }
        }
    }

    @ParameterizedTest(name = "dense with {0} applied as the product stores")
    @org.junit.jupiter.params.provider.EnumSource(org.flowbench.compute.device.Activation.class)
    void denseForwardWithTheActivationInTheProduct(org.flowbench.compute.device.Activation f) {
        int rows = 97;
        int in = 40;
        int out = 75;
        Random random = new Random(f.ordinal());
        DeviceBuffer x = d.upload(gaussian(random, rows * in, 0));
        DeviceBuffer w = d.upload(gaussian(random, in * out, 0));
        DeviceBuffer b = d.upload(gaussian(random, out, 0));
        DeviceBuffer z = d.allocate(rows * out);
        DeviceBuffer y = d.allocate(rows * out);
        DeviceBuffer plain = d.allocate(rows * out);
        DeviceBuffer yNoZ = d.allocate(rows * out);
        try {
            d.denseForward(x, w, b, f, z, y, rows, in, out);
            d.denseForward(x, w, b, f, null, yNoZ, rows, in, out);
            d.denseForward(x, w, b, plain, rows, in, out);
            float[] zs = d.download(z);
            assertThat(zs).containsExactly(d.download(plain));
            d.activate(f, plain, plain);
            float[] expected = d.download(plain);
            float[] got = d.download(y);
            for (int i = 0; i < got.length; i++) {
                assertThat((double) got[i]).as("y[%d] = %s(%s)", i, f, zs[i])
                        .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-6 * (1 + Math.abs(expected[i]))));
            }
            assertThat(d.download(yNoZ)).containsExactly(got);
        } finally {
            for (DeviceBuffer buffer : new DeviceBuffer[] {x, w, b, z, y, plain, yNoZ}) {
                d.free(buffer);
            }
        }
    }

    @ParameterizedTest(name = "dense {0} x {1} -> {2} with a residual added as the product stores")
    @CsvSource({"97,40,75", "64,16,64", "5,3,7"})
    void denseForwardWithTheResidualInTheProduct(int rows, int in, int out) {
        Random random = new Random(rows * 31L + in * 7L + out);
        DeviceBuffer x = d.upload(gaussian(random, rows * in, 0));
        DeviceBuffer w = d.upload(gaussian(random, in * out, 0));
        DeviceBuffer b = d.upload(gaussian(random, out, 0));
        DeviceBuffer r = d.upload(gaussian(random, rows * out, 3));
        DeviceBuffer z = d.allocate(rows * out);
        DeviceBuffer y = d.allocate(rows * out);
        DeviceBuffer yNoZ = d.allocate(rows * out);
        DeviceBuffer plain = d.allocate(rows * out);
        try {
            d.denseForwardResidual(x, w, b, r, z, y, rows, in, out);
            d.denseForwardResidual(x, w, null, r, null, yNoZ, rows, in, out);
            d.denseForward(x, w, b, plain, rows, in, out);
            assertThat(d.download(z)).containsExactly(d.download(plain));
            d.axpby(1f, r, 1f, plain, plain);
            assertThat(d.download(y)).containsExactly(d.download(plain));
            d.denseForward(x, w, null, plain, rows, in, out);
            d.axpby(1f, r, 1f, plain, plain);
            assertThat(d.download(yNoZ)).containsExactly(d.download(plain));
        } finally {
            for (DeviceBuffer buffer : new DeviceBuffer[] {x, w, b, r, z, y, yNoZ, plain}) {
                d.free(buffer);
            }
        }
    }

    @ParameterizedTest(name = "batched {0} x {1} x {2} x {3}")
    @CsvSource({"3,70,65,66", "2,64,32,64", "1,130,17,97"})
    void batchedProductsInEveryTransposition(int batch, int m, int k, int n) {
        Random random = new Random(batch * 1000003L + m * 1009L + k * 31L + n);
        float[] a = gaussian(random, batch * m * k, 0.5);
        float[] b = gaussian(random, batch * k * n, -0.25);
        DeviceBuffer ab = d.upload(a);
        DeviceBuffer bb = d.upload(b);
        DeviceBuffer cb = d.allocate(batch * m * n);
        try {
            for (int t = 0; t < 4; t++) {
                boolean ta = t >= 2;
                boolean tb = t % 2 == 1;
                d.batchedMatmul(ab, ta, bb, tb, cb, batch, m, k, n, 0.75f);
                double[][] ref = product(a, ta, b, tb, batch, m, k, n, 0.75f, null);
                assertClose("c (transA " + ta + ", transB " + tb + ")", ref[0], ref[1], d.download(cb));
            }
        } finally {
            d.free(ab);
            d.free(bb);
            d.free(cb);
        }
    }

    @ParameterizedTest(name = "128 x 128 tiles, batch {0}: {1} x {2} x {3}")
    @CsvSource({"1,200,150,260", "2,130,33,129", "1,128,1,128", "1,257,300,131"})
    void largeTilesGiveTheFloatsOfTheSmallOnes(int batch, int m, int k, int n) {
        ProductInputs in = ProductInputs.random(batch * 1000003L + m * 1009L + k * 31L + n + 5, batch, m, k, n);
        List<float[]> small = products(d, false, in, batch, m, k, n);
        List<float[]> large = products(d, true, in, batch, m, k, n);
        for (int i = 0; i < small.size(); i++) {
            assertThat(large.get(i)).as("result %d", i).containsExactly(small.get(i));
        }
        // The large tiles did run: their products agree with the double-precision reference too.
        double[][] ref = product(in.a, false, in.b, false, batch, m, k, n, 0.75f, null);
        assertClose("c", ref[0], ref[1], large.get(0));
    }

    @ParameterizedTest(name = "pipelined 128 x 128 tiles, batch {0}: {1} x {2} x {3}")
    @CsvSource({"1,200,150,260", "2,130,33,129", "1,128,1,128", "1,257,300,131", "1,129,16,130", "3,140,47,128"})
    void pipelinedLargeTilesGiveTheFloatsOfTheTranslatedOnes(int batch, int m, int k, int n) {
        ProductInputs in = ProductInputs.random(batch * 1000003L + m * 1009L + k * 31L + n + 11, batch, m, k, n);
        OpenClDevice pipelined = openGroupKernels(true);
        try {
            org.junit.jupiter.api.Assumptions.assumeTrue(pipelined.launchesDirectly(),
                    "the pipelined product is the direct launcher's; this run takes Aparapi's");
            assertThat(pipelined.launcher()).contains("pipelined");
            List<float[]> translated = products(d, true, in, batch, m, k, n);
            List<float[]> got = products(pipelined, true, in, batch, m, k, n);
            for (int i = 0; i < translated.size(); i++) {
                assertThat(got.get(i)).as("result %d", i).containsExactly(translated.get(i));
            }
            double[][] ref = product(in.a, true, in.b, true, batch, m, k, n, 0.75f, null);
            assertClose("c of the transposes", ref[0], ref[1], got.get(3));
        } finally {
            pipelined.close();
        }
    }

    /** Operands of {@link #products}: A [batch, m, k], B [batch, k, n], a bias [n] and a residual [batch, m, n]. */
    private record ProductInputs(float[] a, float[] b, float[] bias, float[] residual) {
        static ProductInputs random(long seed, int batch, int m, int k, int n) {
            Random random = new Random(seed);
            return new ProductInputs(gaussian(random, batch * m * k, 0.5), gaussian(random, batch * k * n, -0.25),
                    gaussian(random, n, 0), gaussian(random, batch * m * n, 1));
        }
    }

    /**
     * The products a tile size serves, in large or small tiles: batched in the four transpositions
     * and, for one batch entry, the dense forward with an activation and with a residual and the
     * dense backward.
     */
    private static List<float[]> products(OpenClDevice device, boolean largeTiles, ProductInputs in, int batch, int m,
                                          int k, int n) {
        DeviceBuffer ab = device.upload(in.a);
        DeviceBuffer bb = device.upload(in.b);
        DeviceBuffer biasb = device.upload(in.bias);
        DeviceBuffer rb = device.upload(in.residual);
        DeviceBuffer cb = device.allocate(batch * m * n);
        DeviceBuffer zb = device.allocate(batch * m * n);
        DeviceBuffer db = device.allocate(batch * m * k);
        DeviceBuffer wb = device.allocate(k * n);
        List<float[]> out = new ArrayList<>();
        try {
            device.useLargeGemmTiles(largeTiles);
            for (int t = 0; t < 4; t++) {
                device.batchedMatmul(ab, t >= 2, bb, t % 2 == 1, cb, batch, m, k, n, 0.75f);
                out.add(device.download(cb));
            }
            if (batch == 1) {
                device.denseForward(ab, bb, biasb, Activation.GELU, zb, cb, m, k, n);
                out.add(device.download(cb));
                out.add(device.download(zb));
                device.denseForwardResidual(ab, bb, biasb, rb, zb, cb, m, k, n);
                out.add(device.download(cb));
                device.denseBackward(ab, bb, cb, db, wb, null, m, k, n);
                out.add(device.download(db));
                out.add(device.download(wb));
            }
            return out;
        } finally {
            device.useLargeGemmTiles(false);
            for (DeviceBuffer buffer : new DeviceBuffer[] {ab, bb, biasb, rb, cb, zb, db, wb}) {
                device.free(buffer);
            }
        }
    }

    @ParameterizedTest(name = "bias gradient as the weight gradient's extra row: {0} rows, {1} -> {2}, large tiles {3}")
    @CsvSource({"97,40,75,false", "300,130,129,false", "300,130,129,true", "1,33,40,false"})
    void biasGradientRidesOnTheWeightGradient(int rows, int in, int out, boolean largeTiles) {
        Random random = new Random(rows * 7L + in * 3L + out);
        float[] x = gaussian(random, rows * in, 0.5);
        float[] dy = gaussian(random, rows * out, 0.1);
        DeviceBuffer xb = d.upload(x);
        DeviceBuffer w = d.upload(gaussian(random, in * out, 0));
        DeviceBuffer dyb = d.upload(dy);
        DeviceBuffer dw = d.allocate(in * out);
        DeviceBuffer db = d.allocate(out);
        DeviceBuffer dwAlone = d.allocate(in * out);
        try {
            d.useLargeGemmTiles(largeTiles);
            d.denseBackward(xb, w, dyb, null, dw, db, rows, in, out);
            d.denseBackward(xb, w, dyb, null, dwAlone, null, rows, in, out);
            assertThat(d.download(dw)).containsExactly(d.download(dwAlone));
            double[] ref = new double[out];
            double[] scale = new double[out];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    ref[o] += dy[r * out + o];
                    scale[o] += Math.abs(dy[r * out + o]);
                }
            }
            assertClose("db", ref, scale, d.download(db));
        } finally {
            d.useLargeGemmTiles(false);
            for (DeviceBuffer buffer : new DeviceBuffer[] {xb, w, dyb, dw, db, dwAlone}) {
                d.free(buffer);
            }
        }
    }

    @ParameterizedTest(name = "norms {0} x {1}")
    @CsvSource({"5,130", "3,1024", "2,4097", "7,257"})
    void layerNormAndRmsNormRows(int rows, int cols) {
        Random random = new Random(rows * 7919L + cols);
        float[] x = gaussian(random, rows * cols, 3);
        float[] g = gaussian(random, cols, 1);
        float[] beta = gaussian(random, cols, 0);
        float[] dy = gaussian(random, rows * cols, 0);
        DeviceBuffer xb = d.upload(x);
        DeviceBuffer gb = d.upload(g);
        DeviceBuffer bb = d.upload(beta);
        DeviceBuffer dyb = d.upload(dy);
        DeviceBuffer y = d.allocate(rows * cols);
        DeviceBuffer dx = d.allocate(rows * cols);
        DeviceBuffer mean = d.allocate(rows);
        DeviceBuffer rstd = d.allocate(rows);
        try {
            d.layerNormForward(xb, gb, bb, y, mean, rstd, rows, cols, 1e-5f);
            d.layerNormBackward(xb, gb, mean, rstd, dyb, dx, null, null, rows, cols);
            double[] yRef = new double[rows * cols];
            double[] yScale = new double[rows * cols];
            double[] dxRef = new double[rows * cols];
            double[] dxScale = new double[rows * cols];
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
                double rs = 1 / Math.sqrt(var / cols + 1e-5);
                double mg = 0;
                double mgx = 0;
                double ag = 0;
                for (int j = 0; j < cols; j++) {
                    double xhat = (x[r * cols + j] - mu) * rs;
                    yRef[r * cols + j] = xhat * g[j] + beta[j];
                    // The terms of y are x and the row's mean, each scaled by rstd gamma.
                    yScale[r * cols + j] = (Math.abs(x[r * cols + j]) + Math.abs(mu)) * rs * Math.abs(g[j]) + Math.abs(beta[j]);
                    double e = dy[r * cols + j] * g[j];
                    mg += e / cols;
                    mgx += e * xhat / cols;
                    ag += Math.abs(e) / cols;
                }
                for (int j = 0; j < cols; j++) {
                    double xhat = (x[r * cols + j] - mu) * rs;
                    dxRef[r * cols + j] = rs * (dy[r * cols + j] * g[j] - mg - xhat * mgx);
                    dxScale[r * cols + j] = rs * (Math.abs(dy[r * cols + j] * g[j]) + ag + Math.abs(xhat) * ag * 4);
                }
            }
            assertClose("LayerNorm y", yRef, yScale, d.download(y));
            assertClose("LayerNorm dx", dxRef, dxScale, d.download(dx));

            d.rmsNormForward(xb, gb, y, rstd, rows, cols, 1e-5f);
            d.rmsNormBackward(xb, gb, rstd, dyb, dx, null, rows, cols);
            for (int r = 0; r < rows; r++) {
                double ms = 0;
                for (int j = 0; j < cols; j++) {
                    ms += (double) x[r * cols + j] * x[r * cols + j];
                }
                double rr = 1 / Math.sqrt(ms / cols + 1e-5);
                double k = 0;
                double ak = 0;
                for (int j = 0; j < cols; j++) {
                    k += dy[r * cols + j] * g[j] * x[r * cols + j];
                    ak += Math.abs(dy[r * cols + j] * g[j] * x[r * cols + j]);
                }
                k *= rr * rr / cols;
                ak *= rr * rr / cols;
                for (int j = 0; j < cols; j++) {
                    yRef[r * cols + j] = x[r * cols + j] * rr * g[j];
                    yScale[r * cols + j] = Math.abs(yRef[r * cols + j]);
                    dxRef[r * cols + j] = rr * (dy[r * cols + j] * g[j] - x[r * cols + j] * k);
                    dxScale[r * cols + j] = rr * (Math.abs(dy[r * cols + j] * g[j]) + Math.abs(x[r * cols + j]) * ak);
                }
            }
            assertClose("RMSNorm y", yRef, yScale, d.download(y));
            assertClose("RMSNorm dx", dxRef, dxScale, d.download(dx));
        } finally {
            for (DeviceBuffer b : new DeviceBuffer[] {xb, gb, bb, dyb, y, dx, mean, rstd}) {
                d.free(b);
            }
        }
    }

    @ParameterizedTest(name = "parameter-gradient sums over {0} rows of {1}")
    @CsvSource({"1,130", "1023,7", "2048,33", "2049,5", "4097,3"})
    void biasAndNormParameterGradientSums(int rows, int cols) {
        Random random = new Random(rows * 131L + cols);
        float[] x = gaussian(random, rows * cols, 1);
        float[] dy = gaussian(random, rows * cols, 0);
        DeviceBuffer xb = d.upload(x);
        DeviceBuffer dyb = d.upload(dy);
        DeviceBuffer w = d.upload(gaussian(random, cols * cols, 0));
        DeviceBuffer y = d.allocate(rows * cols);
        DeviceBuffer mean = d.allocate(rows);
        DeviceBuffer rstd = d.allocate(rows);
        DeviceBuffer dgamma = d.allocate(cols);
        DeviceBuffer dbeta = d.allocate(cols);
        DeviceBuffer db = d.allocate(cols);
        try {
            d.layerNormForward(xb, null, null, y, mean, rstd, rows, cols, 1e-5f);
            d.layerNormBackward(xb, null, mean, rstd, dyb, null, dgamma, dbeta, rows, cols);
            float[] dg = d.download(dgamma);
            float[] dbt = d.download(dbeta);
            d.rmsNormForward(xb, null, y, rstd, rows, cols, 1e-5f);
            d.rmsNormBackward(xb, null, rstd, dyb, null, dgamma, rows, cols);
            float[] dgRms = d.download(dgamma);
            d.denseBackward(xb, w, dyb, null, null, db, rows, cols, cols);
            float[] dbias = d.download(db);
            double[][] ln = new double[4][cols];
            double[][] rms = new double[2][cols];
            for (int r = 0; r < rows; r++) {
                double mu = 0;
                double ms = 0;
                for (int j = 0; j < cols; j++) {
                    mu += x[r * cols + j];
                    ms += (double) x[r * cols + j] * x[r * cols + j];
                }
                mu /= cols;
                double var = 0;
                for (int j = 0; j < cols; j++) {
                    var += (x[r * cols + j] - mu) * (x[r * cols + j] - mu);
                }
                double rs = 1 / Math.sqrt(var / cols + 1e-5);
                double rr = 1 / Math.sqrt(ms / cols + 1e-5);
                for (int j = 0; j < cols; j++) {
                    double g = dy[r * cols + j];
                    ln[0][j] += g * (x[r * cols + j] - mu) * rs;
                    ln[1][j] += Math.abs(g) * (Math.abs(x[r * cols + j]) + Math.abs(mu)) * rs;
                    ln[2][j] += g;
                    ln[3][j] += Math.abs(g);
                    rms[0][j] += g * x[r * cols + j] * rr;
                    rms[1][j] += Math.abs(g * x[r * cols + j] * rr);
                }
            }
            assertClose("LayerNorm dgamma", ln[0], ln[1], dg);
            assertClose("LayerNorm dbeta", ln[2], ln[3], dbt);
            assertClose("RMSNorm dgamma", rms[0], rms[1], dgRms);
            assertClose("dense db", ln[2], ln[3], dbias);
        } finally {
            for (DeviceBuffer b : new DeviceBuffer[] {xb, dyb, w, y, mean, rstd, dgamma, dbeta, db}) {
                d.free(b);
            }
        }
    }

    @ParameterizedTest(name = "fill and copy {0}")
    @CsvSource({"65536", "70001", "262147"})
    void wideFillAndCopyAreExact(int floats) {
        float[] a = gaussian(new Random(floats), floats, 0);
        DeviceBuffer src = d.upload(a);
        DeviceBuffer dst = d.allocate(floats + 5);
        try {
            d.fill(dst, 7f);
            assertThat(d.download(dst)).containsOnly(7f);
            d.fill(dst, 9f);
            d.copy(src, dst.slice(0, floats));
            float[] back = d.download(dst);
            assertThat(java.util.Arrays.copyOf(back, floats)).containsExactly(a);
            assertThat(java.util.Arrays.copyOfRange(back, floats, floats + 5)).containsOnly(9f);
        } finally {
            d.free(src);
            d.free(dst);
        }
    }
}
