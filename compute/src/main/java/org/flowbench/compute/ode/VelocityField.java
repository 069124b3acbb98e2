package org.flowbench.compute.ode;

/**
 * A time-dependent velocity field on the plane, evaluated for a batch of particles at one time.
 *
 * <p>Implementations may keep scratch buffers, so one instance is not assumed to be safe for
 * concurrent calls unless it says so. Solvers call it with arrays whose length may exceed
 * {@code 2n}; only the first {@code 2n} entries are read or written.
 */
@FunctionalInterface
public interface VelocityField {

    /**
     * Writes v(x_i, t) for the first {@code n} particles.
     *
     * @param x positions {@code [n*2]} (read only)
     * @param n number of particles
     * @param t time, 0 = source (noise), 1 = target (data)
     * @param v velocities {@code [n*2]} (written; never the same array as {@code x})
     */
    void velocity(float[] x, int n, float t, float[] v);
}
