package org.flowbench.views.trajectories;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.train.TimestepDistribution;

/**
 * Where training draws its times t: a histogram of draws from the chosen timestep distribution
 * (the same sampler the trainer uses) next to the exact probability of each bin from the
 * distribution's CDF. Immutable.
 *
 * @param spec     the distribution as written on the command line, e.g. "u-shaped:4.0"
 * @param samples  number of draws
 * @param counts   draws per bin {@code // [bins]}, bins of equal width over [0, 1]
 * @param expected exact probability of each bin {@code // [bins]}
 */
public record TimestepHistogram(String spec, int samples, int[] counts, double[] expected) {

    public static final int DEFAULT_SAMPLES = 20_000;
    public static final int DEFAULT_BINS = 40;

    /** Draws {@code samples} times from {@code distribution} with {@code seed} into {@code bins} bins. */
    public static TimestepHistogram of(TimestepDistribution distribution, int samples, int bins, long seed) {
        if (samples < 1 || samples > 10_000_000) {
            throw new IllegalArgumentException("timestep histogram samples must be between 1 and 10000000 (got " + samples + ")");
        }
        if (bins < 1 || bins > 10_000) {
            throw new IllegalArgumentException("timestep histogram bins must be between 1 and 10000 (got " + bins + ")");
        }
        float[] t = new float[samples];
        distribution.sample(new SeededRandom(seed), t, samples);
        int[] counts = new int[bins];
        for (float v : t) {
            counts[Math.max(0, Math.min(bins - 1, (int) (v * bins)))]++;
        }
        double[] expected = new double[bins];
        for (int b = 0; b < bins; b++) {
            expected[b] = distribution.cdf((b + 1) / (double) bins) - distribution.cdf(b / (double) bins);
        }
        return new TimestepHistogram(distribution.spec(), samples, counts, expected);
    }

    public int bins() {
        return counts.length;
    }

    /** Density of the draws in bin b (integrates to 1 over [0, 1]). */
    public double density(int b) {
        return counts[b] / (double) samples * bins();
    }

    /** Exact density averaged over bin b. */
    public double expectedDensity(int b) {
        return expected[b] * bins();
    }
}
