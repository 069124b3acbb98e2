package org.flowbench.compute.train;

/** Carries source points to the end of a model's flow: z1 = ODE(z0), as reflow and distillation need. */
@FunctionalInterface
public interface PairSimulator {

    /**
     * @param z0 {@code [n*2]} starting points (read only)
     * @return {@code [n*2]} end points of the flow from t = 0 to t = 1
     */
    float[] simulate(float[] z0, int n);
}
