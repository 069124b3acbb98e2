package org.flowbench.compute.train;

import java.util.Locale;

/**
 * The regression loss between predicted velocities v and targets u, averaged over the batch.
 * Written on the command line as {@code l2} or {@code huber[:c]}.
 */
public abstract sealed class Loss {

    /**
     * Computes the mean loss over {@code n} rows of {@code dim} values and writes its gradient
     * with respect to each prediction into {@code gradient} (already divided by n).
     *
     * @param predicted {@code [n*dim]}
     * @param target    {@code [n*dim]}
     * @param gradient  {@code [n*dim]}, written
     * @return the mean loss, in double
     */
    public abstract double evaluate(float[] predicted, float[] target, int n, int dim, float[] gradient);

    public abstract String spec();

    @Override
    public String toString() {
        return spec();
    }

    public static Loss parse(String text) {
        String original = text.strip();
        String s = original.toLowerCase(Locale.ROOT);
        if (s.equals("l2") || s.equals("mse")) {
            return new SquaredError();
        }
        if (s.equals("huber") || s.equals("pseudo-huber")) {
            return new PseudoHuber(PseudoHuber.DEFAULT_C);
        }
        if (s.startsWith("huber:") || s.startsWith("pseudo-huber:")) {
            String arg = original.substring(original.indexOf(':') + 1).strip();
            double c;
            try {
                c = Double.parseDouble(arg);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("loss '" + text + "': Huber constant '" + arg + "' is not a number");
            }
            return new PseudoHuber(c);
        }
        throw new IllegalArgumentException("unknown loss '" + text + "' (expected l2 or huber[:c])");
    }

    /** ||v - u||^2 per row (summed over coordinates), the conditional flow matching objective. */
    public static final class SquaredError extends Loss {
        @Override
        public double evaluate(float[] predicted, float[] target, int n, int dim, float[] gradient) {
            double total = 0;
            float scale = 2f / n;
            for (int k = 0; k < n * dim; k++) {
                float d = predicted[k] - target[k];
                total += (double) d * d;
                gradient[k] = scale * d;
            }
            return total / n;
        }

        @Override
        public String spec() {
            return "l2";
        }
    }

    /**
     * Pseudo-Huber sqrt(||v - u||^2 + c^2) - c per row (Lee, Lin and Fanti 2024): quadratic below c,
     * linear above, so outlier pairs pull less. They use c = 0.00054 sqrt(D) for images; in 2D that
     * is 7.6e-4, the default here.
     */
    public static final class PseudoHuber extends Loss {
        public static final double DEFAULT_C = 0.00054 * Math.sqrt(2);
        private final double c;

        public PseudoHuber(double c) {
            if (!(c > 0) || !Double.isFinite(c)) {
                throw new IllegalArgumentException("Huber constant c must be positive and finite, got " + c);
            }
            this.c = c;
        }

        public double c() {
            return c;
        }

        @Override
        public double evaluate(float[] predicted, float[] target, int n, int dim, float[] gradient) {
            double total = 0;
            double c2 = c * c;
            for (int i = 0; i < n; i++) {
                double squared = 0;
                for (int j = 0; j < dim; j++) {
                    double d = predicted[i * dim + j] - target[i * dim + j];
                    squared += d * d;
                }
                double root = Math.sqrt(squared + c2);
                total += root - c;
                double scale = 1.0 / (root * n);
                for (int j = 0; j < dim; j++) {
                    int k = i * dim + j;
                    gradient[k] = (float) ((predicted[k] - target[k]) * scale);
                }
            }
            return total / n;
        }

        @Override
        public String spec() {
            return "huber:" + c;
        }
    }
}
