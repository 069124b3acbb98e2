package org.flowbench.views.figure;

/**
 * An axis-aligned rectangle in data coordinates: the limits a plot shows.
 *
 * @param xMin smallest x shown
 * @param xMax largest x shown, greater than {@code xMin}
 * @param yMin smallest y shown
 * @param yMax largest y shown, greater than {@code yMin}
 */
public record DataBounds(double xMin, double xMax, double yMin, double yMax) {

    public DataBounds {
        if (!(Double.isFinite(xMin) && Double.isFinite(xMax) && Double.isFinite(yMin) && Double.isFinite(yMax))) {
            throw new IllegalArgumentException("plot limits must be finite, got x [" + xMin + ", " + xMax
                    + "], y [" + yMin + ", " + yMax + "]");
        }
        if (!(xMax > xMin && yMax > yMin)) {
            throw new IllegalArgumentException("plot limits must have positive width and height, got x ["
                    + xMin + ", " + xMax + "], y [" + yMin + ", " + yMax + "]");
        }
    }

    /**
     * The smallest bounds holding every finite point of {@code xy // [n*2]}; non-finite points are
     * left out. A single point or a line of points gets a unit-sized box around it.
     *
     * @throws IllegalArgumentException when no point is finite
     */
    public static DataBounds of(float[]... xys) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (float[] xy : xys) {
            for (int i = 0; i + 1 < xy.length; i += 2) {
                float x = xy[i];
                float y = xy[i + 1];
                if (Float.isFinite(x) && Float.isFinite(y)) {
                    xMin = Math.min(xMin, x);
                    xMax = Math.max(xMax, x);
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        if (xMin > xMax) {
            throw new IllegalArgumentException("no finite points to plot");
        }
        if (xMax - xMin < 1e-9) {
            xMin -= 0.5;
            xMax += 0.5;
        }
        if (yMax - yMin < 1e-9) {
            yMin -= 0.5;
            yMax += 0.5;
        }
        return new DataBounds(xMin, xMax, yMin, yMax);
    }

    public double width() {
        return xMax - xMin;
    }

    public double height() {
        return yMax - yMin;
    }

    public double centerX() {
        return 0.5 * (xMin + xMax);
    }

    public double centerY() {
        return 0.5 * (yMin + yMax);
    }

    /** These bounds grown by {@code fraction} of the larger side on every edge, so points do not touch the frame. */
    public DataBounds padded(double fraction) {
        double pad = fraction * Math.max(width(), height());
        return new DataBounds(xMin - pad, xMax + pad, yMin - pad, yMax + pad);
    }

    /** The smallest bounds holding both. */
    public DataBounds union(DataBounds other) {
        return new DataBounds(Math.min(xMin, other.xMin), Math.max(xMax, other.xMax),
                Math.min(yMin, other.yMin), Math.max(yMax, other.yMax));
    }

    /**
     * These bounds widened on one axis, about their centre, so that width / height equals
     * {@code aspect}: a plot area of that shape then shows one data unit as the same length on both axes.
     */
    public DataBounds withAspect(double aspect) {
        if (!(aspect > 0) || !Double.isFinite(aspect)) {
            throw new IllegalArgumentException("aspect ratio must be positive and finite, got " + aspect);
        }
        if (width() / height() < aspect) {
            double half = 0.5 * height() * aspect;
            return new DataBounds(centerX() - half, centerX() + half, yMin, yMax);
        }
        double half = 0.5 * width() / aspect;
        return new DataBounds(xMin, xMax, centerY() - half, centerY() + half);
    }

    /** True when the point lies inside or on the edge. */
    public boolean contains(double x, double y) {
        return x >= xMin && x <= xMax && y >= yMin && y <= yMax;
    }
}
