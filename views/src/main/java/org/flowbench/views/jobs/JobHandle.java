package org.flowbench.views.jobs;

/** A submitted job as its submitter sees it: it can be cancelled and asked whether it is done. */
public interface JobHandle {

    /** Asks the job to stop; compute loops notice at their next check. */
    void cancel();

    boolean isDone();
}
