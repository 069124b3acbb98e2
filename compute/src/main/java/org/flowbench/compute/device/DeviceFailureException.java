package org.flowbench.compute.device;

/**
 * A device could not run a kernel: it failed to compile, the device ran out of memory, or the
 * driver reported an error. {@link ComputeDevices#withFallback} catches it and continues on cpu.
 */
public class DeviceFailureException extends RuntimeException {

    private final boolean outOfMemory;

    public DeviceFailureException(String message, boolean outOfMemory, Throwable cause) {
        super(message, cause);
        this.outOfMemory = outOfMemory;
    }

    public DeviceFailureException(String message, boolean outOfMemory) {
        this(message, outOfMemory, null);
    }

    /** True when the failure is an exhausted device memory (the data already on the device is intact). */
    public boolean isOutOfMemory() {
        return outOfMemory;
    }
}
