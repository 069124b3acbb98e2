/**
 * Scale invariance in double precision, small enough to watch step by step: a weight followed by
 * a normalization on a two-dimensional toy loss ({@link org.flowbench.compute.norm.invariance.ScaleInvariantToy})
 * under SGD, SGD with momentum, Adam, SGDP and AdamP ({@link org.flowbench.compute.norm.invariance.InvarianceOptimizer},
 * Heo et al. 2021), and a small BatchNorm network on a labelled two-dimensional task trained in
 * its affine parameters only, against the same network frozen at random (Frankle et al. 2021,
 * {@link org.flowbench.compute.norm.invariance.BatchNormOnlyTraining}). Every run is a pure
 * function of its settings and seed.
 */
package org.flowbench.compute.norm.invariance;
