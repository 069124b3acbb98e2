package org.flowbench.compute.device;

/** What kind of hardware path a {@link ComputeDevice} uses. */
public enum DeviceKind {
    /** ND4J gemm and multithreaded Java loops on the host processor. */
    CPU,
    /** Aparapi kernels compiled to OpenCL (a GPU, or a CPU OpenCL driver such as PoCL). */
    OPENCL
}
