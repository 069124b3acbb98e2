/**
 * ODE integration of batched 2D velocity fields: the {@link org.flowbench.compute.ode.VelocityField}
 * interface that trained models and closed-form fields implement, fixed-step solvers (Euler,
 * midpoint, Heun, RK4) on any time grid, adaptive Dormand-Prince 5(4), forward (noise to data,
 * t from 0 to 1) and reverse integration, single steps with their stage points for the lab's
 * step-by-step view, and trajectory recording of chosen particles. Every solver counts function
 * evaluations (NFE). Results are immutable and hold flat arrays with explicit shapes.
 */
package org.flowbench.compute.ode;
