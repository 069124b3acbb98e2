package org.flowbench.views.jobs;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs each task to completion on the calling thread, callbacks included, so view models can be
 * tested without an FX thread. {@link #cancelNextAfter(int)} lets a test cancel a job after a
 * given number of progress reports, as a user pressing cancel mid-run would.
 */
public final class CurrentThreadTaskExecutor implements TaskExecutor {

    private int cancelAfterReports = -1;

    /** The next task executed is cancelled once it has reported progress {@code reports} times. */
    public void cancelNextAfter(int reports) {
        this.cancelAfterReports = reports;
    }

    @Override
    public <V> JobHandle execute(BackgroundTask<V> task) {
        AtomicBoolean cancelled = new AtomicBoolean();
        int limit = cancelAfterReports;
        cancelAfterReports = -1;
        JobContext context = new JobContext() {
            private int reports;

            @Override
            public void progress(double done, double total) {
                reports++;
                if (limit >= 0 && reports >= limit) {
                    cancelled.set(true);
                }
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
        task.fireRunning();
        try {
            V value = task.body().run(context);
            if (cancelled.get()) {
                task.fireCancelled();
            } else {
                task.fireSuccess(value);
            }
        } catch (CancellationException | InterruptedException e) {
            task.fireCancelled();
        } catch (Exception e) {
            if (cancelled.get()) {
                task.fireCancelled();
            } else {
                task.fireFailure(e);
            }
        } finally {
            task.fireFinished();
        }
        return new JobHandle() {
            @Override
            public void cancel() {
                cancelled.set(true);
            }

            @Override
            public boolean isDone() {
                return true;
            }
        };
    }
}
