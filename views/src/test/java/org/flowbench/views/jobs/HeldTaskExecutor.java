package org.flowbench.views.jobs;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Holds every submitted task until the test runs it, as a slow worker thread would: what the
 * user does while a job is "running" can then be tested on one thread. A cancelled task never
 * runs and reports its cancellation.
 */
public final class HeldTaskExecutor implements TaskExecutor {

    private final CurrentThreadTaskExecutor runner = new CurrentThreadTaskExecutor();
    private final Deque<Held<?>> held = new ArrayDeque<>();

    private static final class Held<V> implements JobHandle {
        final BackgroundTask<V> task;
        boolean cancelled;
        boolean done;

        Held(BackgroundTask<V> task) {
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isDone() {
            return done;
        }
    }

    @Override
    public <V> JobHandle execute(BackgroundTask<V> task) {
        Held<V> h = new Held<>(task);
        held.add(h);
        return h;
    }

    /** How many tasks wait. */
    public int waiting() {
        return held.size();
    }

    /** Runs the waiting tasks in order (and those they submit), to completion. */
    public void runAll() {
        while (!held.isEmpty()) {
            Held<?> h = held.poll();
            h.done = true;
            if (h.cancelled) {
                h.task.fireCancelled();
                h.task.fireFinished();
            } else {
                runner.execute(h.task);
            }
        }
    }
}
