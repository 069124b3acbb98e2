package org.flowbench.views.jobs;

import javafx.application.Platform;
import javafx.concurrent.Task;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs background tasks as JavaFX {@link Task}s on a small pool of daemon threads. Callbacks run
 * on the FX thread. Every submitted task is handed to {@code onSubmit} (the jobs panel shows it
 * with its progress and a cancel button).
 */
public final class FxTaskExecutor implements TaskExecutor {

    private final ExecutorService pool;
    private final Consumer<Task<?>> onSubmit;

    public FxTaskExecutor(Consumer<Task<?>> onSubmit) {
        this.onSubmit = Objects.requireNonNull(onSubmit);
        this.pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), daemonThreads());
    }

    @Override
    public <V> JobHandle execute(BackgroundTask<V> task) {
        FxJob<V> job = new FxJob<>(task);
        job.setOnRunning(e -> task.fireRunning());
        job.setOnSucceeded(e -> {
            try {
                task.fireSuccess(job.getValue());
            } finally {
                task.fireFinished();
            }
        });
        job.setOnFailed(e -> {
            try {
                Throwable error = job.getException();
                if (error instanceof CancellationException || error instanceof InterruptedException) {
                    task.fireCancelled();
                } else {
                    task.fireFailure(error);
                }
            } finally {
                task.fireFinished();
            }
        });
        job.setOnCancelled(e -> {
            try {
                task.fireCancelled();
            } finally {
                task.fireFinished();
            }
        });
        runOnFx(() -> onSubmit.accept(job));
        pool.execute(job);
        return new JobHandle() {
            @Override
            public void cancel() {
                job.cancel(true);
            }

            @Override
            public boolean isDone() {
                return job.isDone();
            }
        };
    }

    @Override
    public void shutdown() {
        pool.shutdownNow();
    }

    private static void runOnFx(Runnable action) {
        if (Platform.isFxApplicationThread()) {
            action.run();
        } else {
            Platform.runLater(action);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "flowbench-job-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The JavaFX task behind one BackgroundTask; its title, message and progress feed the jobs panel. */
    private static final class FxJob<V> extends Task<V> {
        private final BackgroundTask<V> task;

        FxJob(BackgroundTask<V> task) {
            this.task = task;
            updateTitle(task.title());
        }

        @Override
        protected V call() throws Exception {
            JobContext context = new JobContext() {
                @Override
                public void progress(double done, double total) {
                    updateProgress(done, total);
                }

                @Override
                public void message(String message) {
                    updateMessage(message);
                }

                @Override
                public boolean isCancelled() {
                    return FxJob.this.isCancelled() || Thread.currentThread().isInterrupted();
                }
            };
            updateMessage("running");
            return task.body().run(context);
        }
    }
}
