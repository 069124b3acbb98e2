package org.flowbench.compute.ode;

import java.util.List;
import java.util.Locale;

/** Solver lookup by name: {@code euler}, {@code midpoint}, {@code heun}, {@code rk4}, {@code dopri5}. */
public final class Solvers {

    private Solvers() {
    }

    /** The solver names in display order. */
    public static List<String> names() {
        return List.of("euler", "midpoint", "heun", "rk4", "dopri5");
    }

    /** A fixed-step solver, or dopri5 with the default tolerances. */
    public static OdeSolver byName(String name) {
        return byName(name, DormandPrince.DEFAULT_TOLERANCE, DormandPrince.DEFAULT_TOLERANCE);
    }

    /** As {@link #byName(String)}; {@code atol} and {@code rtol} apply to dopri5 only. */
    public static OdeSolver byName(String name, double atol, double rtol) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "euler" -> ExplicitRungeKutta.EULER;
            case "midpoint" -> ExplicitRungeKutta.MIDPOINT;
            case "heun" -> ExplicitRungeKutta.HEUN;
            case "rk4" -> ExplicitRungeKutta.RK4;
            case "dopri5", "rk45", "dopri" -> new DormandPrince(atol, rtol);
            default -> throw new IllegalArgumentException("unknown solver '" + name + "'; known solvers: " + String.join(", ", names()));
        };
    }
}
