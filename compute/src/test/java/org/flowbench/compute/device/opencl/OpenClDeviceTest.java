package org.flowbench.compute.device.opencl;

import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.Blocking;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.DeviceFailureException;
import org.flowbench.compute.device.DeviceKind;
import org.flowbench.compute.device.RowReduction;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/** The OpenCL device's own machinery: kernel codes, the memory pool, transfers and residency. */
class OpenClDeviceTest {

    @BeforeAll
    static void requireOpenCl() {
        if (OpenClDevices.list().isEmpty()) {
            fail("no OpenCL device: " + OpenClDevices.unavailableReason()
                    + ". Install an OpenCL driver (CI installs pocl-opencl-icd and ocl-icd-libopencl1).");
        }
    }

    private static float[] ramp(int n, float start) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = start + i * 0.5f;
        }
        return a;
    }

    @Test
    void kernelCodesAreTheEnumOrdinals() {
        assertThat(DeviceKernel.ACT_IDENTITY).isEqualTo(Activation.IDENTITY.ordinal());
        assertThat(DeviceKernel.ACT_RELU).isEqualTo(Activation.RELU.ordinal());
        assertThat(DeviceKernel.ACT_SILU).isEqualTo(Activation.SILU.ordinal());
        assertThat(DeviceKernel.ACT_SELU).isEqualTo(Activation.SELU.ordinal());
        assertThat(DeviceKernel.ACT_TANH).isEqualTo(Activation.TANH.ordinal());
        assertThat(DeviceKernel.ACT_GELU).isEqualTo(Activation.GELU.ordinal());
        assertThat(Activation.values()).hasSize(6);
        assertThat(DeviceKernel.RED_SUM).isEqualTo(RowReduction.SUM.ordinal());
        assertThat(DeviceKernel.RED_MEAN).isEqualTo(RowReduction.MEAN.ordinal());
        assertThat(DeviceKernel.RED_VARIANCE).isEqualTo(RowReduction.VARIANCE.ordinal());
        assertThat(DeviceKernel.RED_MAX_ABS).isEqualTo(RowReduction.MAX_ABS.ordinal());
        assertThat(RowReduction.values()).hasSize(4);
        assertThat(DeviceKernel.BLOCK_ROWS).isEqualTo(Blocking.BLOCK_ROWS);
    }

    @Test
    void describesItselfAsOpenCl() {
        try (OpenClDevice d = OpenClDevices.open(0)) {
            assertThat(d.kind()).isEqualTo(DeviceKind.OPENCL);
            assertThat(d.name()).isEqualTo("opencl:0");
            assertThat(d.info().computeUnits()).isPositive();
            assertThat(d.info().memoryBytes()).isPositive();
            assertThat(d.info().summary()).startsWith("opencl:0 · ");
            assertThat(d.isRunningOpenCl()).isTrue();
        }
    }

    @Test
    void poolGrowsWithoutLosingData() {
        try (OpenClDevice d = OpenClDevices.open(0)) {
            int n = OpenClDevice.INITIAL_POOL / 2 + 1000;
            DeviceBuffer a = d.upload(ramp(n, 1));
            DeviceBuffer b = d.upload(ramp(n, -7));
            DeviceBuffer c = d.upload(ramp(n, 3));
            assertThat(d.poolUsage()[0]).isGreaterThan(OpenClDevice.INITIAL_POOL);
            assertThat(d.download(a)).isEqualTo(ramp(n, 1));
            assertThat(d.download(b)).isEqualTo(ramp(n, -7));
            assertThat(d.download(c)).isEqualTo(ramp(n, 3));
            d.axpby(1, a, 1, b, c);
            float[] sum = d.download(c);
            assertThat(sum[n - 1]).isEqualTo((1 + (n - 1) * 0.5f) + (-7 + (n - 1) * 0.5f));
            assertThat(d.isRunningOpenCl()).isTrue();
        }
    }

    @Test
    void transfersLargerThanTheStagingArrayGoInChunks() {
        try (OpenClDevice d = OpenClDevices.open(0)) {
            int n = OpenClDevice.LARGE_STAGE + OpenClDevice.SMALL_STAGE + 17;
            float[] data = ramp(n, -100);
            DeviceBuffer a = d.upload(data);
            float[] back = new float[n + 2];
            d.download(a, 0, back, 1, n);
            assertThat(back[0]).isZero();
            assertThat(back[n + 1]).isZero();
            for (int i = 0; i < n; i++) {
                if (back[i + 1] != data[i]) {
                    fail("float " + i + " came back as " + back[i + 1] + ", sent " + data[i]);
                }
            }
        }
    }

    @Test
    void runningOutOfMemoryIsReportedBeforeAnythingIsLost() {
        try (OpenClDevice d = OpenClDevices.open(0, 1 << 20)) {
            DeviceBuffer a = d.upload(ramp(600_000, 2));
            assertThatThrownBy(() -> d.allocate(600_000))
                    .isInstanceOf(DeviceFailureException.class)
                    .hasMessageStartingWith("opencl:0: out of device memory")
                    .satisfies(e -> assertThat(((DeviceFailureException) e).isOutOfMemory()).isTrue());
            assertThat(d.download(a)).isEqualTo(ramp(600_000, 2));
            d.free(a);
            // Freed memory is reused: the same request now fits.
            DeviceBuffer b = d.allocate(600_000);
            assertThat(d.download(b)).isEqualTo(new float[600_000]);
        }
    }

    /**
     * A sampling loop as the flow labs run it: weights and particles uploaded once, 100 Euler
     * steps of a [x, t] -> 64 -> 64 -> 2 SiLU network on the device, three frames downloaded.
     * Only those frames travel back, and the trajectory matches the cpu device's.
     */
    @Test
    void samplingLoopKeepsEverythingResident() {
        int n = 1000;
        int hidden = 64;
        int steps = 100;
        Random r = new Random(5);
        float[] w1 = gaussian(r, 3 * hidden, 0.6);
        float[] b1 = gaussian(r, hidden, 0.1);
        float[] w2 = gaussian(r, hidden * hidden, 0.15);
        float[] b2 = gaussian(r, hidden, 0.1);
        float[] w3 = gaussian(r, hidden * 2, 0.15);
        float[] b3 = gaussian(r, 2, 0.1);
        float[] x0 = gaussian(r, n * 2, 1);
        float[][] cpuFrames;
        try (ComputeDevice cpu = new CpuDevice()) {
            cpuFrames = sample(cpu, n, hidden, steps, x0, w1, b1, w2, b2, w3, b3);
        }
        try (OpenClDevice cl = OpenClDevices.open(0)) {
            long[] before = cl.transferredFloats();
            float[][] clFrames = sample(cl, n, hidden, steps, x0, w1, b1, w2, b2, w3, b3);
            long[] after = cl.transferredFloats();
            long weights = w1.length + b1.length + w2.length + b2.length + w3.length + b3.length;
            assertThat(after[0] - before[0]).as("floats uploaded").isEqualTo(weights + x0.length);
            assertThat(after[1] - before[1]).as("floats downloaded").isEqualTo(3L * n * 2);
            for (int f = 0; f < 3; f++) {
                for (int i = 0; i < n * 2; i++) {
                    assertThat(clFrames[f][i]).as("frame %d, float %d", f, i)
                            .isCloseTo(cpuFrames[f][i], within(2e-4f * (1 + Math.abs(cpuFrames[f][i]))));
                }
            }
            assertThat(clFrames[2]).isNotEqualTo(clFrames[0]);
        }
    }

    private static float[] gaussian(Random r, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (sigma * r.nextGaussian());
        }
        return a;
    }

    private static float[][] sample(ComputeDevice d, int n, int hidden, int steps, float[] x0, float[] w1, float[] b1,
                                    float[] w2, float[] b2, float[] w3, float[] b3) {
        DeviceBuffer[] params = {d.upload(w1), d.upload(b1), d.upload(w2), d.upload(b2), d.upload(w3), d.upload(b3)};
        DeviceBuffer x = d.upload(x0);
        DeviceBuffer input = d.allocate(n * 3);
        DeviceBuffer h1 = d.allocate(n * hidden);
        DeviceBuffer h2 = d.allocate(n * hidden);
        DeviceBuffer v = d.allocate(n * 2);
        float[][] frames = new float[3][];
        float h = 1f / steps;
        frames[0] = d.download(x);
        for (int s = 0; s < steps; s++) {
            DeviceBuffer timeColumn = input;
            d.fill(timeColumn, s * h);
            d.copyColumns(x, 2, 0, input, 3, 0, n, 2);
            d.denseForward(input, params[0], params[1], h1, n, 3, hidden);
            d.activate(Activation.SILU, h1, h1);
            d.denseForward(h1, params[2], params[3], h2, n, hidden, hidden);
            d.activate(Activation.SILU, h2, h2);
            d.denseForward(h2, params[4], params[5], v, n, hidden, 2);
            d.eulerStep(x, v, h, x);
            if (s + 1 == steps / 2) {
                frames[1] = d.download(x);
            }
        }
        frames[2] = d.download(x);
        for (DeviceBuffer b : params) {
            d.free(b);
        }
        for (DeviceBuffer b : new DeviceBuffer[] {x, input, h1, h2, v}) {
            d.free(b);
        }
        return frames;
    }

    @Test
    void openingByNameGivesTheSameDeviceKind() {
        try (ComputeDevice d = ComputeDevices.open("opencl:0")) {
            assertThat(d).isInstanceOf(OpenClDevice.class);
            assertThat(((OpenClDevice) d).isRunningOpenCl()).isTrue();
        }
        assertThatThrownBy(() -> OpenClDevices.open(OpenClDevices.list().size()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no OpenCL device opencl:");
    }
}
