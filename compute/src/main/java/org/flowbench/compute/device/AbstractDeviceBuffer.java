package org.flowbench.compute.device;

/**
 * Common bookkeeping of a device's buffers: the owning device, the allocation a view belongs to,
 * the view's offset inside that allocation and its length. Devices subclass it with where the
 * floats actually are.
 */
public abstract class AbstractDeviceBuffer implements DeviceBuffer {

    private final ComputeDevice device;
    private final AbstractDeviceBuffer root;
    private final int offset;
    private final int length;
    private volatile boolean freed;

    /** An allocation of {@code length} floats. */
    protected AbstractDeviceBuffer(ComputeDevice device, int length) {
        this.device = device;
        this.root = this;
        this.offset = 0;
        this.length = length;
    }

    /** A view of {@code length} floats at {@code offset} (relative to the allocation) of {@code root}'s allocation. */
    protected AbstractDeviceBuffer(AbstractDeviceBuffer root, int offset, int length) {
        this.device = root.device;
        this.root = root.root;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public final int length() {
        return length;
    }

    @Override
    public final ComputeDevice device() {
        return device;
    }

    /** Offset of this view inside its allocation (0 for an allocation). */
    public final int offset() {
        return offset;
    }

    /** The allocation this buffer is, or is a view of. */
    public final AbstractDeviceBuffer root() {
        return root;
    }

    /** Whether this is an allocation rather than a view. */
    public final boolean isRoot() {
        return root == this;
    }

    @Override
    public final boolean isFreed() {
        return root.freed;
    }

    /** Marks the allocation freed; returns false when it already was. */
    protected final boolean markFreed() {
        synchronized (root) {
            if (root.freed) {
                return false;
            }
            root.freed = true;
            return true;
        }
    }

    @Override
    public final DeviceBuffer slice(int from, int sliceLength) {
        if (from < 0 || sliceLength < 0 || from > length - sliceLength) {
            throw new IllegalArgumentException("slice [" + from + ", " + ((long) from + sliceLength)
                    + ") is outside a buffer of " + length + " floats");
        }
        if (isFreed()) {
            throw new IllegalStateException("slice of a freed buffer");
        }
        return view(offset + from, sliceLength);
    }

    /** A view of this buffer's allocation at {@code allocationOffset}. */
    protected abstract AbstractDeviceBuffer view(int allocationOffset, int viewLength);

    @Override
    public String toString() {
        return device.name() + " buffer[" + length + (isRoot() ? "" : " @" + offset) + "]" + (isFreed() ? " (freed)" : "");
    }
}
