package org.flowbench.compute.device;

/**
 * The two EvoNorm layers of Liu et al. 2020 ("Evolving Normalization-Activation Layers") whose
 * element-wise parts {@link ComputeDevice#evoNormForward} computes.
 */
public enum EvoNormKind {
    /** {@code u = x / max(sqrt(var_B + eps), v x + sqrt(var_instance + eps))}: batch and instance variance. */
    B0,
    /** {@code u = x sigmoid(v x) / sqrt(var_group + eps)}: group variance, no batch dependence. */
    S0
}
