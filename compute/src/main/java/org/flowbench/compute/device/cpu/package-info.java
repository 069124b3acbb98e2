/**
 * The {@code cpu} compute device: buffers are Java float arrays (zero-copy), matrix products go
 * through OpenBLAS sgemm (the BLAS ND4J ships, called directly), everything else runs as Java loops over contiguous rows,
 * parallelised over row blocks on a fork-join pool and written so the JIT can vectorise them.
 */
package org.flowbench.compute.device.cpu;
