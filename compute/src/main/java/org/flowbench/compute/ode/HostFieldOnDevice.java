package org.flowbench.compute.ode;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * Runs a host {@link VelocityField} inside a device sampling loop by downloading the positions
 * and uploading the velocities at every evaluation. For fields that have no device form (closed
 * forms, user code); a model that lives on the device should implement
 * {@link DeviceVelocityField} itself. Holds transfer arrays, so not for concurrent use.
 */
public final class HostFieldOnDevice implements DeviceVelocityField {
    private final ComputeDevice device;
    private final VelocityField field;
    private float[] x = new float[0];
    private float[] v = new float[0];

    public HostFieldOnDevice(ComputeDevice device, VelocityField field) {
        if (device == null || field == null) {
            throw new IllegalArgumentException("device and velocity field must not be null");
        }
        this.device = device;
        this.field = field;
    }

    @Override
    public ComputeDevice device() {
        return device;
    }

    @Override
    public void velocity(DeviceBuffer xs, int n, float t, DeviceBuffer vs) {
        int len = 2 * n;
        if (x.length < len) {
            x = new float[len];
            v = new float[len];
        }
        device.download(xs, 0, x, 0, len);
        field.velocity(x, n, t, v);
        device.upload(v, 0, vs, 0, len);
    }
}
