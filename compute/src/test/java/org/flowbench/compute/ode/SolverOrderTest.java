package org.flowbench.compute.ode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SolverOrderTest {
    private static final float[] X0 = {1f, 0.5f, -0.3f, 0.8f, 0.2f, -1.1f};
    private static final int N = 3;

    @Test
    void eulerIsFirstOrder() {
        assertThat(observedOrder(ExplicitRungeKutta.EULER, new int[] {20, 40, 80, 160})).isCloseTo(1.0, within(0.1));
    }

    @Test
    void midpointAndHeunAreSecondOrder() {
        assertThat(observedOrder(ExplicitRungeKutta.MIDPOINT, new int[] {10, 20, 40, 80})).isCloseTo(2.0, within(0.15));
        assertThat(observedOrder(ExplicitRungeKutta.HEUN, new int[] {10, 20, 40, 80})).isCloseTo(2.0, within(0.15));
    }

    @Test
    void rk4IsFourthOrder() {
        assertThat(observedOrder(ExplicitRungeKutta.RK4, new int[] {4, 8, 16})).isCloseTo(4.0, within(0.3));
    }

    @Test
    void rk4IntegratesCubicTimeDependenceExactlyInOneStep() {
        VelocityField polynomial = (x, n, t, v) -> {
            for (int i = 0; i < n; i++) {
                v[2 * i] = 3 * t * t;
                v[2 * i + 1] = 4 * t * t * t;
            }
        };
        OdeResult r = ExplicitRungeKutta.RK4.integrate(polynomial, new float[] {0, 0}, 1, TimeGrid.forward(1));
        assertThat(r.finalState()).containsExactly(new float[] {1f, 1f}, within(1e-6f));
        OdeResult midpoint = ExplicitRungeKutta.MIDPOINT.integrate(polynomial, new float[] {0, 0}, 1, TimeGrid.forward(1));
        assertThat(midpoint.finalState()[0]).isCloseTo(0.75f, within(1e-6f)); // 3 (1/2)^2, the midpoint rule
    }

    /** Least-squares slope of log(max error at t=1) against log(h). */
    private static double observedOrder(OdeSolver solver, int[] stepCounts) {
        LinearTestField field = new LinearTestField(0.5, 4.0);
        double[] exact = field.exact(X0, N, 0, 1);
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int steps : stepCounts) {
            OdeResult r = solver.integrate(field, X0, N, TimeGrid.forward(steps));
            double lh = Math.log(1.0 / steps);
            double le = Math.log(LinearTestField.maxError(r.finalState(), exact));
            sx += lh;
            sy += le;
            sxx += lh * lh;
            sxy += lh * le;
        }
        int m = stepCounts.length;
        return (m * sxy - sx * sy) / (m * sxx - sx * sx);
    }
}
