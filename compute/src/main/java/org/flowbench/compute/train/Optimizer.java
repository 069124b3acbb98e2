package org.flowbench.compute.train;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * Adam or AdamW state on the device (first and second moments), updating a parameter buffer in
 * place from a gradient buffer of the same length. Not shared between threads.
 */
public final class Optimizer implements AutoCloseable {

    private final ComputeDevice device;
    private final OptimizerConfig config;
    private final DeviceBuffer firstMoment;
    private final DeviceBuffer secondMoment;
    private int step;

    public Optimizer(ComputeDevice device, OptimizerConfig config, int parameters) {
        this.device = device;
        this.config = config;
        this.firstMoment = device.allocate(parameters);
        this.secondMoment = device.allocate(parameters);
    }

    public OptimizerConfig config() {
        return config;
    }

    /** Number of updates made so far. */
    public int steps() {
        return step;
    }

    /** One update of {@code parameters} with {@code gradients}, at the configured learning rate. */
    public void step(DeviceBuffer parameters, DeviceBuffer gradients) {
        step(parameters, gradients, config.learningRate());
    }

    /** One update at a given learning rate (for schedules). */
    public void step(DeviceBuffer parameters, DeviceBuffer gradients, double learningRate) {
        step++;
        if (config.kind() == OptimizerConfig.Kind.ADAMW && config.weightDecay() > 0) {
            device.axpby((float) (1 - learningRate * config.weightDecay()), parameters, 0f, parameters, parameters);
        }
        device.adamStep(parameters, gradients, firstMoment, secondMoment, (float) learningRate,
                (float) config.beta1(), (float) config.beta2(), (float) config.epsilon(), step);
    }

    @Override
    public void close() {
        device.free(firstMoment);
        device.free(secondMoment);
    }
}
