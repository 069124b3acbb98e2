package org.flowbench.compute.data;

/** A seeded source of 2D points. */
public interface Dataset {

    /** Short stable name used on the command line, in sessions and in {@link Datasets#byName}. */
    String name();

    /** One line saying what the distribution is and how it is scaled. */
    String description();

    /**
     * Draws {@code n} points. The result is a pure function of {@code (n, seed)}.
     *
     * @return {@code float[] xy // [n*2]}, row-major (x0, y0, x1, y1, ...)
     */
    float[] sample(int n, long seed);
}
