package org.flowbench.compute.device;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Transformer primitives (head split/merge, batched products, causal softmax and its
 * gradient, cross-entropy, embedding gather/scatter) on cpu and on OpenCL, each against its
 * definition evaluated in double precision, over awkward sizes. Tolerance: {@value #RTOL}
 * relative to the sum of absolute terms of each result (plus 1e-6 absolute for exponentials).
 */
class TransformerOpsParityTest {

    static final double RTOL = 1e-5;

    @RegisterExtension
    static final TestDevices DEVICES = new TestDevices();

    private static List<ComputeDevice> devices() {
        return List.of(DEVICES.cpu(), DEVICES.cl());
    }

    private static float[] random(Random rnd, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * scale);
        }
        return x;
    }

    private static void close(float[] actual, double[] expected, double[] scale, String what) {
        assertThat(actual).as(what).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double tol = RTOL * (Math.abs(expected[i]) + scale[i]) + 1e-6;
            assertThat((double) actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(tol));
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1,1,1", "3,7,3,2,5", "2,13,1,3,4", "1,5,2,4,1"})
    void splitAndMergeHeadsAreExactInverses(int batch, int seq, int parts, int heads, int headDim) {
        int n = batch * seq * parts * heads * headDim;
        float[] src = random(new Random(n), n, 1);
        for (ComputeDevice d : devices()) {
            DeviceBuffer s = d.upload(src);
            DeviceBuffer split = d.allocate(n);
            DeviceBuffer back = d.allocate(n);
            d.splitHeads(s, split, batch, seq, parts, heads, headDim);
            float[] got = d.download(split);
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < seq; t++) {
                    for (int p = 0; p < parts; p++) {
                        for (int h = 0; h < heads; h++) {
                            for (int e = 0; e < headDim; e++) {
                                float want = src[(((b * seq + t) * parts + p) * heads + h) * headDim + e];
                                float have = got[((((p * batch + b) * heads + h) * seq + t) * headDim) + e];
                                assertThat(have).as("%s split", d.name()).isEqualTo(want);
                            }
                        }
                    }
                }
            }
            d.mergeHeads(split, back, batch, seq, parts, heads, headDim);
            assertThat(d.download(back)).as("%s merge(split(x))", d.name()).containsExactly(src);
            d.free(s);
            d.free(split);
            d.free(back);
        }
    }

    @ParameterizedTest
    // 2 x 20 x 16 x 13 and 6 x 64 x 32 x 64 are large enough for the cpu device's OpenBLAS path.
    @CsvSource({"1,1,1,1", "3,7,5,13", "2,13,1,4", "4,33,17,9", "2,20,16,13", "6,64,32,64", "3,70,65,66", "64,64,32,64", "1,130,257,67"})
    void batchedMatmulMatchesDoublePrecisionForEveryTransposition(int batch, int m, int k, int n) {
        Random rnd = new Random(31L * m + n);
        float[] a = random(rnd, batch * m * k, 1);
        float[] b = random(rnd, batch * k * n, 1);
        float alpha = 0.37f;
        for (int flags = 0; flags < 4; flags++) {
            boolean ta = (flags & 2) != 0;
            boolean tb = (flags & 1) != 0;
            double[] want = new double[batch * m * n];
            double[] scale = new double[want.length];
            for (int i = 0; i < batch; i++) {
                for (int r = 0; r < m; r++) {
                    for (int c = 0; c < n; c++) {
                        double t = 0;
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            double av = ta ? a[i * m * k + p * m + r] : a[i * m * k + r * k + p];
                            double bv = tb ? b[i * k * n + c * k + p] : b[i * k * n + p * n + c];
                            t += av * bv;
                            s += Math.abs(av * bv);
                        }
                        want[(i * m + r) * n + c] = alpha * t;
                        scale[(i * m + r) * n + c] = alpha * s;
                    }
                }
            }
            for (ComputeDevice d : devices()) {
                DeviceBuffer ab = d.upload(a);
                DeviceBuffer bb = d.upload(b);
                DeviceBuffer cb = d.allocate(batch * m * n);
                d.batchedMatmul(ab, ta, bb, tb, cb, batch, m, k, n, alpha);
                close(d.download(cb), want, scale, d.name() + " matmul transA=" + ta + " transB=" + tb);
                d.free(ab);
                d.free(bb);
                d.free(cb);
            }
        }
    }

    @Test
    void batchedMatmulGivesTheSameBytesOnOneThreadAndOnFour() {
        Random rnd = new Random(5);
        int batch = 7;
        float[] a = random(rnd, batch * 64 * 32, 1);
        float[] b = random(rnd, batch * 32 * 64, 1);
        float[][] got = new float[2][];
        int i = 0;
        for (int threads : new int[] {1, 4}) {
            try (ComputeDevice d = new CpuDevice(threads)) {
                DeviceBuffer c = d.allocate(batch * 64 * 64);
                d.batchedMatmul(d.upload(a), false, d.upload(b), false, c, batch, 64, 32, 64, 0.5f);
                got[i++] = d.download(c);
            }
        }
        assertThat(got[1]).containsExactly(got[0]);
    }

    @ParameterizedTest
    @CsvSource({"1,1", "6,3", "26,13", "130,65"})
    void causalSoftmaxAndItsGradientMatchTheDefinition(int rows, int seq) {
        Random rnd = new Random(rows * 7L + seq);
        float[] s = random(rnd, rows * seq, 3);
        float[] dp = random(rnd, rows * seq, 1);
        double[] p = new double[rows * seq];
        double[] ds = new double[rows * seq];
        double[] dsScale = new double[rows * seq];
        for (int r = 0; r < rows; r++) {
            int valid = r % seq + 1;
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < valid; j++) {
                mx = Math.max(mx, s[r * seq + j]);
            }
            double sum = 0;
            for (int j = 0; j < valid; j++) {
                sum += Math.exp(s[r * seq + j] - mx);
            }
            double dot = 0;
            for (int j = 0; j < valid; j++) {
                p[r * seq + j] = Math.exp(s[r * seq + j] - mx) / sum;
                dot += p[r * seq + j] * dp[r * seq + j];
            }
            for (int j = 0; j < valid; j++) {
                ds[r * seq + j] = p[r * seq + j] * (dp[r * seq + j] - dot);
                dsScale[r * seq + j] = p[r * seq + j] * (Math.abs(dp[r * seq + j]) + Math.abs(dot)) + 1e-5;
            }
        }
        for (ComputeDevice d : devices()) {
            DeviceBuffer sb = d.upload(s);
            DeviceBuffer pb = d.allocate(rows * seq);
            d.causalSoftmax(sb, pb, rows, seq);
            float[] got = d.download(pb);
            close(got, p, new double[p.length], d.name() + " causal softmax");
            DeviceBuffer dpb = d.upload(dp);
            d.softmaxBackward(pb, dpb, dpb, rows, seq);
            close(d.download(dpb), ds, dsScale, d.name() + " softmax backward (in place)");
            d.causalSoftmax(sb, sb, rows, seq);
            assertThat(d.download(sb)).as("%s in place", d.name()).containsExactly(got);
            d.free(sb);
            d.free(pb);
            d.free(dpb);
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1", "5,7", "33,257", "3,2"})
    void crossEntropyMatchesLogSumExpAndIgnoresMarkedRows(int rows, int classes) {
        Random rnd = new Random(rows * 13L + classes);
        float[] x = random(rnd, rows * classes, 4);
        float[] t = new float[rows];
        for (int r = 0; r < rows; r++) {
            t[r] = r % 4 == 3 ? -1 : rnd.nextInt(classes);
        }
        float scale = 0.25f;
        double[] loss = new double[rows];
        double[] grad = new double[rows * classes];
        for (int r = 0; r < rows; r++) {
            if (t[r] < 0) {
                continue;
            }
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                mx = Math.max(mx, x[r * classes + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(x[r * classes + j] - mx);
            }
            double lse = mx + Math.log(sum);
            loss[r] = lse - x[r * classes + (int) t[r]];
            for (int j = 0; j < classes; j++) {
                grad[r * classes + j] = scale * (Math.exp(x[r * classes + j] - lse) - (j == (int) t[r] ? 1 : 0));
            }
        }
        double[] lossScale = new double[rows];
        for (int r = 0; r < rows; r++) {
            lossScale[r] = 8 + Math.abs(loss[r]);
        }
        for (ComputeDevice d : devices()) {
            DeviceBuffer xb = d.upload(x);
            DeviceBuffer tb = d.upload(t);
            DeviceBuffer lb = d.allocate(rows);
            DeviceBuffer gb = d.allocate(rows * classes);
            d.crossEntropy(xb, tb, lb, gb, rows, classes, scale);
            close(d.download(lb), loss, lossScale, d.name() + " loss");
            close(d.download(gb), grad, new double[grad.length], d.name() + " dlogits");
            d.crossEntropy(xb, tb, lb, xb, rows, classes, scale);
            close(d.download(xb), grad, new double[grad.length], d.name() + " dlogits in place");
            d.free(xb);
            d.free(tb);
            d.free(lb);
            d.free(gb);
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "7,5,3", "37,13,11", "300,3,65"})
    void gatherAndScatterAreAdjoint(int rows, int cols, int tableRows) {
        Random rnd = new Random(rows + 101L * cols);
        float[] table = random(rnd, tableRows * cols, 1);
        float[] idx = new float[rows];
        for (int r = 0; r < rows; r++) {
            idx[r] = r % 5 == 4 ? tableRows : rnd.nextInt(tableRows); // some out of range
        }
        float[] base = random(rnd, rows * cols, 1);
        float[] dout = random(rnd, rows * cols, 1);
        for (ComputeDevice d : devices()) {
            DeviceBuffer tb = d.upload(table);
            DeviceBuffer ib = d.upload(idx);
            DeviceBuffer ob = d.upload(base);
            d.gatherRows(tb, ib, ob, rows, cols, tableRows, true);
            float[] acc = d.download(ob);
            d.gatherRows(tb, ib, ob, rows, cols, tableRows, false);
            float[] plain = d.download(ob);
            DeviceBuffer db = d.upload(dout);
            DeviceBuffer dt = d.upload(random(rnd, tableRows * cols, 1)); // overwritten
            d.scatterAddRows(db, ib, dt, rows, cols, tableRows);
            float[] dtable = d.download(dt);
            double[] want = new double[tableRows * cols];
            double[] scale = new double[want.length];
            for (int r = 0; r < rows; r++) {
                boolean in = idx[r] < tableRows;
                for (int j = 0; j < cols; j++) {
                    float v = in ? table[(int) idx[r] * cols + j] : 0f;
                    assertThat(plain[r * cols + j]).as("%s gather", d.name()).isEqualTo(v);
                    assertThat(acc[r * cols + j]).as("%s gather +=", d.name()).isEqualTo(base[r * cols + j] + v);
                    if (in) {
                        want[(int) idx[r] * cols + j] += dout[r * cols + j];
                        scale[(int) idx[r] * cols + j] += Math.abs(dout[r * cols + j]);
                    }
                }
            }
            close(dtable, want, scale, d.name() + " scatter");
            for (DeviceBuffer b : new DeviceBuffer[] {tb, ib, ob, db, dt}) {
                d.free(b);
            }
        }
    }

    @Test
    void rowsThatDoNotCountStayFiniteWhateverTheyHold() {
        for (ComputeDevice d : devices()) {
            DeviceBuffer logits = d.upload(new float[] {Float.POSITIVE_INFINITY, 1, 0, 1, 2, 3});
            DeviceBuffer targets = d.upload(new float[] {-1, 2});
            DeviceBuffer losses = d.allocate(2);
            DeviceBuffer grad = d.allocate(6);
            d.crossEntropy(logits, targets, losses, grad, 2, 3, 1f);
            assertThat(d.download(losses)[0]).as("%s ignored row", d.name()).isEqualTo(0f);
            assertThat(d.download(grad)).as("%s", d.name()).startsWith(0f, 0f, 0f);
            DeviceBuffer dout = d.upload(new float[] {Float.NaN, Float.NaN, 1, 2});
            DeviceBuffer idx = d.upload(new float[] {7, 0});
            DeviceBuffer table = d.allocate(4);
            d.scatterAddRows(dout, idx, table, 2, 2, 2);
            assertThat(d.download(table)).as("%s scatter", d.name()).containsExactly(1f, 2f, 0f, 0f);
            for (DeviceBuffer b : new DeviceBuffer[] {logits, targets, losses, grad, dout, idx, table}) {
                d.free(b);
            }
        }
    }

    @Test
    void badShapesAndOverlapsAreNamed() {
        ComputeDevice cpu = DEVICES.cpu();
        DeviceBuffer a = cpu.allocate(12);
        DeviceBuffer c = cpu.allocate(9);
        DeviceBuffer e = cpu.allocate(9);
        assertThatThrownBy(() -> cpu.batchedMatmul(a, false, c, false, e, 1, 3, 4, 3, 1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b has 9 floats");
        assertThatThrownBy(() -> cpu.batchedMatmul(a, false, a, true, a.slice(0, 9), 1, 3, 4, 3, 1f))
                .hasMessageContaining("c must not overlap a");
        assertThatThrownBy(() -> cpu.splitHeads(a, a, 1, 3, 1, 2, 2)).hasMessageContaining("must not overlap");
        assertThatThrownBy(() -> cpu.crossEntropy(a, c, c, null, 3, 4, 1f)).hasMessageContaining("targets has 9");
        assertThatThrownBy(() -> cpu.causalSoftmax(a, c, 3, 4)).hasMessageContaining("probs has 9");
        cpu.free(a);
        cpu.free(c);
        cpu.free(e);
    }
}
