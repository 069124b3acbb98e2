package org.flowbench.views.jobs;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A unit of background work with a name, a body and callbacks. The body runs on a worker
 * thread (or on the caller's thread under {@link CurrentThreadTaskExecutor}); the callbacks
 * run on the FX thread under {@link FxTaskExecutor}. Build one fluently:
 * <pre>{@code
 * BackgroundTask.of("Train flow", ctx -> trainer.train(config, ctx::progress, ctx::isCancelled))
 *     .onSuccess(model::set)
 *     .onFailure(status::showFailure)
 *     .executeWith(executor);
 * }</pre>
 */
public final class BackgroundTask<V> {

    /** The work itself. It may throw; a thrown exception becomes the job's failure. */
    @FunctionalInterface
    public interface Body<V> {
        V run(JobContext context) throws Exception;
    }

    private final String title;
    private final Body<V> body;
    private Runnable onRunning = () -> { };
    private Consumer<V> onSuccess = value -> { };
    private Consumer<Throwable> onFailure = error -> { };
    private Runnable onCancelled = () -> { };
    private Runnable onFinished = () -> { };

    private BackgroundTask(String title, Body<V> body) {
        this.title = Objects.requireNonNull(title, "title");
        this.body = Objects.requireNonNull(body, "body");
    }

    public static <V> BackgroundTask<V> of(String title, Body<V> body) {
        return new BackgroundTask<>(title, body);
    }

    public BackgroundTask<V> onRunning(Runnable action) {
        this.onRunning = Objects.requireNonNull(action);
        return this;
    }

    public BackgroundTask<V> onSuccess(Consumer<V> action) {
        this.onSuccess = Objects.requireNonNull(action);
        return this;
    }

    public BackgroundTask<V> onFailure(Consumer<Throwable> action) {
        this.onFailure = Objects.requireNonNull(action);
        return this;
    }

    public BackgroundTask<V> onCancelled(Runnable action) {
        this.onCancelled = Objects.requireNonNull(action);
        return this;
    }

    /** Runs after success, failure or cancellation alike. */
    public BackgroundTask<V> onFinished(Runnable action) {
        this.onFinished = Objects.requireNonNull(action);
        return this;
    }

    public JobHandle executeWith(TaskExecutor executor) {
        return executor.execute(this);
    }

    public String title() {
        return title;
    }

    Body<V> body() {
        return body;
    }

    void fireRunning() {
        onRunning.run();
    }

    void fireSuccess(V value) {
        onSuccess.accept(value);
    }

    void fireFailure(Throwable error) {
        onFailure.accept(error);
    }

    void fireCancelled() {
        onCancelled.run();
    }

    void fireFinished() {
        onFinished.run();
    }
}
