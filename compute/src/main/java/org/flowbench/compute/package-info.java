/** Numerics of Flowbench: compute devices, data, flows, solvers, metrics and checkpoints. No JavaFX here. */
package org.flowbench.compute;
