package org.flowbench.compute.embedding;

import java.util.Locale;

import org.flowbench.compute.data.SeededRandom;

/**
 * A space to embed into, as the training loop and the evaluation see it. A point of an
 * embedding of dimension {@code dim} takes {@link #coordinates(int)} doubles in a flat table;
 * methods address a point by its offset in that table. Implementations are stateless.
 */
public interface Manifold {

    /** Name used on the command line and in files: poincare, lorentz or euclidean. */
    String name();

    /** Doubles per point for an embedding of dimension dim (dim + 1 on the hyperboloid). */
    int coordinates(int dim);

    /** Draws a starting point near the origin, as the reference code initialises it. */
    void initialize(double[] table, int at, int k, SeededRandom rng);

    /** The "distance" the loss and the ranking use between points at offsets a and b. */
    double distance(double[] table, int a, int b, int k);

    /**
     * A number that orders points b by their distance from a exactly as {@link #distance}
     * does, cheaper to compute (the ranking in the evaluation needs only the order).
     */
    default double rankingKey(double[] table, int a, int b, int k) {
        return distance(table, a, b, k);
    }

    /**
     * Adds {@code scale} times the gradient of {@link #distance} with respect to point a into
     * ga[gaAt..] and with respect to point b into gb[gbAt..]; returns the distance.
     */
    double distanceGradient(double[] table, int a, int b, int k, double scale, double[] ga, int gaAt, double[] gb, int gbAt);

    /** One Riemannian SGD step of the point at offset {@code at} along the Euclidean gradient grad[gAt..], then back onto the manifold. */
    void step(double[] table, int at, int k, double[] grad, int gAt, double lr);

    /**
     * Why a stored point is not a valid point of this manifold (outside the ball, off the
     * hyperboloid, not finite), or null when it is.
     */
    String invalidPoint(double[] table, int at, int k);

    /** The Poincaré-ball coordinates of a point, for drawing (the identity on the ball, the projection from the hyperboloid). */
    double[] toBall(double[] table, int at, int k);

    static Manifold byName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "poincare":
                return PoincareManifold.INSTANCE;
            case "euclidean":
                return EuclideanManifold.INSTANCE;
            case "lorentz":
                return LorentzManifold.INSTANCE;
            default:
                throw new IllegalArgumentException("unknown manifold '" + name + "': use poincare, lorentz or euclidean");
        }
    }
}
