package org.flowbench.compute.train;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * Exponential moving average of the parameters, {@code ema = d ema + (1 - d) p} after each step,
 * kept on the device. Sampling from the average is smoother than from the last iterate.
 */
public final class WeightAverage implements AutoCloseable {

    private final ComputeDevice device;
    private final float decay;
    private final DeviceBuffer average;

    public WeightAverage(ComputeDevice device, DeviceBuffer parameters, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in (0, 1), got " + decay);
        }
        this.device = device;
        this.decay = (float) decay;
        this.average = device.allocate(parameters.length());
        device.copy(parameters, average);
    }

    public void update(DeviceBuffer parameters) {
        device.axpby(decay, average, 1 - decay, parameters, average);
    }

    public DeviceBuffer average() {
        return average;
    }

    public float[] values() {
        return device.download(average);
    }

    @Override
    public void close() {
        device.free(average);
    }
}
