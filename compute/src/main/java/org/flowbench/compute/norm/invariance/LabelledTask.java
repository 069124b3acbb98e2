package org.flowbench.compute.norm.invariance;

import org.flowbench.compute.data.SeededRandom;

import java.util.Locale;

/**
 * Two-class tasks in the plane: {@code moons} (scikit-learn's {@code make_moons}: the outer arc
 * (cos a, sin a), the inner arc (1 - cos a, 1/2 - sin a), a uniform in [0, pi], then centred by
 * (-1/2, -1/4)) and {@code spirals} (two interleaved arms, r = a / (3 pi) for a in [0, 3 pi],
 * the second arm turned by pi), each with Gaussian noise of standard deviation {@code noise}.
 */
public enum LabelledTask {
    MOONS, SPIRALS;

    /** Most points one task may hold. */
    public static final int MAX_POINTS = 100_000;

    /** Points and their classes: {@code xy // [n*2]}, {@code label // [n]} in {0, 1}. */
    public record Points(double[] xy, int[] label) {
        public int size() {
            return label.length;
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LabelledTask byId(String id) {
        for (LabelledTask t : values()) {
            if (t.id().equals(id == null ? null : id.strip().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task '" + id + "'; choose moons or spirals");
    }

    /** {@code n} points, half of each class (alternating), from {@code seed}. */
    public Points sample(int n, double noise, long seed) {
        if (n < 2 || n > MAX_POINTS) {
            throw new IllegalArgumentException("points must be between 2 and " + MAX_POINTS + ", got " + n);
        }
        if (!(noise >= 0 && noise <= 1)) {
            throw new IllegalArgumentException("noise must be in [0, 1], got " + noise);
        }
        SeededRandom random = new SeededRandom(seed);
        double[] xy = new double[2 * n];
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 2;
            double x;
            double y;
            if (this == MOONS) {
                double a = Math.PI * random.nextDouble();
                x = c == 0 ? Math.cos(a) : 1 - Math.cos(a);
                y = c == 0 ? Math.sin(a) : 0.5 - Math.sin(a);
                x -= 0.5;
                y -= 0.25;
            } else {
                double a = 3 * Math.PI * random.nextDouble();
                double r = a / (3 * Math.PI);
                double turn = c == 0 ? 0 : Math.PI;
                x = r * Math.cos(a + turn);
                y = r * Math.sin(a + turn);
            }
            xy[2 * i] = x + noise * random.nextGaussian();
            xy[2 * i + 1] = y + noise * random.nextGaussian();
            label[i] = c;
        }
        return new Points(xy, label);
    }
}
