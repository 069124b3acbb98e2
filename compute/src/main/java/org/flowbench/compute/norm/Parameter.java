package org.flowbench.compute.norm;

import org.flowbench.compute.device.DeviceBuffer;

/** A trainable tensor of a layer and the buffer its backward pass writes the gradient into. */
public record Parameter(String name, DeviceBuffer value, DeviceBuffer gradient) {
}
