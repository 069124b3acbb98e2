package org.flowbench.compute.path;

import org.flowbench.compute.data.SeededRandom;

/**
 * Pairs a batch of source points with a batch of target points by reordering the targets in
 * place: afterwards (x0_i, x1_i) is one draw of the coupling.
 */
public interface Coupling {

    /** {@code independent} or {@code ot}. */
    String name();

    /**
     * @param x0 {@code [n*2]} source batch (read only)
     * @param x1 {@code [n*2]} target batch, rows reordered in place
     */
    void pair(float[] x0, float[] x1, int n, SeededRandom random);
}
