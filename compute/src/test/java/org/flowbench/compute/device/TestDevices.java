package org.flowbench.compute.device;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.device.opencl.OpenClDevice;
import org.flowbench.compute.device.opencl.OpenClDevices;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The cpu device and the OpenCL device a test class compares: opened before the class's tests and
 * closed after them. No OpenCL device is a failure, not a skip. A test class registers one with
 * {@code @RegisterExtension static final TestDevices DEVICES = new TestDevices();}.
 */
public final class TestDevices implements BeforeAllCallback, AfterAllCallback {

    private ComputeDevice cpu;
    private OpenClDevice cl;

    @Override
    public void beforeAll(ExtensionContext context) {
        cl = openOpenCl();
        cpu = new CpuDevice();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cl != null) {
            cl.close();
            cl = null;
        }
        if (cpu != null) {
            cpu.close();
            cpu = null;
        }
    }

    public ComputeDevice cpu() {
        return cpu;
    }

    public OpenClDevice cl() {
        return cl;
    }

    /** The device a parameterized test names: {@code cpu}, else the OpenCL device. */
    public ComputeDevice named(String name) {
        return name.equals("cpu") ? cpu : cl;
    }

    /** The preferred OpenCL device ({@code opencl}), checked to really run kernels on OpenCL. */
    private static OpenClDevice openOpenCl() {
        if (OpenClDevices.list().isEmpty()) {
            fail("no OpenCL device, so the OpenCL path cannot be tested: " + OpenClDevices.unavailableReason()
                    + ". Install an OpenCL driver (CI installs pocl-opencl-icd and ocl-icd-libopencl1).");
        }
        OpenClDevice device = (OpenClDevice) ComputeDevices.open(ComputeDevices.OPENCL);
        assertThat(device.isRunningOpenCl()).as("%s runs on OpenCL rather than Aparapi's Java fallback", device.name())
                .isTrue();
        return device;
    }
}
