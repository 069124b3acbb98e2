/**
 * Probability paths and couplings of conditional flow matching (flows.md, "Probability paths and
 * couplings"). Every path here is affine in its endpoints,
 * x_t = alpha(t) x0 + beta(t) x1 + s eps with eps ~ N(0, I) and a constant noise scale s, and its
 * regression target is the time derivative u_t = alpha'(t) x0 + beta'(t) x1. Exposing alpha, beta
 * and their derivatives lets closed-form marginal fields ({@code metrics}) be written once for all
 * paths. Couplings pair a source batch with a target batch: independently (a seeded shuffle) or by
 * exact minibatch optimal transport ({@code ot}).
 */
package org.flowbench.compute.path;
