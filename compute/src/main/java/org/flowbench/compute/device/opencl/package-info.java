/**
 * The {@code opencl:N} compute devices: the primitives of {@link
 * org.flowbench.compute.device.opencl.DeviceKernel} on an OpenCL device (a GPU, or a CPU driver
 * such as PoCL), with every buffer a range of one device-resident memory pool so data stays on
 * the device between calls. Two launchers run them: the direct one, each op its own kernel
 * compiled from the OpenCL C in {@code kernels/*.cl} and queued without waiting (the default), and
 * Aparapi's, which compiles DeviceKernel's Java into one kernel and waits for every launch.
 */
package org.flowbench.compute.device.opencl;
