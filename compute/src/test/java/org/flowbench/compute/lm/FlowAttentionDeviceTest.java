package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.device.opencl.OpenClDevice;
import org.flowbench.compute.device.opencl.OpenClDevices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.data.Offset.offset;

/**
 * The device ops of causal flow attention ({@link ComputeDevice#flowAttentionForward} and its
 * backward) on cpu and OpenCL against {@link FlowAttention}, the double-precision host
 * evaluation (itself checked against the paper's direct formulas and by central differences),
 * on awkward sizes; the cpu backward against central differences of the cpu forward; causality
 * and byte-for-byte reproducibility on the devices.
 */
class FlowAttentionDeviceTest {

    /**
     * Float tolerance relative to the largest magnitude of the result: the sums run over up to
     * 64 positions and the backward chains several of them. On PoCL and cpu the errors measured
     * lie between 1e-7 and 1e-6 (forward) and below 1e-6 (backward); the margin leaves room for
     * OpenCL's exp, which may be 3 ulp off.
     */
    static final double FORWARD_RTOL = 5e-6;
    static final double BACKWARD_RTOL = 5e-5;

    private static ComputeDevice cpu;
    private static ComputeDevice cl;

    @BeforeAll
    static void open() {
        if (OpenClDevices.list().isEmpty()) {
            fail("no OpenCL device, so the OpenCL path cannot be tested: " + OpenClDevices.unavailableReason());
        }
        OpenClDevice d = (OpenClDevice) ComputeDevices.open(ComputeDevices.OPENCL);
        assertThat(d.isRunningOpenCl()).as("%s runs on OpenCL", d.name()).isTrue();
        cl = d;
        cpu = new CpuDevice();
    }

    @AfterAll
    static void close() {
        if (cl != null) {
            cl.close();
        }
        if (cpu != null) {
            cpu.close();
        }
    }

    private static List<ComputeDevice> devices() {
        return List.of(cpu, cl);
    }

    private static int savedFloats(int bh, int seq, int e) {
        return (int) ComputeDevice.flowAttentionSavedFloats(bh, seq, e);
    }

    /** out and saved of the device forward. */
    private static float[][] forward(ComputeDevice d, float[] qkv, int bh, int seq, int e) {
        DeviceBuffer x = d.upload(qkv);
        DeviceBuffer out = d.allocate(bh * seq * e);
        DeviceBuffer saved = d.allocate(savedFloats(bh, seq, e));
        d.flowAttentionForward(x, out, saved, bh, seq, e);
        float[][] result = {d.download(out), d.download(saved)};
        d.free(x);
        d.free(out);
        d.free(saved);
        return result;
    }

    private static float[] backward(ComputeDevice d, float[] qkv, float[] dout, int bh, int seq, int e) {
        DeviceBuffer x = d.upload(qkv);
        DeviceBuffer out = d.allocate(bh * seq * e);
        DeviceBuffer saved = d.allocate(savedFloats(bh, seq, e));
        DeviceBuffer g = d.upload(dout);
        DeviceBuffer dx = d.allocate(qkv.length);
        d.flowAttentionForward(x, out, saved, bh, seq, e);
        d.flowAttentionBackward(x, saved, g, dx, bh, seq, e);
        float[] result = d.download(dx);
        for (DeviceBuffer b : new DeviceBuffer[] {x, out, saved, g, dx}) {
            d.free(b);
        }
        return result;
    }

