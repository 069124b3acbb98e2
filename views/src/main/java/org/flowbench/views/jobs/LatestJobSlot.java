package org.flowbench.views.jobs;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A slot where the latest job wins: {@link #request} asks for a fresh job, and a burst of
 * requests within one event (a lesson button that sets two parameters, a session that restores
 * ten) starts one job, built when the burst is over so it sees every change. Starting a job
 * cancels the one before it; its late result is never delivered, because a cancelled job's
 * success callback does not run.
 *
 * <p>Used from the FX thread only (or, in tests, from one thread with a direct {@code later}).
 */
public final class LatestJobSlot {

    private final TaskExecutor executor;
    private final Executor later;
    private Supplier<BackgroundTask<?>> pending;
    private boolean scheduled;
    private JobHandle running;
    private int started;

    /**
     * @param later runs the coalesced request after the current event (Platform.runLater in the
     *              window); a direct executor makes every request start its job at once
     */
    public LatestJobSlot(TaskExecutor executor, Executor later) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.later = Objects.requireNonNull(later, "later");
    }

    /**
     * Asks for the job {@code factory} builds. The factory runs once, after the current burst of
     * requests; it may return null when there is nothing to do (no model loaded yet).
     */
    public void request(Supplier<BackgroundTask<?>> factory) {
        pending = Objects.requireNonNull(factory, "factory");
        if (!scheduled) {
            scheduled = true;
            later.execute(this::startPending);
        }
    }

    /** Cancels the running job and any request not started yet. */
    public void cancel() {
        pending = null;
        if (running != null) {
            running.cancel();
        }
    }

    /** Whether a job of this slot is running. */
    public boolean isRunning() {
        return running != null && !running.isDone();
    }

    /** Whether a job of this slot is running or asked for and about to start. */
    public boolean isBusy() {
        return scheduled || isRunning();
    }

    /** How many jobs this slot has started; for tests of the coalescing. */
    public int startedCount() {
        return started;
    }

    private void startPending() {
        scheduled = false;
        Supplier<BackgroundTask<?>> factory = pending;
        pending = null;
        if (factory == null) {
            return;
        }
        BackgroundTask<?> task = factory.get();
        if (task == null) {
            return;
        }
        if (running != null) {
            running.cancel();
        }
        started++;
        running = task.executeWith(executor);
    }
}
