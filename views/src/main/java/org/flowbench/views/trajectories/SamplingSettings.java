package org.flowbench.views.trajectories;

import org.flowbench.compute.ode.Solvers;

import java.util.Locale;

/**
 * How the lab samples its models: the solver and its grid, how many particles from which seed,
 * and how many of them are traced (drawn as paths, with stage points).
 *
 * @param solver    euler, midpoint, heun, rk4 or dopri5
 * @param steps     solver steps on the grid (for dopri5: the grid it must land on)
 * @param tolerance atol = rtol of dopri5
 * @param schedule  "uniform" or "boss" (Bellman-optimal steps measured on each model)
 * @param particles number of particles, all drawn from the source with {@code seed}
 * @param traced    particles 0..traced-1 whose paths and stage points are kept
 * @param seed      seed of the noise (shared by both panels)
 */
public record SamplingSettings(String solver, int steps, double tolerance, String schedule, int particles, int traced,
                               long seed) {

    public static final int MAX_STEPS = 1000;
    public static final int MAX_PARTICLES = 20_000;
    public static final String UNIFORM = "uniform";
    public static final String BOSS = "boss";

    public SamplingSettings {
        solver = solver == null ? "" : solver.trim().toLowerCase(Locale.ROOT);
        if (!Solvers.names().contains(solver)) {
            throw new IllegalArgumentException("unknown solver '" + solver + "'; known solvers: " + String.join(", ", Solvers.names()));
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("steps must be between 1 and " + MAX_STEPS + " (got " + steps + ")");
        }
        if (!(tolerance >= 1e-10 && tolerance <= 0.1)) {
            throw new IllegalArgumentException("dopri5 tolerance must be between 1e-10 and 0.1 (got " + tolerance + ")");
        }
        if (!UNIFORM.equals(schedule) && !BOSS.equals(schedule)) {
            throw new IllegalArgumentException("schedule must be uniform or boss (got " + schedule + ")");
        }
        if (particles < 1 || particles > MAX_PARTICLES) {
            throw new IllegalArgumentException("particles must be between 1 and " + MAX_PARTICLES + " (got " + particles + ")");
        }
        if (traced < 0) {
            throw new IllegalArgumentException("traced paths must not be negative (got " + traced + ")");
        }
        traced = Math.min(traced, particles);
        if (seed < 0) {
            throw new IllegalArgumentException("seed must not be negative (got " + seed + ")");
        }
    }

    /** The lab's opening settings: RK4 would hide the curvature, so Euler with 8 uniform steps. */
    public static SamplingSettings defaults() {
        return new SamplingSettings("euler", 8, 1e-5, UNIFORM, 2000, 150, 7);
    }

    public SamplingSettings withSolver(String name, int stepCount) {
        return new SamplingSettings(name, stepCount, tolerance, schedule, particles, traced, seed);
    }
}
