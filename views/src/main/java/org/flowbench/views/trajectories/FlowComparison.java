package org.flowbench.views.trajectories;

import org.flowbench.compute.metrics.FlowMetrics;
import org.flowbench.compute.ode.OdeResult;
import org.flowbench.compute.ode.OdeSolver;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.ode.Solvers;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.ode.VelocityField;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * W2 between generated and target samples against the NFE spent, per solver, for one model:
 * the curve that shows why straight flows sample well in few steps. Fixed-step solvers run at
 * NFE budgets 1, 2, 4, ... 64 (where the budget is a whole number of steps); dopri5 at a few
 * tolerances. W2 is exact OT between equal-size point sets.
 *
 * @param nfe [P] NFE of each point, {@code w2 // [P]}, {@code solver // [P]} name of each point
 */
public record FlowComparison(String label, List<String> solver, int[] nfe, double[] w2) {

    static final int[] BUDGETS = {1, 2, 4, 8, 16, 32, 64};
    static final double[] TOLERANCES = {1e-2, 1e-3, 1e-4};

    /** Measures one model on {@code noise // [n*2]} against {@code target // [n*2]}; caller holds the model lock. */
    static FlowComparison measure(String label, VelocityField field, float[] noise, float[] target, BooleanSupplier cancelled) {
        int n = noise.length / 2;
        List<String> names = new ArrayList<>();
        List<Integer> nfes = new ArrayList<>();
        List<Double> w2s = new ArrayList<>();
        for (String name : Solvers.names()) {
            if (name.equals("dopri5")) {
                for (double tol : TOLERANCES) {
                    check(cancelled);
                    OdeSolver solver = Solvers.byName(name, tol, tol);
                    OdeResult r = solver.integrate(field, noise, n, TimeGrid.forward(1), Recording.NONE, FlowSampler.monitor(cancelled));
                    names.add(name);
                    nfes.add(r.nfe());
                    w2s.add(FlowMetrics.w2(r.finalState(), target));
                }
                continue;
            }
            OdeSolver solver = Solvers.byName(name);
            for (int budget : BUDGETS) {
                if (budget % solver.nfePerStep() != 0) {
                    continue;
                }
                check(cancelled);
                OdeResult r = solver.integrate(field, noise, n, TimeGrid.forward(budget / solver.nfePerStep()));
                names.add(name);
                nfes.add(r.nfe());
                w2s.add(FlowMetrics.w2(r.finalState(), target));
            }
        }
        return new FlowComparison(label, List.copyOf(names), nfes.stream().mapToInt(Integer::intValue).toArray(),
                w2s.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("comparison cancelled");
        }
    }
}
