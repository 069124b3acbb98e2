package org.flowbench.compute.metrics;

import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.OdeResult;
import org.flowbench.compute.ode.OdeSolver;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.ode.VelocityField;
import org.flowbench.compute.ot.LinearAssignment;
import org.flowbench.compute.ot.SquaredEuclideanOt;

/**
 * One evaluation of a flow: source points pushed through a velocity field by a named solver,
 * compared with a target sample of the same size. Reports which sampler and NFE produced the
 * numbers (users of peer tools ask for exactly that).
 *
 * @param solver          solver name and settings
 * @param steps           accepted steps
 * @param nfe             velocity evaluations
 * @param w2              exact W2 between generated points and the target sample
 * @param straightness    {@link FlowMetrics#straightness}
 * @param pathEnergy      {@link FlowMetrics#pathEnergy}
 * @param w2SquaredSourceTarget exact W2^2 between the source points and the target sample
 * @param normalizedPathEnergy  {@link FlowMetrics#normalizedPathEnergy}
 * @param generated       {@code [n*2]} the generated points
 */
public record FlowEvaluation(String solver, int steps, int nfe, double w2, double straightness, double pathEnergy,
                             double w2SquaredSourceTarget, double normalizedPathEnergy, float[] generated) {

    /** Largest number of recorded floats (particles x frames x 2) an evaluation may hold. */
    public static final long MAX_RECORDED_FLOATS = 64L << 20;

    public FlowEvaluation {
        generated = generated.clone();
    }

    @Override
    public float[] generated() {
        return generated.clone();
    }

    /**
     * Integrates {@code source} from grid start to grid end, recording every step, and measures
     * the result against {@code target}.
     *
     * @param source {@code [n*2]} points of the source distribution (noise for forward grids)
     * @param target {@code [n*2]} held-out points of the target distribution, same n,
     *               n <= {@link LinearAssignment#MAX_SIZE}
     */
    public static FlowEvaluation evaluate(VelocityField field, float[] source, float[] target, OdeSolver solver, TimeGrid grid,
                                          IntegrationMonitor monitor) {
        if (source == null || target == null || source.length != target.length || source.length % 2 != 0 || source.length == 0) {
            throw new IllegalArgumentException("evaluation needs equal-size, non-empty [n*2] source and target samples");
        }
        int n = source.length / 2;
        if (n > LinearAssignment.MAX_SIZE) {
            throw new IllegalArgumentException("evaluation uses exact OT, at most " + LinearAssignment.MAX_SIZE + " points, got " + n);
        }
        if (solver.nfePerStep() > 0 && (long) n * 2 * (grid.steps() + 1) > MAX_RECORDED_FLOATS) {
            throw new IllegalArgumentException("evaluation would record " + n + " particles over " + grid.steps()
                    + " steps, more than " + MAX_RECORDED_FLOATS + " floats; use fewer points or steps");
        }
        OdeResult result = solver.integrate(field, source, n, grid, Recording.first(n, 1, false), monitor);
        float[] generated = result.finalState();
        double w2 = SquaredEuclideanOt.w2(generated, target);
        double straightness = FlowMetrics.straightness(result.trajectory());
        double energy = FlowMetrics.pathEnergy(result.trajectory());
        double w2Squared = SquaredEuclideanOt.w2Squared(source, target);
        double npe = FlowMetrics.normalizedPathEnergy(energy, w2Squared);
        return new FlowEvaluation(result.solver(), result.steps(), result.nfe(), w2, straightness, energy, w2Squared, npe, generated);
    }
}
