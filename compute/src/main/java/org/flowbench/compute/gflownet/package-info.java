/**
 * Generative flow networks on environments small enough to enumerate: a state graph (DAG) with
 * a masked forward policy, a fixed uniform backward policy and a terminal reward; the exact
 * partition function, true state and edge flows and the terminal distribution any forward
 * policy induces; a policy-and-flow network on a {@link org.flowbench.compute.device.ComputeDevice};
 * batched, seeded trajectory sampling; the training objectives (flow matching, trajectory
 * balance, detailed balance, sub-trajectory balance and forward-looking detailed balance, also
 * on incomplete trajectories) with hand-written gradients; metrics against the exact target and
 * checkpoints.
 *
 * <p>Environments: the HyperGrid of Bengio et al. (2021) and the set generation task of Pan et
 * al. (2023). Every environment ends a trajectory with an explicit exit action, the last forward
 * action; forward action {@code i < exit} and backward action {@code i} are inverse moves.
 */
package org.flowbench.compute.gflownet;
