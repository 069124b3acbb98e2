package org.flowbench.compute.train;

import org.flowbench.compute.data.SeededRandom;

/** Where training pairs (x0, x1) come from: a coupling of two distributions, or fixed reflow pairs. */
@FunctionalInterface
public interface PairBatches {

    /**
     * Fills the first {@code n} pairs.
     *
     * @param x0 {@code [n*2]} source points, written
     * @param x1 {@code [n*2]} target points paired with them, written
     */
    void next(SeededRandom random, int n, float[] x0, float[] x1);
}
