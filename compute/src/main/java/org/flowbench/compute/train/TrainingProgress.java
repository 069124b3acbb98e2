package org.flowbench.compute.train;

/** Called after every training step, on the training thread. */
@FunctionalInterface
public interface TrainingProgress {

    /**
     * @param step       1-based number of the step just made
     * @param totalSteps steps this run will make
     * @param loss       the minibatch loss of that step
     */
    void onStep(int step, int totalSteps, double loss);

    TrainingProgress NONE = (step, total, loss) -> { };
}
