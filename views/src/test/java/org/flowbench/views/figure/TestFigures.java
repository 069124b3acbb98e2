package org.flowbench.views.figure;

import org.flowbench.compute.data.SeededRandom;

import java.util.Arrays;

/** Figures with known content for the export tests. */
final class TestFigures {

    /** The colour of every dot in {@link #separatedDots}; no theme colour is close to it. */
    static final int DOT_COLOUR = 0xD55E00;

    private TestFigures() {
    }

    /**
     * {@code n} dots at seeded random places in [0, 10]^2, no two closer than {@code minDistance}
     * data units, so that each dot is a separate blob in a raster render.
     *
     * @return {@code float[] xy // [n*2]}
     */
    static float[] separatedPoints(int n, double minDistance, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] xy = new float[2 * n];
        int placed = 0;
        int attempts = 0;
        while (placed < n) {
            if (++attempts > 1_000_000) {
                throw new IllegalStateException("cannot place " + n + " points " + minDistance + " apart");
            }
            double x = 10 * random.nextDouble();
            double y = 10 * random.nextDouble();
            boolean free = true;
            for (int j = 0; j < placed && free; j++) {
                double dx = xy[2 * j] - x;
                double dy = xy[2 * j + 1] - y;
                free = dx * dx + dy * dy >= minDistance * minDistance;
            }
            if (free) {
                xy[2 * placed] = (float) x;
                xy[2 * placed + 1] = (float) y;
                placed++;
            }
        }
        return xy;
    }

    /** A scatter figure of well-separated dots in one colour, limits fixed to [-0.5, 10.5]^2. */
    static ScatterFigure separatedDots(float[] xy, FigureTheme theme) {
        int[] colours = new int[xy.length / 2];
        Arrays.fill(colours, DOT_COLOUR);
        return new ScatterFigure("Separated dots", xy, colours, new DataBounds(-0.5, 10.5, -0.5, 10.5), theme);
    }
}
