package org.flowbench.compute.embedding;

import java.util.Arrays;
import java.util.Objects;

/**
 * Named points on a manifold: point i, named {@code names[i]}, takes
 * {@code manifold.coordinates(dim)} doubles starting at {@code i * coordinates} of
 * {@code coordinates()}. Immutable: the constructor and the accessor copy.
 */
public final class HierarchyEmbedding {

    private final String[] names;
    private final Manifold manifold;
    private final int dim;
    private final double[] coordinates; // [names.length * manifold.coordinates(dim)]

    public HierarchyEmbedding(String[] names, Manifold manifold, int dim, double[] coordinates) {
        this(names, manifold, dim, coordinates, true);
    }

    /** Wraps arrays the caller hands over and never changes again (the trainer's snapshots). */
    static HierarchyEmbedding wrap(String[] names, Manifold manifold, int dim, double[] coordinates) {
        return new HierarchyEmbedding(names, manifold, dim, coordinates, false);
    }

    private HierarchyEmbedding(String[] names, Manifold manifold, int dim, double[] coordinates, boolean copy) {
        this.manifold = Objects.requireNonNull(manifold);
        int k = manifold.coordinates(dim);
        if (dim < 1 || (long) names.length * k != coordinates.length) {
            throw new IllegalArgumentException(names.length + " names of " + k + " coordinates need " + (long) names.length * k
                    + " values, got " + coordinates.length);
        }
        this.names = copy ? names.clone() : names;
        this.dim = dim;
        this.coordinates = copy ? coordinates.clone() : coordinates;
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public String[] names() {
        return names.clone();
    }

    public Manifold manifold() {
        return manifold;
    }

    /** Dimension of the embedding (the hyperboloid stores one coordinate more). */
    public int dim() {
        return dim;
    }

    /** Doubles per point. */
    public int stride() {
        return manifold.coordinates(dim);
    }

    /** A copy of all coordinates, row after row. */
    public double[] coordinates() {
        return coordinates.clone();
    }

    double[] table() {
        return coordinates;
    }

    public double[] point(int i) {
        int k = stride();
        return Arrays.copyOfRange(coordinates, i * k, (i + 1) * k);
    }

    public double distance(int i, int j) {
        int k = stride();
        return manifold.distance(coordinates, i * k, j * k, k);
    }

    /** Point i in the Poincaré ball, for drawing. */
    public double[] ballPoint(int i) {
        int k = stride();
        return manifold.toBall(coordinates, i * k, k);
    }

    /** The first invalid point as one line, or null when every point is valid. */
    public String firstInvalidPoint() {
        int k = stride();
        for (int i = 0; i < names.length; i++) {
            String why = manifold.invalidPoint(coordinates, i * k, k);
            if (why != null) {
                return "the vector of '" + names[i] + "' " + why;
            }
        }
        return null;
    }
}
