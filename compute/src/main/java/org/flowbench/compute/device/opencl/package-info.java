/**
 * The {@code opencl:N} compute devices: the primitives as one Aparapi kernel compiled to OpenCL
 * for an OpenCL device (a GPU, or a CPU driver such as PoCL), with every buffer a range of one
 * device-resident memory pool so data stays on the device between calls.
 */
package org.flowbench.compute.device.opencl;
