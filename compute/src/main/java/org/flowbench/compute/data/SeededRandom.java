package org.flowbench.compute.data;

/**
 * A small, fully specified pseudo-random generator (SplitMix64 with Box-Muller normals) so that a
 * seed gives the same bytes on every JDK. Not thread-safe: give each thread or job its own.
 */
public final class SeededRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double TWO_PI = 2.0 * Math.PI;

    private long state;
    private double spareGaussian;
    private boolean hasSpareGaussian;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    /** A generator whose stream is independent of this one's; advances this generator once. */
    public SeededRandom split() {
        return new SeededRandom(nextLong() ^ 0x5DEECE66DL);
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform on [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform on [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("random bound must be positive, got " + bound);
        }
        long r = nextLong() >>> 33; // 31 bits
        long m = r * bound;
        long low = m & 0x7FFFFFFFL;
        if (low < bound) {
            long threshold = (0x80000000L - bound) % bound;
            while (low < threshold) {
                r = nextLong() >>> 33;
                m = r * bound;
                low = m & 0x7FFFFFFFL;
            }
        }
        return (int) (m >>> 31);
    }

    /** Standard normal by the Box-Muller transform; the second value of each pair is kept. */
    public double nextGaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u1 = 1.0 - nextDouble(); // (0, 1], so log is finite
        double u2 = nextDouble();
        double radius = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = radius * Math.sin(TWO_PI * u2);
        hasSpareGaussian = true;
        return radius * Math.cos(TWO_PI * u2);
    }

    /** Fills {@code out} with independent standard normals. */
    public void fillGaussian(float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) nextGaussian();
        }
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
