/**
 * Exact discrete optimal transport for the flow lab: the linear assignment problem (used to pair
 * a noise batch with a data batch under squared Euclidean cost, as minibatch OT-CFM does) and the
 * exact 2-Wasserstein distance between two equal-size empirical point sets with uniform weights.
 *
 * <p>The solver is a dense shortest-augmenting-path Hungarian method with dual potentials,
 * O(n^3) on double costs. It returns its dual solution, so optimality can be certified
 * independently: u_i + v_j <= c_ij everywhere, with equality on the chosen pairs.
 */
package org.flowbench.compute.ot;
