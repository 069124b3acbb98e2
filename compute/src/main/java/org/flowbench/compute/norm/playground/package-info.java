/**
 * The normalization layers without a network: one layer run in training mode over a stream of
 * batches of an {@link org.flowbench.compute.norm.InputPreset} (or a micro-batch of 1 to 4 of its
 * images), recording what the layer divides by batch after batch, its running statistics, its
 * output in training and in evaluation mode, and, for the layers whose inference is a fixed
 * per-channel affine map, the same inference folded into the dense layer before it.
 */
package org.flowbench.compute.norm.playground;
