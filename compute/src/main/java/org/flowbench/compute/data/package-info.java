/**
 * Seeded two-dimensional sample sources for the trajectory lab: the standard normal, the toy
 * targets of the conditional-flow-matching literature (8gaussians, moons, scurve, checkerboard,
 * 25gaussians, swissroll, circles, two spirals, and the runner versions of 8gaussians and moons
 * behind Tong et al.'s Table 2) and point sets supplied by the caller.
 *
 * <p>Every sampler returns a fresh flat array {@code float[] xy // [n*2]} and is a pure function of
 * {@code (n, seed)}: the same arguments give the same bytes on every machine, because the
 * generator ({@link org.flowbench.compute.data.SeededRandom}) is specified here rather than taken
 * from the JDK. Scalings follow Tong et al.'s torchcfm code and are fixed; each one is documented
 * where it is defined in {@link org.flowbench.compute.data.Datasets}.
 */
package org.flowbench.compute.data;
