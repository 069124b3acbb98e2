package org.flowbench.compute.device;

import org.flowbench.compute.device.opencl.OpenClDevice;
import org.flowbench.compute.device.opencl.OpenClDevices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Opens the OpenCL device the tests run on, failing (never skipping) when there is none. */
final class OpenClTestSupport {

    private OpenClTestSupport() {
    }

    /** The preferred OpenCL device ({@code opencl}), checked to really run kernels on OpenCL. */
    static OpenClDevice openOpenCl() {
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
