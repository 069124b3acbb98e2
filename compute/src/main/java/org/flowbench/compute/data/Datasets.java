package org.flowbench.compute.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in 2D distributions and a lookup by name.
 *
 * <p>Shapes and scalings follow the code of Tong et al. (atong01/conditional-flow-matching):
 * {@code torchcfm/utils.py} for 8gaussians and moons, the runner's data modules
 * ({@code runner/src/datamodules/distribution_datamodule.py} SKLearnDataModule,
 * {@code components/two_dim.py}, {@code components/generators2d.py}) for the others. Published
 * numbers depend on these constants, so they are fixed. Where that code lays points on evenly
 * spaced angles (torchdyn's and scikit-learn's moons and circles) we draw the angle uniformly
 * instead, which has the same distribution and keeps the draws independent.
 *
 * <p>The two targets have two versions each. {@code 8gaussians} and {@code moons} are torchcfm's
 * (its examples and notebooks). {@code 8gaussians-std1} and {@code moons-sklearn} are the runner's
 * data modules, which produced the 2D experiments of Tong et al.'s Table 2.
 */
public final class Datasets {

    /** Largest number of points one call may draw (keeps a typo from allocating gigabytes). */
    public static final int MAX_SAMPLES = 20_000_000;

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);

    /** Standard normal N(0, I): mean (0, 0), standard deviation 1 per axis. */
    public static final Dataset NORMAL = new StandardDataset("normal",
            "standard normal N(0, I)",
            (rng, out, o) -> {
                out[o] = (float) rng.nextGaussian();
                out[o + 1] = (float) rng.nextGaussian();
            });

    /**
     * torchcfm {@code sample_8gaussians}: centres at radius 5 in the 8 compass directions.
     * torchcfm passes {@code sqrt(var)} with var = 0.1 as the covariance matrix, so each
     * component has covariance sqrt(0.1) I and per-axis standard deviation 0.1^(1/4) = 0.5623.
     */
    public static final Dataset EIGHT_GAUSSIANS = new StandardDataset("8gaussians",
            "8 Gaussians at radius 5, per-axis std 0.1^(1/4) (torchcfm sample_8gaussians)",
            new MixtureOnCenters(eightCenters(5.0), Math.pow(0.1, 0.25)));

    /**
     * torchcfm {@code sample_moons}: torchdyn's two moons (outer arc (cos a, sin a), inner arc
     * (1 - cos a, 0.5 - sin a), a in [0, pi]) shifted by u (1, 1) with u ~ U[0, 0.2) (torchdyn adds
     * the same uniform draw to both coordinates), then scaled by 3 and shifted by -1.
     * Mean (0.8, 0.05).
     */
    public static final Dataset MOONS = new StandardDataset("moons",
            "two moons, torchdyn noise 0.2, times 3 minus 1 (torchcfm sample_moons)",
            (rng, out, o) -> {
                boolean inner = rng.nextDouble() < 0.5;
                double a = Math.PI * rng.nextDouble();
                double x = inner ? 1.0 - Math.cos(a) : Math.cos(a);
                double y = inner ? 0.5 - Math.sin(a) : Math.sin(a);
                double shift = 0.2 * rng.nextDouble();
                out[o] = (float) (3.0 * (x + shift) - 1.0);
                out[o + 1] = (float) (3.0 * (y + shift) - 1.0);
            });

    /**
     * Tong et al.'s runner, data module {@code gaussians} (TorchDynDataModule): torchdyn 1.0.5
     * {@code generate_gaussians} with n_gaussians 8, radius 5, std_gaussians 1, i.e. centres at
     * radius 5 in the 8 compass directions and per-axis standard deviation 1. The runner draws
     * N/8 points per centre; we draw the centre uniformly, which has the same distribution.
     * torchdyn's extra per-centre offset (std 1e-3) is left out. This is the 8gaussians of the
     * runner's Table 2 experiments; its modes overlap more than torchcfm's (3.8 against 6.8
     * standard deviations between neighbours).
     */
    public static final Dataset EIGHT_GAUSSIANS_STD1 = new StandardDataset("8gaussians-std1",
            "8 Gaussians at radius 5, per-axis std 1 (torchcfm runner 'gaussians', torchdyn 1.0.5)",
            new MixtureOnCenters(eightCenters(5.0), 1.0));

    /**
     * Tong et al.'s runner, data module {@code moons} (SKLearnDataModule): scikit-learn
     * {@code make_moons(noise=0.05)} (outer arc (cos a, sin a), inner arc (1 - cos a, 0.5 - sin a),
     * a in [0, pi], plus 0.05 N per coordinate) times 2, then x shifted by -1. Mean (0, 0.5).
     */
    public static final Dataset MOONS_SKLEARN = new StandardDataset("moons-sklearn",
            "two moons, sklearn noise 0.05, times 2, x minus 1 (torchcfm runner 'moons')",
            (rng, out, o) -> {
                boolean inner = rng.nextDouble() < 0.5;
                double a = Math.PI * rng.nextDouble();
                double x = (inner ? 1.0 - Math.cos(a) : Math.cos(a)) + 0.05 * rng.nextGaussian();
                double y = (inner ? 0.5 - Math.sin(a) : Math.sin(a)) + 0.05 * rng.nextGaussian();
                out[o] = (float) (2.0 * x - 1.0);
                out[o + 1] = (float) (2.0 * y);
            });

    /**
     * Runner SKLearnDataModule "scurve": scikit-learn {@code make_s_curve(noise=0.05)} keeping
     * coordinates 0 and 2, t = 3 pi (u - 1/2), (sin t, sign(t)(cos t - 1)) + 0.05 N, times 1.5.
     */
    public static final Dataset SCURVE = new StandardDataset("scurve",
            "S curve, noise 0.05, times 1.5 (torchcfm runner, sklearn make_s_curve)",
            (rng, out, o) -> {
                double t = 3.0 * Math.PI * (rng.nextDouble() - 0.5);
                double x = Math.sin(t) + 0.05 * rng.nextGaussian();
                double z = Math.signum(t) * (Math.cos(t) - 1.0) + 0.05 * rng.nextGaussian();
                out[o] = (float) (1.5 * x);
                out[o + 1] = (float) (1.5 * z);
            });

    /**
     * Runner two_dim "checker": x1 ~ U[-2, 2), x2 ~ U[0, 1) - 2 b (b a fair bit) + (floor(x1) mod 2),
     * times 7.5: a 4 x 4 checkerboard with 8 filled unit squares on [-15, 15]^2.
     */
    public static final Dataset CHECKERBOARD = new StandardDataset("checkerboard",
            "checkerboard of 8 squares on [-15, 15]^2 (torchcfm runner two_dim 'checker')",
            (rng, out, o) -> {
                double x1 = 4.0 * rng.nextDouble() - 2.0;
                double x2 = rng.nextDouble() - 2.0 * rng.nextInt(2) + Math.floorMod((int) Math.floor(x1), 2);
                out[o] = (float) (7.5 * x1);
                out[o + 1] = (float) (7.5 * x2);
            });

    /** Runner generators2d "25gaussians": centres 2 (i, j), i, j in {-2..2}, per-axis std 0.05. */
    public static final Dataset TWENTY_FIVE_GAUSSIANS = new StandardDataset("25gaussians",
            "5 x 5 grid of Gaussians, spacing 2, std 0.05 (torchcfm runner generators2d)",
            new MixtureOnCenters(gridCenters(), 0.05));

    /**
     * Runner generators2d "swissroll": scikit-learn {@code make_swiss_roll(noise=0.25)} keeping
     * coordinates 0 and 2, t = 1.5 pi (1 + 2u), (t cos t, t sin t) + 0.25 N, unscaled.
     */
    public static final Dataset SWISSROLL = new StandardDataset("swissroll",
            "swiss roll, noise 0.25, unscaled (torchcfm runner generators2d)",
            (rng, out, o) -> {
                double t = 1.5 * Math.PI * (1.0 + 2.0 * rng.nextDouble());
                out[o] = (float) (t * Math.cos(t) + 0.25 * rng.nextGaussian());
                out[o + 1] = (float) (t * Math.sin(t) + 0.25 * rng.nextGaussian());
            });

    /**
     * Runner SKLearnDataModule "circles": scikit-learn {@code make_circles(factor=0.5, noise=0.05)}
     * (half the points on the unit circle, half on radius 0.5, plus 0.05 N) times 3.5.
     */
    public static final Dataset CIRCLES = new StandardDataset("circles",
            "two circles, radii 3.5 and 1.75, noise 0.175 (torchcfm runner, sklearn make_circles x 3.5)",
            (rng, out, o) -> {
                double radius = rng.nextDouble() < 0.5 ? 0.5 : 1.0;
                double a = 2.0 * Math.PI * rng.nextDouble();
                out[o] = (float) (3.5 * (radius * Math.cos(a) + 0.05 * rng.nextGaussian()));
                out[o + 1] = (float) (3.5 * (radius * Math.sin(a) + 0.05 * rng.nextGaussian()));
            });

    /**
     * torchdyn {@code generate_spirals} geometry: winding angle r = sqrt(u) * 780 degrees (in
     * radians), arm (-r cos r, r sin r) or its mirror image. torchdyn's own jitter (uniform, 1e-4)
     * leaves curves of zero width, a degenerate density; we add isotropic Gaussian jitter of std 0.5.
     */
    public static final Dataset TWO_SPIRALS = new StandardDataset("spirals",
            "two interleaved spirals to radius 13.6, Gaussian jitter 0.5 (torchdyn generate_spirals)",
            (rng, out, o) -> {
                double r = Math.sqrt(rng.nextDouble()) * Math.toRadians(780.0);
                double sign = rng.nextDouble() < 0.5 ? 1.0 : -1.0;
                out[o] = (float) (sign * (-Math.cos(r) * r) + 0.5 * rng.nextGaussian());
                out[o + 1] = (float) (sign * (Math.sin(r) * r) + 0.5 * rng.nextGaussian());
            });

    private static final Map<String, Dataset> BY_NAME = new LinkedHashMap<>();

    static {
        for (Dataset d : List.of(NORMAL, EIGHT_GAUSSIANS, MOONS, SCURVE, CHECKERBOARD,
                TWENTY_FIVE_GAUSSIANS, SWISSROLL, CIRCLES, TWO_SPIRALS, EIGHT_GAUSSIANS_STD1, MOONS_SKLEARN)) {
            BY_NAME.put(d.name(), d);
        }
    }

    private Datasets() {
    }

    /** The built-in datasets in display order. */
    public static List<Dataset> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** Names of the built-in datasets in display order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * The built-in dataset with this name (case-insensitive; "two-spirals"/"twospirals" are
     * accepted for "spirals").
     *
     * @throws IllegalArgumentException naming the known datasets when there is none
     */
    public static Dataset byName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("dataset name is missing; known datasets: " + String.join(", ", names()));
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.equals("two-spirals") || key.equals("twospirals") || key.equals("2spirals")) {
            key = "spirals";
        }
        Dataset d = BY_NAME.get(key);
        if (d == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; known datasets: " + String.join(", ", names()));
        }
        return d;
    }

    static void checkCount(int n) {
        if (n < 0 || n > MAX_SAMPLES) {
            throw new IllegalArgumentException("number of samples must be in [0, " + MAX_SAMPLES + "], got " + n);
        }
    }

    private static double[] eightCenters(double radius) {
        double[] unit = {1, 0, -1, 0, 0, 1, 0, -1,
                INV_SQRT2, INV_SQRT2, INV_SQRT2, -INV_SQRT2, -INV_SQRT2, INV_SQRT2, -INV_SQRT2, -INV_SQRT2};
        double[] c = new double[unit.length];
        for (int i = 0; i < unit.length; i++) {
            c[i] = radius * unit[i];
        }
        return c;
    }

    private static double[] gridCenters() {
        double[] c = new double[50];
        int k = 0;
        for (int i = -2; i <= 2; i++) {
            for (int j = -2; j <= 2; j++) {
                c[k++] = 2.0 * i;
                c[k++] = 2.0 * j;
            }
        }
        return c;
    }

    /** Writes one point at {@code out[offset], out[offset + 1]}. */
    @FunctionalInterface
    interface PointGenerator {
        void draw(SeededRandom rng, float[] out, int offset);
    }

    /** Equal-weight isotropic Gaussian mixture. */
    private record MixtureOnCenters(double[] centers, double std) implements PointGenerator {
        @Override
        public void draw(SeededRandom rng, float[] out, int o) {
            int k = rng.nextInt(centers.length / 2);
            out[o] = (float) (centers[2 * k] + std * rng.nextGaussian());
            out[o + 1] = (float) (centers[2 * k + 1] + std * rng.nextGaussian());
        }
    }

    private static final class StandardDataset implements Dataset {
        private final String name;
        private final String description;
        private final PointGenerator generator;

        StandardDataset(String name, String description, PointGenerator generator) {
            this.name = name;
            this.description = description;
            this.generator = generator;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public float[] sample(int n, long seed) {
            checkCount(n);
            SeededRandom rng = new SeededRandom(seed);
            float[] xy = new float[2 * n];
            for (int i = 0; i < n; i++) {
                generator.draw(rng, xy, 2 * i);
            }
            return xy;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
