package org.flowbench.compute.train;

/** The loss became NaN or infinite; training stopped at the named step. */
public final class TrainingDivergedException extends RuntimeException {

    private final int step;

    public TrainingDivergedException(int step, double loss, double learningRate) {
        super("training diverged: loss is " + loss + " at step " + step + " (learning rate " + learningRate
                + "); try a smaller learning rate");
        this.step = step;
    }

    public int step() {
        return step;
    }
}
