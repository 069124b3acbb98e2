package org.flowbench.compute.ode;

/**
 * Which particles a solver records along the way, how often, and whether it keeps the stage
 * points of multi-stage steps. Frames are taken at the start, after every {@code every}-th step
 * and at the end; stage points are kept for the steps that start at a recorded frame.
 *
 * @param particles indices into the batch (copied); empty records nothing
 * @param every     record a frame every this many steps, >= 1
 * @param stages    whether to keep the stage points of recorded steps
 */
public record Recording(int[] particles, int every, boolean stages) {

    /** Records nothing. */
    public static final Recording NONE = new Recording(new int[0], 1, false);

    public Recording {
        if (particles == null) {
            throw new IllegalArgumentException("recording needs a particle index array (empty for none)");
        }
        if (every < 1) {
            throw new IllegalArgumentException("recording interval must be >= 1 step, got " + every);
        }
        particles = particles.clone();
        for (int p : particles) {
            if (p < 0) {
                throw new IllegalArgumentException("recorded particle index must be >= 0, got " + p);
            }
        }
    }

    /** Records particles 0..count-1 every {@code every} steps. */
    public static Recording first(int count, int every, boolean stages) {
        int[] p = new int[count];
        for (int i = 0; i < count; i++) {
            p[i] = i;
        }
        return new Recording(p, every, stages);
    }

    @Override
    public int[] particles() {
        return particles.clone();
    }

    public int particleCount() {
        return particles.length;
    }

    public boolean isEmpty() {
        return particles.length == 0;
    }

    void checkAgainst(int n) {
        for (int p : particles) {
            if (p >= n) {
                throw new IllegalArgumentException("recorded particle index " + p + " is outside the batch of " + n);
            }
        }
    }

    int particle(int k) {
        return particles[k];
    }
}
