package org.flowbench.compute.device.opencl;

import org.flowbench.compute.device.AbstractDeviceBuffer;

/** An OpenCL buffer: a range of the device's memory pool starting at {@link #poolOffset()}. */
final class OpenClBuffer extends AbstractDeviceBuffer {

    /** Where the allocation starts in the pool. */
    private final int allocationStart;

    OpenClBuffer(OpenClDevice device, int allocationStart, int length) {
        super(device, length);
        this.allocationStart = allocationStart;
    }

    private OpenClBuffer(OpenClBuffer root, int offset, int length) {
        super(root, offset, length);
        this.allocationStart = root.allocationStart;
    }

    /** Index of this buffer's first float in the pool. */
    int poolOffset() {
        return allocationStart + offset();
    }

    int allocationStart() {
        return allocationStart;
    }

    @Override
    protected AbstractDeviceBuffer view(int allocationOffset, int viewLength) {
        return new OpenClBuffer((OpenClBuffer) root(), allocationOffset, viewLength);
    }
}