    private static void assertClose(float[] actual, float[] expected, double rtol, String what) {
        assertThat(actual).as(what).hasSize(expected.length);
        double largest = 0;
        for (float v : expected) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertThat(largest).as("%s is not trivially zero", what).isGreaterThan(0);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s[%d]", what, i)
                    .isCloseTo(expected[i], offset(rtol * (largest + Math.abs(expected[i]))));
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "1,3,7", "2,17,16", "3,64,16", "5,64,7", "4,17,1", "2,64,1", "7,3,16", "1,1,16"})
    void forwardMatchesTheDoublePrecisionEvaluation(int bh, int seq, int e) {
        int slab = bh * seq * e;
        float[] qkv = FlowAttentionTest.random(3 * slab, 1.5, 31L * seq + e);
        float[] want = new float[slab];
        float[] allocation = new float[bh * seq];
        float[] competition = new float[bh * seq];
        FlowAttention.forward(qkv, want, allocation, competition, bh, seq, e);
        int w = ComputeDevice.FLOW_SAVED_VECTORS * e + ComputeDevice.FLOW_SAVED_SCALARS;
        for (ComputeDevice d : devices()) {
            float[][] got = forward(d, qkv, bh, seq, e);
            assertClose(got[0], want, FORWARD_RTOL, d.name() + " out");
            float[] alloc = new float[bh * seq];
            float[] comp = new float[bh * seq];
            for (int p = 0; p < bh * seq; p++) {
                comp[p] = got[1][p * w + ComputeDevice.FLOW_SAVED_VECTORS * e + 4];
                alloc[p] = got[1][p * w + ComputeDevice.FLOW_SAVED_VECTORS * e + 5];
            }
            assertClose(alloc, allocation, FORWARD_RTOL, d.name() + " allocation");
            assertClose(comp, competition, FORWARD_RTOL, d.name() + " competition");
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1,1.5", "1,3,7,1.5", "2,17,16,1.5", "3,64,16,1.5", "5,64,7,0.5", "4,17,1,3", "2,64,1,1.5",
            "7,3,16,3", "1,1,16,0.5"})
    void backwardMatchesTheDoublePrecisionEvaluation(int bh, int seq, int e, double spread) {
        int slab = bh * seq * e;
        float[] qkv = FlowAttentionTest.random(3 * slab, spread, 17L * seq + e);
        float[] dout = FlowAttentionTest.random(slab, 1, 5L * seq + e);
        float[] want = new float[3 * slab];
        FlowAttention.backward(qkv, dout, want, bh, seq, e);
        for (ComputeDevice d : devices()) {
            // One scale for all three: with one position the query gradient is a cancellation of
            // terms as large as the value gradient, and float rounds those terms.
            assertClose(backward(d, qkv, dout, bh, seq, e), want, BACKWARD_RTOL, d.name() + " dqkv");
        }
    }

    /** {@code sum(out * r)} with out from the cpu device's forward, in double. */
    private static double deviceLoss(float[] qkv, float[] r, int bh, int seq, int e) {
        float[] out = forward(cpu, qkv, bh, seq, e)[0];
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += (double) out[i] * r[i];
        }
        return s;
    }

    @Test
    void theCpuBackwardMatchesCentralDifferencesOfTheCpuForward() {
        int bh = 2;
        int seq = 7;
        int e = 4;
        int n = 3 * bh * seq * e;
        float[] qkv = FlowAttentionTest.random(n, 1.0, 41);
        float[] r = FlowAttentionTest.random(bh * seq * e, 1, 42);
        float[] grad = backward(cpu, qkv, r, bh, seq, e);
        float h = 1e-2f;
        double largest = 0;
        for (int i = 0; i < n; i++) {
            float keep = qkv[i];
            qkv[i] = keep + h;
            double plus = deviceLoss(qkv, r, bh, seq, e);
            qkv[i] = keep - h;
            double minus = deviceLoss(qkv, r, bh, seq, e);
            qkv[i] = keep;
            double numeric = (plus - minus) / (2.0 * h);
            largest = Math.max(largest, Math.abs(numeric));
            String part = i < n / 3 ? "q" : i < 2 * n / 3 ? "k" : "v";
            assertThat((double) grad[i]).as("d/d%s[%d]", part, i % (n / 3))
                    .isCloseTo(numeric, offset(2e-3 + 1e-2 * Math.abs(numeric)));
        }
        assertThat(largest).isGreaterThan(1e-1);
    }

    @Test
    void anOutputNeverDependsOnLaterPositionsOnEitherDevice() {
        int bh = 3;
        int seq = 17;
        int e = 7;
        int slab = bh * seq * e;
        float[] qkv = FlowAttentionTest.random(3 * slab, 1, 51);
        for (ComputeDevice d : devices()) {
            float[] before = forward(d, qkv, bh, seq, e)[0];
            for (int cut : new int[] {0, 5, seq - 2}) {
                float[] changed = qkv.clone();
                SeededRandom rnd = new SeededRandom(cut);
                for (int part = 0; part < 3; part++) {
                    for (int b = 0; b < bh; b++) {
                        for (int t = cut + 1; t < seq; t++) {
                            for (int k = 0; k < e; k++) {
                                changed[part * slab + (b * seq + t) * e + k] += (float) (2 * rnd.nextGaussian());
                            }
                        }
                    }
                }
                float[] after = forward(d, changed, bh, seq, e)[0];
                boolean laterChanged = false;
                for (int b = 0; b < bh; b++) {
                    for (int t = 0; t < seq; t++) {
                        for (int k = 0; k < e; k++) {
                            int i = (b * seq + t) * e + k;
                            if (t <= cut) {
                                assertThat(after[i]).as("%s: out[%d, %d, %d] after changing positions > %d", d.name(),
                                        b, t, k, cut).isEqualTo(before[i]);
                            } else if (after[i] != before[i]) {
                                laterChanged = true;
                            }
                        }
                    }
                }
                assertThat(laterChanged).as("%s: the changed positions' outputs change", d.name()).isTrue();
            }
        }
    }

    @Test
    void theCpuDeviceGivesTheSameBytesWhateverItsThreadCount() {
        int bh = 6;
        int seq = 33;
        int e = 8;
        int slab = bh * seq * e;
        float[] qkv = FlowAttentionTest.random(3 * slab, 1, 61);
        float[] dout = FlowAttentionTest.random(slab, 1, 62);
        try (CpuDevice one = new CpuDevice(1); CpuDevice three = new CpuDevice(3)) {
            assertThat(forward(three, qkv, bh, seq, e)[0]).containsExactly(forward(one, qkv, bh, seq, e)[0]);
            assertThat(backward(three, qkv, dout, bh, seq, e)).containsExactly(backward(one, qkv, dout, bh, seq, e));
        }
    }

    @Test
    void aSavedBufferOfTheWrongSizeOrAnOverlappingOutputIsRefused() {
        int bh = 2;
        int seq = 3;
        int e = 4;
        int slab = bh * seq * e;
        for (ComputeDevice d : devices()) {
            DeviceBuffer x = d.allocate(3 * slab);
            DeviceBuffer out = d.allocate(slab);
            DeviceBuffer small = d.allocate(savedFloats(bh, seq, e) - 1);
            assertThatThrownBy(() -> d.flowAttentionForward(x, out, small, bh, seq, e))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("saved");
            DeviceBuffer saved = d.allocate(savedFloats(bh, seq, e));
            assertThatThrownBy(() -> d.flowAttentionForward(x, x.slice(0, slab), saved, bh, seq, e))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out must not overlap qkv");
            assertThatThrownBy(() -> d.flowAttentionBackward(x, saved, out, x, bh, seq, e))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dqkv must not overlap qkv");
            assertThatThrownBy(() -> d.flowAttentionForward(x, out, saved, bh, 0, e))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq");
            for (DeviceBuffer b : new DeviceBuffer[] {x, out, small, saved}) {
                d.free(b);
            }
        }
    }
}
