/**
 * Normalization layers as objects: parameters on the device, running state on the host, a
 * training or evaluation mode, forward and backward passes on any {@link
 * org.flowbench.compute.device.ComputeDevice}. BatchNorm, GroupNorm, PowerNorm, Unified
 * Normalization, Batch-Channel Norm, EvoNorm-B0/S0 and Weight Standardization are built from
 * the device's per-channel primitives (moments, normalise, gradient sums, normalise backward, and
 * EvoNorm's element-wise part) and its row norms and reductions; what is per channel
 * ([channels] vectors: running statistics, the coefficients of a backward pass) is arithmetic on
 * the host in double precision.
 *
 * <p>Inputs are [batch, channels, spatial] row-major: [N, C] (spatial 1), tokens [N, C, L] or
 * images [N, C, H*W]. A transformer's [N, L, C] activations are [N*L, C] here.
 */
package org.flowbench.compute.norm;
