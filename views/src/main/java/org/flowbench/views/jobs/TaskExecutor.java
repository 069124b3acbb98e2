package org.flowbench.views.jobs;

/** Runs background tasks. The FX implementation uses worker threads; tests use the current thread. */
public interface TaskExecutor {

    <V> JobHandle execute(BackgroundTask<V> task);

    /** Stops accepting work and cancels what is running. */
    default void shutdown() {
    }
}
