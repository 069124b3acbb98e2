package org.flowbench.compute.lm;

/** Training produced a value that is not finite; the message names the step and the layer. */
public final class LmDivergedException extends RuntimeException {

    private final int step;
    private final int layer;

    LmDivergedException(int step, int layer, String what) {
        super("training diverged at step " + step + ": " + what
                + (layer < 0 ? "" : layer == 0 ? " (first non-finite values in the embeddings)"
                : " (first non-finite values at layer " + layer + ")"));
        this.step = step;
        this.layer = layer;
    }

    /** The 1-based step that failed. */
    public int step() {
        return step;
    }

    /** The first layer with non-finite values (0 embeddings, L + 1 head), or -1 when none was found. */
    public int layer() {
        return layer;
    }
}
