package org.flowbench.compute.train;

import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.ot.AssignmentSolution;
import org.flowbench.compute.ot.SquaredEuclideanOt;

import java.util.Locale;

/**
 * The conditional paths and couplings training takes by name (flows.md, "Probability paths and
 * couplings"):
 * <ul>
 *   <li>{@code linear}: x_t = (1-t) x0 + t x1, u_t = x1 - x0 (rectified flow, I-CFM with sigma 0);</li>
 *   <li>{@code icfm}: the same plus sigma eps, eps ~ N(0, I) (Tong et al.; sigma 0.1 by default);</li>
 *   <li>{@code vp}: x_t = cos(pi t/2) x0 + sin(pi t/2) x1, u_t = pi/2 (cos(pi t/2) x1 - sin(pi t/2) x0),
 *       visibly curved trajectories;</li>
 *   <li>{@code target-cfm}: x_t = t x1 + (1 - (1-sigma) t) x0, u_t = x1 - (1-sigma) x0 (Lipman et al.; needs a
 *       Gaussian source).</li>
 * </ul>
 * Couplings: {@code independent} (x0 and x1 drawn independently) and {@code ot} (exact
 * minibatch optimal transport under squared Euclidean cost, then paired accordingly).
 */
public final class TrainingPaths {

    /** The sigma icfm uses when none is given (Tong et al.'s 2D experiments). */
    public static final double DEFAULT_ICFM_SIGMA = 0.1;

    private TrainingPaths() {
    }

    /** The path with this name; {@code sigma} is NaN for "the path's default". */
    public static ConditionalPath path(String name, double sigma) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        switch (key) {
            case "linear", "rectified" -> {
                if (!Double.isNaN(sigma) && sigma != 0) {
                    throw new IllegalArgumentException("path 'linear' has no noise; use --path icfm for sigma " + sigma);
                }
                return ConditionalPath.STRAIGHT;
            }
            case "icfm" -> {
                double s = Double.isNaN(sigma) ? DEFAULT_ICFM_SIGMA : checkSigma(sigma);
                float sf = (float) s;
                return (x0, x1, t, n, random, xt, ut) -> {
                    for (int i = 0; i < n; i++) {
                        for (int j = 2 * i; j < 2 * i + 2; j++) {
                            xt[j] = (1 - t[i]) * x0[j] + t[i] * x1[j] + sf * (float) random.nextGaussian();
                            ut[j] = x1[j] - x0[j];
                        }
                    }
                };
            }
            case "vp", "trig" -> {
                if (!Double.isNaN(sigma) && sigma != 0) {
                    throw new IllegalArgumentException("path 'vp' takes no sigma, got " + sigma);
                }
                return (x0, x1, t, n, random, xt, ut) -> {
                    for (int i = 0; i < n; i++) {
                        double angle = 0.5 * Math.PI * t[i];
                        float c = (float) Math.cos(angle);
                        float s = (float) Math.sin(angle);
                        float half = (float) (0.5 * Math.PI);
                        for (int j = 2 * i; j < 2 * i + 2; j++) {
                            xt[j] = c * x0[j] + s * x1[j];
                            ut[j] = half * (c * x1[j] - s * x0[j]);
                        }
                    }
                };
            }
            case "target-cfm", "target", "lipman" -> {
                double s = Double.isNaN(sigma) ? 0 : checkSigma(sigma);
                float keep = (float) (1 - s);
                return (x0, x1, t, n, random, xt, ut) -> {
                    for (int i = 0; i < n; i++) {
                        for (int j = 2 * i; j < 2 * i + 2; j++) {
                            xt[j] = t[i] * x1[j] + (1 - keep * t[i]) * x0[j];
                            ut[j] = x1[j] - keep * x0[j];
                        }
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown path '" + name + "' (expected linear, icfm, vp or target-cfm)");
        }
    }

    /** The sigma a path uses, as recorded in checkpoints. */
    public static double effectiveSigma(String name, double sigma) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        if (!Double.isNaN(sigma)) {
            return sigma;
        }
        return key.equals("icfm") ? DEFAULT_ICFM_SIGMA : 0;
    }

    /** Canonical name of a path ({@code linear}, {@code icfm}, {@code vp}, {@code target-cfm}). */
    public static String canonicalPath(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "linear", "rectified" -> "linear";
            case "icfm" -> "icfm";
            case "vp", "trig" -> "vp";
            case "target-cfm", "target", "lipman" -> "target-cfm";
            default -> throw new IllegalArgumentException("unknown path '" + name + "' (expected linear, icfm, vp or target-cfm)");
        };
    }

    private static double checkSigma(double sigma) {
        if (!(sigma >= 0) || sigma > 10) {
            throw new IllegalArgumentException("sigma must be in [0, 10], got " + sigma);
        }
        return sigma;
    }

    /** Pairs from two datasets under the named coupling. */
    public static PairBatches coupling(String name, Dataset source, Dataset target) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        PairBatches independent = (random, n, x0, x1) -> {
            System.arraycopy(source.sample(n, random.nextLong()), 0, x0, 0, 2 * n);
            System.arraycopy(target.sample(n, random.nextLong()), 0, x1, 0, 2 * n);
        };
        return switch (key) {
            case "independent", "indep", "i" -> independent;
            case "ot", "minibatch-ot", "exact-ot" -> (random, n, x0, x1) -> {
                independent.next(random, n, x0, x1);
                AssignmentSolution plan = SquaredEuclideanOt.match(x0, x1, n);
                float[] drawn = java.util.Arrays.copyOf(x1, 2 * n);
                int[] partner = plan.rowToColumn();
                for (int i = 0; i < n; i++) {
                    x1[2 * i] = drawn[2 * partner[i]];
                    x1[2 * i + 1] = drawn[2 * partner[i] + 1];
                }
            };
            default -> throw new IllegalArgumentException("unknown coupling '" + name + "' (expected independent or ot)");
        };
    }

    public static String canonicalCoupling(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "independent", "indep", "i" -> "independent";
            case "ot", "minibatch-ot", "exact-ot" -> "ot";
            default -> throw new IllegalArgumentException("unknown coupling '" + name + "' (expected independent or ot)");
        };
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
