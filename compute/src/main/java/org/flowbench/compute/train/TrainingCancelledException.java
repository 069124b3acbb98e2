package org.flowbench.compute.train;

import java.util.concurrent.CancellationException;

/** Training was cancelled (cancel flag or thread interrupt) before the named step. */
public final class TrainingCancelledException extends CancellationException {

    private final int completedSteps;

    public TrainingCancelledException(int completedSteps) {
        super("training cancelled after " + completedSteps + " steps");
        this.completedSteps = completedSteps;
    }

    public int completedSteps() {
        return completedSteps;
    }
}
