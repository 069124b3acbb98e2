package org.flowbench.views.poincare;

import java.util.Locale;

/**
 * What the disc shows before the view's re-centring: a hierarchy's points in the ball of
 * curvature -c, held in the disc's own coordinates (the ball scaled by sqrt c to the unit disc).
 * The curvature keeps each point's direction and its distance from the centre, so changing it
 * bends the rest of the geometry: a larger c pushes the same distances towards the rim. Immutable.
 *
 * @param hierarchy the nodes and their tree
 * @param layout    the points at curvature -1 and what their drawing loses
 * @param curvature c > 0
 * @param xy        the points in disc coordinates at this curvature // [n*2]
 * @param name      what the embedding is, for the header ("mammal closure, 2-D poincare")
 */
public record DiscScene(Hierarchy hierarchy, DiscLayout layout, double curvature, double[] xy, String name) {

    public static final double MIN_CURVATURE = 0.05;
    public static final double MAX_CURVATURE = 4.0;

    /** The scene of {@code layout} at curvature {@code c}. */
    public static DiscScene of(Hierarchy hierarchy, DiscLayout layout, double c, String name) {
        if (!(c >= MIN_CURVATURE && c <= MAX_CURVATURE)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "curvature must be between %s and %s (got %s)",
                    MIN_CURVATURE, MAX_CURVATURE, c));
        }
        if (layout.xy().length != 2 * hierarchy.size()) {
            throw new IllegalArgumentException("the layout has " + layout.xy().length / 2 + " points but the hierarchy "
                    + hierarchy.size() + " nodes");
        }
        double[] base = layout.xy();
        double[] xy = new double[base.length];
        double sqrtC = Math.sqrt(c);
        for (int i = 0; i < base.length; i += 2) {
            double r = Math.hypot(base[i], base[i + 1]);
            if (r > 0) {
                // the same distance from the centre, 2 artanh(r), in the ball of curvature -c
                double rc = Math.tanh(sqrtC * DiscView.atanh(Math.min(r, 1 - 1e-12)));
                xy[i] = base[i] * rc / r;
                xy[i + 1] = base[i + 1] * rc / r;
            }
        }
        return new DiscScene(hierarchy, layout, c, xy, name);
    }

    /** The same points at another curvature. */
    public DiscScene withCurvature(double c) {
        return of(hierarchy, layout, c, name);
    }

    public int size() {
        return hierarchy.size();
    }

    /** Geodesic distance in the ball of curvature -c between nodes i and j. */
    public double distance(int i, int j) {
        return distance(xy[2 * i], xy[2 * i + 1], xy[2 * j], xy[2 * j + 1]);
    }

    /** Geodesic distance in the ball of curvature -c between two points given in disc coordinates. */
    public double distance(double x1, double y1, double x2, double y2) {
        return DiscLayout.unitDistance(x1, y1, x2, y2) / Math.sqrt(curvature);
    }

    /** Euclidean length between two points given in disc coordinates, in the ball's own coordinates. */
    public double euclidean(double x1, double y1, double x2, double y2) {
        return Math.hypot(x1 - x2, y1 - y2) / Math.sqrt(curvature);
    }

    /** The norm of node i in the ball of curvature -c (at most 1 / sqrt c). */
    public double norm(int i) {
        return Math.hypot(xy[2 * i], xy[2 * i + 1]) / Math.sqrt(curvature);
    }
}
