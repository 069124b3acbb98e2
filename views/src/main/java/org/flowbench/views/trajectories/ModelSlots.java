package org.flowbench.views.trajectories;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.VelocityMlp;
import org.flowbench.views.device.JobDevices;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The lab's two panels' models and the devices they live on. Networks keep scratch buffers, so
 * every job that evaluates one runs inside {@link #withModels}, which holds the model lock. A
 * replaced model may still be in use by a job that started before, so it is retired and closed
 * by the next job that takes the lock (or by {@link #close}).
 *
 * <p>Slots are read and replaced on the FX thread; the lock and the retired list are shared with
 * the jobs' threads.
 */
final class ModelSlots implements AutoCloseable {

    /** Work on the models under the model lock. */
    @FunctionalInterface
    interface ModelWork<V> {
        V run() throws Exception;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final List<LoadedFlow> retired = new ArrayList<>();
    private final LoadedFlow[] slots = new LoadedFlow[2];
    private final JobDevices devices;
    private final Supplier<String> selectedDevice;

    /**
     * @param selectedDevice the device the user selected now (read on jobs' threads)
     * @param warnings       told when a device falls back to cpu
     */
    ModelSlots(Supplier<String> selectedDevice, Consumer<String> warnings) {
        this.selectedDevice = selectedDevice;
        this.devices = new JobDevices(warnings);
    }

    LoadedFlow get(int slot) {
        return slots[slot];
    }

    /** Both slots as they are now (either may be null). */
    LoadedFlow[] snapshot() {
        return slots.clone();
    }

    boolean bothFilled() {
        return slots[0] != null && slots[1] != null;
    }

    /** Puts {@code next} in {@code slot}; the model it replaces is retired. */
    void replace(int slot, LoadedFlow next) {
        LoadedFlow before = slots[slot];
        slots[slot] = next;
        if (before != null) {
            retire(before);
        }
    }

    /**
     * Runs {@code work} holding the model lock, after closing the models retired since the last
     * job.
     */
    <V> V withModels(ModelWork<V> work) throws Exception {
        lock.lockInterruptibly();
        try {
            synchronized (retired) {
                for (LoadedFlow flow : retired) {
                    free(flow);
                }
                retired.clear();
            }
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} on the device jobs use now (opened on this thread when the selection has
     * changed), holding it for the duration.
     */
    <V> V onDevice(DeviceWork<V> work) throws Exception {
        ComputeDevice on = devices.acquire(selectedDevice.get());
        try {
            return work.run(on);
        } finally {
            devices.release(on);
        }
    }

    /** Work that needs the job's device. */
    @FunctionalInterface
    interface DeviceWork<V> {
        V run(ComputeDevice device) throws Exception;
    }

    /** A model just created on its device: it holds that device until it is freed. */
    LoadedFlow held(LoadedFlow flow) {
        devices.hold(flow.model().device());
        return flow;
    }

    /** A copy of {@code flow} whose network lives on {@code on}. */
    LoadedFlow moved(LoadedFlow flow, ComputeDevice on) {
        VelocityMlp copy = VelocityMlp.withParameters(on, flow.model().architecture(), flow.model().parameterValues());
        return held(new LoadedFlow(flow.label(), copy, flow.metadata(), flow.oneStep()));
    }

    /**
     * Puts the models a sampling job moved to another device into their slots; a copy whose slot
     * has meanwhile got another model is retired instead.
     */
    void adopt(LoadedFlow[] sampled, LoadedFlow[] used) {
        for (int p = 0; p < slots.length; p++) {
            if (used[p] == sampled[p]) {
                continue;
            }
            LoadedFlow stale = used[p];
            if (slots[p] == sampled[p]) {
                slots[p] = used[p];
                stale = sampled[p];
            }
            retire(stale);
        }
    }

    /** Frees {@code flow} at the next job that takes the lock, unless a slot still shows it. */
    void retire(LoadedFlow flow) {
        if (flow == slots[0] || flow == slots[1]) {
            return;
        }
        synchronized (retired) {
            for (LoadedFlow r : retired) {
                if (r == flow) {
                    return;
                }
            }
            retired.add(flow);
        }
    }

    /** Frees a model now: it stops holding its device. */
    void free(LoadedFlow flow) {
        flow.model().close();
        devices.release(flow.model().device());
    }

    /** How many compute devices are open; for tests. */
    int openDevices() {
        return devices.openCount();
    }

    /** Frees every model and closes the devices; the application is quitting. */
    @Override
    public void close() {
        for (int p = 0; p < slots.length; p++) {
            LoadedFlow flow = slots[p];
            slots[p] = null;
            if (flow != null) {
                retire(flow);
            }
        }
        // A job still running holds the lock until the executor's shutdown has interrupted it;
        // the window must not hang on it, and the process is ending anyway.
        try {
            if (!lock.tryLock(2, java.util.concurrent.TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            synchronized (retired) {
                for (LoadedFlow flow : retired) {
                    free(flow);
                }
                retired.clear();
            }
        } finally {
            lock.unlock();
        }
        devices.close();
    }
}
