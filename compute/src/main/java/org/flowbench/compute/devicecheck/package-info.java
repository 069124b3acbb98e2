/**
 * A headless check of the OpenCL device on a machine that has only a GPU driver: the devices it
 * sees, timings of the device's kernels and of a Transformer training step, and the memory pool
 * near its limit. Run by {@code samples/device/gpu-check.sh} from a kit that
 * {@code samples/device/build-gpu-kit.sh} builds; needs no ND4J.
 */
package org.flowbench.compute.devicecheck;
