package org.flowbench.compute.train;

import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.path.Coupling;
import org.flowbench.compute.path.Couplings;
import org.flowbench.compute.path.ProbabilityPath;

/**
 * Training's view of the {@link org.flowbench.compute.path} package: a named
 * {@link ProbabilityPath} as a {@link ConditionalPath} (drawing the noise icfm needs from the
 * run's random stream) and a named {@link Coupling} of two datasets as {@link PairBatches}.
 */
public final class TrainingPaths {

    /** The sigma icfm uses when none is given (Tong et al.'s 2D experiments). */
    public static final double DEFAULT_ICFM_SIGMA = 0.1;

    private TrainingPaths() {
    }

    /** The probability path with this name; {@code sigma} NaN means the path's default (0.1 for icfm, else 0). */
    public static ProbabilityPath probabilityPath(String name, double sigma) {
        return ProbabilityPath.byName(name, effectiveSigma(name, sigma));
    }

    /** The path with this name as training uses it. */
    public static ConditionalPath path(String name, double sigma) {
        return conditional(probabilityPath(name, sigma));
    }

    /** Samples x_t and u_t of a probability path; eps for noisy paths comes from the training stream. */
    public static ConditionalPath conditional(ProbabilityPath path) {
        if (!path.usesNoise()) {
            return (x0, x1, t, n, random, xt, ut) -> {
                path.interpolate(x0, x1, t, null, xt);
                path.target(x0, x1, t, ut);
            };
        }
        return new ConditionalPath() {
            private float[] eps = new float[0];

            @Override
            public void sample(float[] x0, float[] x1, float[] t, int n, org.flowbench.compute.data.SeededRandom random,
                               float[] xt, float[] ut) {
                if (eps.length != 2 * n) {
                    eps = new float[2 * n];
                }
                random.fillGaussian(eps);
                path.interpolate(x0, x1, t, eps, xt);
                path.target(x0, x1, t, ut);
            }
        };
    }

    /** The sigma a path uses, as recorded in checkpoints. */
    public static double effectiveSigma(String name, double sigma) {
        if (!Double.isNaN(sigma)) {
            return sigma;
        }
        String key = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
        return key.equals("icfm") ? DEFAULT_ICFM_SIGMA : 0;
    }

    /** The canonical name the path package gives a path ({@code rectified}, {@code icfm}, {@code vp}, {@code lipman}). */
    public static String canonicalPath(String name) {
        return ProbabilityPath.byName(name, effectiveSigma(name, Double.NaN)).kind().id();
    }

    /** Pairs from two datasets under the named coupling ({@code independent} or {@code ot}). */
    public static PairBatches coupling(String name, Dataset source, Dataset target) {
        Coupling coupling = Couplings.byName(name);
        return (random, n, x0, x1) -> {
            System.arraycopy(source.sample(n, random.nextLong()), 0, x0, 0, 2 * n);
            System.arraycopy(target.sample(n, random.nextLong()), 0, x1, 0, 2 * n);
            coupling.pair(x0, x1, n, random);
        };
    }

    public static String canonicalCoupling(String name) {
        return Couplings.byName(name).name();
    }

    /** Minibatches drawn uniformly with replacement from fixed pairs (reflow and distillation). */
    public static PairBatches fixedPairs(float[] z0, float[] z1) {
        if (z0.length != z1.length || z0.length % 2 != 0 || z0.length == 0) {
            throw new IllegalArgumentException("reflow pairs need two equal, non-empty [n*2] arrays");
        }
        int count = z0.length / 2;
        return (random, n, x0, x1) -> {
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(count);
                x0[2 * i] = z0[2 * k];
                x0[2 * i + 1] = z0[2 * k + 1];
                x1[2 * i] = z1[2 * k];
                x1[2 * i + 1] = z1[2 * k + 1];
            }
        };
    }
}
