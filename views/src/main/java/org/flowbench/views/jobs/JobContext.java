package org.flowbench.views.jobs;

import java.util.concurrent.CancellationException;

/** What a running job may tell the user and ask about itself. Safe to call from the worker thread. */
public interface JobContext {

    /** Reports progress as {@code done} out of {@code total}; a negative total means "unknown". */
    void progress(double done, double total);

    /** Replaces the one-line message shown beside the progress bar. */
    void message(String message);

    /** True once the user (or the application) has asked the job to stop. */
    boolean isCancelled();

    /** Throws {@link CancellationException} if the job was cancelled; compute loops call this between steps. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("cancelled");
        }
    }
}
