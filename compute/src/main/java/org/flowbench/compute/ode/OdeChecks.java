package org.flowbench.compute.ode;

import java.util.concurrent.CancellationException;

/** Argument checks and loop guards shared by the solvers. */
final class OdeChecks {
    /** Largest batch a solver accepts. */
    static final int MAX_PARTICLES = 10_000_000;

    private OdeChecks() {
    }

    static void checkBatch(VelocityField field, float[] x, int n) {
        if (field == null) {
            throw new IllegalArgumentException("velocity field is missing");
        }
        if (n < 0 || n > MAX_PARTICLES) {
            throw new IllegalArgumentException("number of particles must be in [0, " + MAX_PARTICLES + "], got " + n);
        }
        if (x == null || x.length < 2 * n) {
            throw new IllegalArgumentException("state must hold " + n + " particles (" + 2 * n + " floats), got "
                    + (x == null ? "null" : x.length));
        }
        for (int k = 0; k < 2 * n; k++) {
            if (!Float.isFinite(x[k])) {
                throw new IllegalArgumentException("starting state has a non-finite coordinate at particle " + k / 2);
            }
        }
    }

    static void checkStep(double t, double h) {
        if (!Double.isFinite(t) || !Double.isFinite(h) || h == 0) {
            throw new IllegalArgumentException("step needs a finite time and a finite, non-zero step size, got t=" + t + ", h=" + h);
        }
    }

    static void checkCancelled(IntegrationMonitor monitor, String solver, int stepsDone) {
        if (monitor.isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException(solver + " integration cancelled after " + stepsDone + " steps");
        }
    }

    static void checkFinite(float[] x, int n, String solver, int stepsDone, double t) {
        for (int k = 0; k < 2 * n; k++) {
            if (!Float.isFinite(x[k])) {
                throw new IllegalStateException(solver + ": particle " + k / 2 + " became non-finite after " + stepsDone
                        + " steps (t=" + t + "); the velocity field diverges or returned NaN");
            }
        }
    }
}
