package org.flowbench.views.lab;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.TaskExecutor;

import java.util.Objects;

/**
 * What a lab tells its page's status line, and whether any of its jobs runs: a status, the last
 * problem in one line, and a busy flag that holds from the start of the first tracked job to the
 * end of the last. Set and read on the FX thread (jobs report through their callbacks, which run there).
 */
public final class LabStatus {

    private final TaskExecutor executor;
    private final ReadOnlyObjectWrapper<String> status;
    private final ReadOnlyObjectWrapper<String> problem;
    private final ReadOnlyBooleanWrapper busy;
    private int runningJobs;

    /**
     * @param lab      the lab the properties belong to
     * @param opening  the status before anything has happened
     * @param executor where {@link #runExport} runs its jobs
     */
    public LabStatus(Object lab, String opening, TaskExecutor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        status = new ReadOnlyObjectWrapper<>(lab, "status", opening);
        problem = new ReadOnlyObjectWrapper<>(lab, "problem");
        busy = new ReadOnlyBooleanWrapper(lab, "busy", false);
    }

    public ReadOnlyObjectProperty<String> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The last problem in one line, or null. */
    public ReadOnlyObjectProperty<String> problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Whether a tracked job is running. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public void say(String line) {
        status.set(line);
    }

    /** Shows {@code line} as the problem; null clears it. */
    public void problem(String line) {
        problem.set(line);
    }

    /** Shows a failed job's cause as the problem, in one line. */
    public void fail(Throwable error) {
        problem.set(Failures.oneLine(error));
    }

    /**
     * {@code task}, counted in {@link #busyProperty()} while it runs. A job cancelled before it
     * started (the latest of a burst replaces it) finishes without having run: it is not counted
     * off, or the jobs after it would run with the spinner hidden.
     */
    public <V> BackgroundTask<V> tracked(BackgroundTask<V> task) {
        boolean[] running = {false};
        return task.onRunning(() -> {
            running[0] = true;
            busy.set(++runningJobs > 0);
        }).onFinished(() -> {
            if (running[0]) {
                running[0] = false;
                busy.set(--runningJobs > 0);
            }
        });
    }

    /** Runs an export as a tracked job; "title: done" when it succeeds, its problem in one line when not. */
    public <V> void runExport(String title, BackgroundTask.Body<V> body) {
        tracked(BackgroundTask.of(title, body))
                .onSuccess(done -> status.set(title + ": done"))
                .onFailure(this::fail)
                .executeWith(executor);
    }
}
