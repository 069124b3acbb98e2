package org.flowbench.compute.train;

import org.flowbench.compute.data.SeededRandom;

import java.util.Locale;

/**
 * Where on [0, 1] training draws its times t. Written on the command line as {@code uniform},
 * {@code logit-normal[:m,s]} or {@code u-shaped[:a]}.
 */
public abstract sealed class TimestepDistribution {

    /** Lower end of the u-shaped sampler's range (Lee, Lin and Fanti 2024 keep t off the endpoints). */
    public static final double U_SHAPED_T_MIN = 1e-5;
    public static final double U_SHAPED_T_MAX = 1 - 1e-5;

    /** Fills {@code t} with independent draws. */
    public abstract void sample(SeededRandom random, float[] t, int n);

    /** Cumulative distribution function, for tests and plots. */
    public abstract double cdf(double t);

    /** The text {@link #parse} accepts for this distribution. */
    public abstract String spec();

    @Override
    public String toString() {
        return spec();
    }

    /** Parses {@code uniform}, {@code logit-normal}, {@code logit-normal:m,s}, {@code u-shaped} or {@code u-shaped:a}. */
    public static TimestepDistribution parse(String text) {
        String s = text.strip();
        String name = s.toLowerCase(Locale.ROOT);
        String args = null;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            name = s.substring(0, colon).toLowerCase(Locale.ROOT);
            args = s.substring(colon + 1);
        }
        switch (name) {
            case "uniform":
                if (args != null) {
                    throw new IllegalArgumentException("time distribution 'uniform' takes no parameter, got '" + text + "'");
                }
                return new Uniform();
            case "logit-normal":
            case "lognormal":
            case "logit_normal":
                if (args == null) {
                    return new LogitNormal(0, 1);
                }
                String[] parts = args.split(",");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("time distribution 'logit-normal:m,s' needs a mean and a std, got '" + text + "'");
                }
                return new LogitNormal(number(parts[0], text), number(parts[1], text));
            case "u-shaped":
            case "ushaped":
            case "u_shaped":
                return new UShaped(args == null ? 4.0 : number(args, text));
            case "constant":
                if (args == null) {
                    throw new IllegalArgumentException("time distribution 'constant:t' needs a time");
                }
                return new Constant(number(args, text));
            default:
                throw new IllegalArgumentException("unknown time distribution '" + text
                        + "' (expected uniform, logit-normal[:m,s] or u-shaped[:a])");
        }
    }

    private static double number(String s, String whole) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("time distribution '" + whole + "' has a parameter that is not a number: '" + s.strip() + "'");
        }
    }

    /** t ~ U[0, 1). */
    public static final class Uniform extends TimestepDistribution {
        @Override
        public void sample(SeededRandom random, float[] t, int n) {
            for (int i = 0; i < n; i++) {
                t[i] = random.nextFloat();
            }
        }

        @Override
        public double cdf(double t) {
            return Math.max(0, Math.min(1, t));
        }

        @Override
        public String spec() {
            return "uniform";
        }
    }

    /** t = sigmoid(m + s z), z ~ N(0, 1) (Esser et al. 2024): concentrates training on the middle of the path. */
    public static final class LogitNormal extends TimestepDistribution {
        private final double mean;
        private final double std;

        public LogitNormal(double mean, double std) {
            if (!Double.isFinite(mean) || Math.abs(mean) > 20) {
                throw new IllegalArgumentException("logit-normal mean must be finite and in [-20, 20], got " + mean);
            }
            if (!(std > 0) || std > 20) {
                throw new IllegalArgumentException("logit-normal std must be in (0, 20], got " + std);
            }
            this.mean = mean;
            this.std = std;
        }

        @Override
        public void sample(SeededRandom random, float[] t, int n) {
            for (int i = 0; i < n; i++) {
                t[i] = (float) (1.0 / (1.0 + Math.exp(-(mean + std * random.nextGaussian()))));
            }
        }

        @Override
        public double cdf(double t) {
            if (t <= 0) {
                return 0;
            }
            if (t >= 1) {
                return 1;
            }
            return NormalCdf.phi((Math.log(t / (1 - t)) - mean) / std);
        }

        @Override
        public String spec() {
            return mean == 0 && std == 1 ? "logit-normal" : "logit-normal:" + mean + "," + std;
        }
    }

    /**
     * Density proportional to cosh(a (t - 1/2)) on [0, 1] (Lee, Lin and Fanti 2024): more weight
     * near both ends. Draws t from a e^{a t} / (e^a - 1) by its inverse CDF, mirrors each draw to
     * 1 - t with probability 1/2, then maps [0, 1] onto [1e-5, 1 - 1e-5] as their code does.
     */
    public static final class UShaped extends TimestepDistribution {
        private final double a;

        public UShaped(double a) {
            if (!(a > 0) || a > 50) {
                throw new IllegalArgumentException("u-shaped parameter a must be in (0, 50], got " + a);
            }
            this.a = a;
        }

        public double a() {
            return a;
        }

        @Override
        public void sample(SeededRandom random, float[] t, int n) {
            double scale = Math.expm1(a);
            for (int i = 0; i < n; i++) {
                double u = random.nextDouble();
                double s = Math.log1p(u * scale) / a;
                if (random.nextDouble() < 0.5) {
                    s = 1 - s;
                }
                t[i] = (float) (U_SHAPED_T_MIN + s * (U_SHAPED_T_MAX - U_SHAPED_T_MIN));
            }
        }

        @Override
        public double cdf(double t) {
            double s = (t - U_SHAPED_T_MIN) / (U_SHAPED_T_MAX - U_SHAPED_T_MIN);
            if (s <= 0) {
                return 0;
            }
            if (s >= 1) {
                return 1;
            }
            double half = Math.sinh(a / 2);
            return (Math.sinh(a * (s - 0.5)) + half) / (2 * half);
        }

        @Override
        public String spec() {
            return "u-shaped:" + a;
        }
    }

    /** Every draw is the same time; t = 0 trains a one-step generator z1 = z0 + v(z0, 0) (distillation). */
    public static final class Constant extends TimestepDistribution {
        private final float value;

        public Constant(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("constant time must be in [0, 1], got " + value);
            }
            this.value = (float) value;
        }

        @Override
        public void sample(SeededRandom random, float[] t, int n) {
            java.util.Arrays.fill(t, 0, n, value);
        }

        @Override
        public double cdf(double t) {
            return t >= value ? 1 : 0;
        }

        @Override
        public String spec() {
            return "constant:" + value;
        }
    }

    /** Standard normal CDF through erfc (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    static final class NormalCdf {
        private NormalCdf() {
        }

        static double phi(double x) {
            return 0.5 * erfc(-x / Math.sqrt(2));
        }

        static double erfc(double x) {
            double z = Math.abs(x);
            double t = 1 / (1 + 0.5 * z);
            double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                    + t * (-0.82215223 + t * 0.17087277)))))))));
            return x >= 0 ? r : 2 - r;
        }
    }
}
