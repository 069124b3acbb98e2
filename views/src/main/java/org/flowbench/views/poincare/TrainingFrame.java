package org.flowbench.views.poincare;

/**
 * The embedding after one epoch, as the Training tab replays it: the points laid out in the
 * disc and each node's norm in the ball. Immutable.
 *
 * @param manifold the run's manifold
 * @param epoch    1-based epoch (0: the initial points)
 * @param loss     the epoch's mean loss (NaN for epoch 0)
 * @param layout   the points in the unit disc and what the drawing loses
 * @param norms    each node's Euclidean norm in the Poincaré ball // [n]
 */
public record TrainingFrame(String manifold, int epoch, double loss, DiscLayout layout, double[] norms) {
}
