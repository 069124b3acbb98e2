package org.flowbench.compute.train;

import org.flowbench.compute.data.SeededRandom;

/** A conditional probability path: the point x_t on the way from x0 to x1 and the velocity u_t to regress on. */
@FunctionalInterface
public interface ConditionalPath {

    /**
     * @param x0 {@code [n*2]}
     * @param x1 {@code [n*2]}
     * @param t  {@code [n]}
     * @param xt {@code [n*2]}, written
     * @param ut {@code [n*2]}, written
     */
    void sample(float[] x0, float[] x1, float[] t, int n, SeededRandom random, float[] xt, float[] ut);

    /** The straight line x_t = (1 - t) x0 + t x1 with u_t = x1 - x0 (rectified flow, reflow, distillation). */
    ConditionalPath STRAIGHT = (x0, x1, t, n, random, xt, ut) -> {
        for (int i = 0; i < n; i++) {
            for (int j = 2 * i; j < 2 * i + 2; j++) {
                xt[j] = (1 - t[i]) * x0[j] + t[i] * x1[j];
                ut[j] = x1[j] - x0[j];
            }
        }
    };
}
