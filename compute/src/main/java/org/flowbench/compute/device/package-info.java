/**
 * Compute devices: one kernel interface ({@link org.flowbench.compute.device.ComputeDevice}) for
 * the batched primitives the labs need (dense layers, activations, LayerNorm and RMSNorm, row
 * reductions, fused ODE updates, Adam), on batches stored as flat float arrays with explicit
 * shapes, in buffers that stay on the device between calls.
 *
 * <p>Two implementations: {@code cpu} (ND4J/OpenBLAS gemm plus multithreaded Java loops, always
 * available) and {@code opencl:N} (Aparapi kernels on an OpenCL device). {@link
 * org.flowbench.compute.device.ComputeDevices} lists and opens them, picks the default and wraps a
 * device so that a failed OpenCL kernel or an exhausted device memory falls back to cpu with a
 * warning. A TornadoVM device would be a third implementation of the same interface.
 */
package org.flowbench.compute.device;
