package org.flowbench.compute.device;

/**
 * A block of floats that lives on one {@link ComputeDevice}. Obtain it from {@link
 * ComputeDevice#allocate(int)}, fill it with {@link ComputeDevice#upload}, read it with {@link
 * ComputeDevice#download} and release it with {@link ComputeDevice#free}. A {@link #slice slice}
 * is a view into its parent (no copy), so a model can keep all its parameters in one buffer and
 * hand each layer its weights and biases as slices; slices are never freed themselves.
 *
 * <p>Buffers are only meaningful to the device that made them; passing one to another device is
 * an error.
 */
public interface DeviceBuffer {

    /** Number of floats in this buffer (or view). */
    int length();

    /** The device that owns this buffer. */
    ComputeDevice device();

    /** A view of {@code length} floats starting at {@code offset} in this buffer. */
    DeviceBuffer slice(int offset, int length);

    /** Whether this buffer was freed (for a slice: whether its parent was). */
    boolean isFreed();
}
