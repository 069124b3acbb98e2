package org.flowbench.compute.data;

/**
 * The empirical distribution of a caller-supplied point set (for instance one the user drew),
 * optionally smoothed: sampling resamples the points uniformly with replacement and adds
 * isotropic Gaussian jitter of standard deviation {@code jitter}.
 */
public final class PointSetDataset implements Dataset {
    /** Largest point set accepted. */
    public static final int MAX_POINTS = 1_000_000;

    private final String name;
    private final float[] points; // [m*2]
    private final int count;
    private final float jitter;

    /**
     * @param points {@code float[] xy // [m*2]}, copied; at least one point, all finite
     * @param jitter standard deviation of the Gaussian jitter added to each draw, >= 0
     */
    public PointSetDataset(String name, float[] points, float jitter) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("point set needs a non-blank name");
        }
        if (points == null || points.length < 2 || points.length % 2 != 0) {
            throw new IllegalArgumentException("point set '" + name + "' needs a non-empty array of (x, y) pairs, got length "
                    + (points == null ? "null" : points.length));
        }
        if (points.length / 2 > MAX_POINTS) {
            throw new IllegalArgumentException("point set '" + name + "' has " + points.length / 2 + " points, more than " + MAX_POINTS);
        }
        for (int i = 0; i < points.length; i++) {
            if (!Float.isFinite(points[i])) {
                throw new IllegalArgumentException("point set '" + name + "' has a non-finite coordinate at point " + i / 2);
            }
        }
        if (!(jitter >= 0f) || !Float.isFinite(jitter)) {
            throw new IllegalArgumentException("point set jitter must be finite and >= 0, got " + jitter);
        }
        this.name = name;
        this.points = points.clone();
        this.count = points.length / 2;
        this.jitter = jitter;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return count + " user points, resampled with Gaussian jitter " + jitter;
    }

    public int pointCount() {
        return count;
    }

    public float jitter() {
        return jitter;
    }

    /** A copy of the underlying points, {@code [pointCount()*2]}. */
    public float[] points() {
        return points.clone();
    }

    @Override
    public float[] sample(int n, long seed) {
        Datasets.checkCount(n);
        SeededRandom rng = new SeededRandom(seed);
        float[] xy = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int j = rng.nextInt(count);
            float dx = 0f;
            float dy = 0f;
            if (jitter > 0f) {
                dx = (float) (jitter * rng.nextGaussian());
                dy = (float) (jitter * rng.nextGaussian());
            }
            xy[2 * i] = points[2 * j] + dx;
            xy[2 * i + 1] = points[2 * j + 1] + dy;
        }
        return xy;
    }

    @Override
    public String toString() {
        return name;
    }
}
