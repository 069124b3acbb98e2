package org.flowbench.compute.device;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.device.opencl.OpenClDevices;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Device names, the list and the default choice. */
class ComputeDevicesTest {

    @Test
    void listsCpuFirstThenEveryOpenClDevice() {
        List<DeviceInfo> all = ComputeDevices.list();
        assertThat(all.get(0).name()).isEqualTo("cpu");
        assertThat(all.get(0).kind()).isEqualTo(DeviceKind.CPU);
        assertThat(all.get(0).computeUnits()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(all).hasSize(1 + OpenClDevices.list().size());
        assertThat(OpenClDevices.list()).as("OpenCL devices (CI installs PoCL)").isNotEmpty();
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).name()).isEqualTo("opencl:" + (i - 1));
            assertThat(all.get(i).kind()).isEqualTo(DeviceKind.OPENCL);
        }
    }

    @Test
    void defaultIsAGpuWhenThereIsOneElseCpu() {
        boolean gpu = OpenClDevices.list().stream().anyMatch(d -> d.hardware().equals("GPU"));
        String expected = gpu ? "opencl:" + OpenClDevices.bestGpu() : "cpu";
        assertThat(ComputeDevices.defaultName()).isEqualTo(expected);
        assertThat(ComputeDevices.resolve("best")).isEqualTo(expected);
    }

    @Test
    void resolvesNamesAsUsersTypeThem() {
        assertThat(ComputeDevices.resolve(" CPU ")).isEqualTo("cpu");
        assertThat(ComputeDevices.resolve("opencl")).isEqualTo("opencl:" + OpenClDevices.preferred());
        assertThat(ComputeDevices.resolve("OpenCL:0")).isEqualTo("opencl:0");
    }

    @Test
    void unknownNamesAreOneLineErrorsNamingTheChoices() {
        int count = OpenClDevices.list().size();
        assertThatThrownBy(() -> ComputeDevices.resolve("gpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown device 'gpu' (expected cpu, best, opencl, opencl:0")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ComputeDevices.resolve("opencl:" + count))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no device 'opencl:" + count + "'");
        assertThatThrownBy(() -> ComputeDevices.resolve("opencl:x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown device 'opencl:x'");
        assertThatThrownBy(() -> ComputeDevices.resolve(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cpuOpensAsItselfEvenWithFallback() {
        try (ComputeDevice d = ComputeDevices.openWithFallback("cpu", w -> { })) {
            assertThat(d).isInstanceOf(CpuDevice.class);
            assertThat(d.info().summary()).startsWith("cpu · ");
        }
    }
}
