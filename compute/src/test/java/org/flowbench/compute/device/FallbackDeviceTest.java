package org.flowbench.compute.device;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.device.opencl.OpenClDevice;
import org.flowbench.compute.device.opencl.OpenClDevices;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Falling back to cpu: when the OpenCL kernels do not compile, and when the device runs out of memory. */
class FallbackDeviceTest {

    private static float[] ramp(int n, float start) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = start + i * 0.25f;
        }
        return a;
    }

    @Test
    void kernelsThatFailToCompileStartTheJobOnCpuWithOneWarning() {
        List<String> warnings = new ArrayList<>();
        try (FallbackDevice d = new FallbackDevice("opencl:0",
                () -> {
                    throw new DeviceFailureException("opencl:0: the OpenCL kernels failed to compile on X: "
                            + "error: use of undeclared identifier", false);
                }, CpuDevice::new, warnings::add)) {
            assertThat(d.fellBack()).isTrue();
            assertThat(d.name()).isEqualTo("cpu");
            assertThat(d.kind()).isEqualTo(DeviceKind.CPU);
            assertThat(warnings).singleElement().asString()
                    .startsWith("opencl:0 is not usable (opencl:0: the OpenCL kernels failed to compile")
                    .endsWith("running on cpu");
            DeviceBuffer x = d.upload(new float[] {1, 2, 3});
            d.axpby(2, x, 1, x, x);
            assertThat(d.download(x)).containsExactly(3, 6, 9);
        }
    }

    @Test
    void runningOutOfDeviceMemoryMovesEveryBufferToCpu() {
        if (OpenClDevices.list().isEmpty()) {
            throw new AssertionError("no OpenCL device: " + OpenClDevices.unavailableReason());
        }
        List<String> warnings = new ArrayList<>();
        // A device bounded to 4 MiB of memory, so the second large buffer does not fit.
        try (FallbackDevice d = new FallbackDevice("opencl:0", () -> OpenClDevices.open(0, 1 << 20), CpuDevice::new,
                warnings::add)) {
            assertThat(d.active()).isInstanceOf(OpenClDevice.class);
            DeviceBuffer a = d.upload(ramp(600_000, 1));
            DeviceBuffer tail = a.slice(599_990, 10);
            d.fill(tail, -1f);
            assertThat(warnings).isEmpty();

            DeviceBuffer b = d.upload(ramp(600_000, -5));

            assertThat(d.fellBack()).isTrue();
            assertThat(d.name()).isEqualTo("cpu");
            assertThat(warnings).singleElement().asString()
                    .startsWith("opencl:0 failed (opencl:0: out of device memory")
                    .endsWith("continuing on cpu");
            float[] expectedA = ramp(600_000, 1);
            java.util.Arrays.fill(expectedA, 599_990, 600_000, -1f);
            assertThat(d.download(a)).isEqualTo(expectedA);
            assertThat(d.download(b)).isEqualTo(ramp(600_000, -5));
            // Views cut before the move still address the same floats.
            d.fill(tail, 7f);
            assertThat(d.download(a)[599_995]).isEqualTo(7f);
            d.axpby(1, a, 1, b, b);
            assertThat(d.download(b)[10]).isEqualTo((1 + 10 * 0.25f) + (-5 + 10 * 0.25f));
            d.free(a);
            assertThat(a.isFreed()).isTrue();
        }
    }

    @Test
    void aHealthyDeviceNeverWarns() {
        List<String> warnings = new ArrayList<>();
        try (ComputeDevice d = ComputeDevices.openWithFallback("opencl", warnings::add)) {
            assertThat(d).isInstanceOf(FallbackDevice.class);
            assertThat(d.kind()).isEqualTo(DeviceKind.OPENCL);
            DeviceBuffer x = d.upload(new float[] {1, -2});
            d.activate(Activation.RELU, x, x);
            assertThat(d.download(x)).containsExactly(1, 0);
        }
        assertThat(warnings).isEmpty();
    }
}
