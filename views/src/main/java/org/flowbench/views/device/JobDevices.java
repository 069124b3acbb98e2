package org.flowbench.views.device;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The compute devices of a lab's jobs. A job asks for the device the user has selected now;
 * when the selection has changed since the last job, the new device is opened there and then, on
 * the job's thread (opening an OpenCL device compiles kernels, which must not hold up the
 * window). Jobs and the models living on a device hold it; a device that has been replaced is
 * closed as soon as nothing holds it any more. Thread-safe.
 */
public final class JobDevices {

    private final Consumer<String> warnings;
    private final Map<ComputeDevice, Integer> holds = new IdentityHashMap<>();
    private ComputeDevice current;
    private String currentName;

    /** @param warnings told when a device falls back to cpu (called on the job's thread) */
    public JobDevices(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    /**
     * The device named {@code selected} (cpu, opencl:N, best), opened if it is not the current
     * one, and held for the caller until {@link #release}.
     *
     * @throws IllegalArgumentException for an unknown or missing device (the current one stays)
     */
    public synchronized ComputeDevice acquire(String selected) {
        if (current == null || !selected.equals(currentName)) {
            ComputeDevice opened = ComputeDevices.openWithFallback(selected, warnings);
            ComputeDevice replaced = current;
            current = opened;
            currentName = selected;
            if (replaced != null) {
                closeIfFree(replaced);
            }
        }
        hold(current);
        return current;
    }

    /** One more holder of {@code device} (a model created on it). */
    public synchronized void hold(ComputeDevice device) {
        holds.merge(device, 1, Integer::sum);
    }

    /** One holder fewer; a replaced device nobody holds is closed. */
    public synchronized void release(ComputeDevice device) {
        Integer count = holds.get(device);
        if (count == null) {
            throw new IllegalStateException("device " + device.name() + " released more often than held");
        }
        if (count == 1) {
            holds.remove(device);
        } else {
            holds.put(device, count - 1);
        }
        closeIfFree(device);
    }

    /** Whether {@code device} is the one jobs get for {@code selected} now. */
    public synchronized boolean isCurrent(ComputeDevice device, String selected) {
        return device == current && selected.equals(currentName);
    }

    /** How many devices are open (the current one and replaced ones still held); for tests. */
    public synchronized int openCount() {
        int open = current == null ? 0 : 1;
        for (ComputeDevice d : holds.keySet()) {
            open += d == current ? 0 : 1;
        }
        return open;
    }

    private void closeIfFree(ComputeDevice device) {
        if (device != current && !holds.containsKey(device)) {
            device.close();
        }
    }

    /**
     * Closes the current device; the application is quitting and every model has been closed.
     * A device still held by a running job is closed when that job releases it.
     */
    public synchronized void close() {
        ComputeDevice last = current;
        current = null;
        currentName = null;
        if (last != null) {
            closeIfFree(last);
        }
    }
}
