package org.flowbench.compute.ode;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * A velocity field that reads and writes buffers resident on a {@link ComputeDevice}, so a
 * sampling loop can keep the particles on the device and download only the frames it records
 * (the device sampling benchmark's Euler loop).
 */
public interface DeviceVelocityField {

    /** The device whose buffers {@link #velocity} takes. */
    ComputeDevice device();

    /**
     * Writes v(x_i, t) for the first {@code n} particles.
     *
     * @param x {@code [n*2]} positions on {@link #device()} (read only)
     * @param v {@code [n*2]} velocities on {@link #device()} (written; never the same buffer as x)
     */
    void velocity(DeviceBuffer x, int n, float t, DeviceBuffer v);
}
