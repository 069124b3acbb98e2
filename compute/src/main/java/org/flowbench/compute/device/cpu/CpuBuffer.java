package org.flowbench.compute.device.cpu;

import org.flowbench.compute.device.AbstractDeviceBuffer;

/** A cpu buffer: a window {@code [offset, offset + length)} of a Java float array. */
final class CpuBuffer extends AbstractDeviceBuffer {

    final float[] data;

    CpuBuffer(CpuDevice device, float[] data) {
        super(device, data.length);
        this.data = data;
    }

    private CpuBuffer(CpuBuffer root, int offset, int length) {
        super(root, offset, length);
        this.data = root.data;
    }

    @Override
    protected AbstractDeviceBuffer view(int allocationOffset, int viewLength) {
        return new CpuBuffer((CpuBuffer) root(), allocationOffset, viewLength);
    }
}
