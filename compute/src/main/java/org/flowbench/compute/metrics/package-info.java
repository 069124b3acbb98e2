/**
 * Measures of generated flows and ground-truth velocity fields: exact W2 (through {@code ot}),
 * straightness and normalized path energy of simulated trajectories (flows.md), and closed-form
 * marginal velocity fields, which are {@link org.flowbench.compute.ode.VelocityField}s themselves
 * so the solvers can integrate them into exact trajectories without any training.
 */
package org.flowbench.compute.metrics;
