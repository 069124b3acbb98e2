package org.flowbench.compute.hyperbolic;

/**
 * The Poincaré ball {x : c ||x||^2 < 1} with curvature -c. Points and tangent vectors are
 * {@code double[]} of the ball's dimension; every method returns a new array and leaves its
 * arguments unchanged. Immutable and safe to share between threads.
 * <p>
 * As in geoopt's {@code PoincareBall} manifold, the operations that produce points (Möbius
 * addition and scaling, the exponential maps, the midpoint) project their result back to norm
 * at most (1 - 1e-5) / sqrt c, so a point never rounds onto the rim.
 */
public final class PoincareBall {

    /** Largest argument passed to artanh: keeps it finite in float64 as geoopt does. */
    private static final double ARTANH_LIMIT = 1.0 - 1e-15;
    /** Norms below this are treated as zero when dividing by them (geoopt's min norm). */
    private static final double MIN_NORM = 1e-15;
    /** Distance of the projection boundary from the rim in float64 (geoopt's eps). */
    public static final double PROJECTION_EPS = 1e-5;

    private final double c;
    private final double sqrtC;

    public PoincareBall(double curvature) {
        if (!(curvature > 0) || !Double.isFinite(curvature)) {
            throw new IllegalArgumentException("curvature c must be positive and finite, got " + curvature);
        }
        this.c = curvature;
        this.sqrtC = Math.sqrt(curvature);
    }

    /** The unit ball (c = 1). */
    public static PoincareBall unit() {
        return new PoincareBall(1.0);
    }

    public double curvature() {
        return c;
    }

    /** Euclidean radius of the ball, 1 / sqrt(c). */
    public double radius() {
        return 1.0 / sqrtC;
    }

    /** Conformal factor lambda_x = 2 / (1 - c ||x||^2). */
    public double conformalFactor(double[] x) {
        return 2.0 / (1.0 - c * dot(x, x));
    }

    /** Möbius addition x (+) y. */
    public double[] mobiusAdd(double[] x, double[] y) {
        checkSameDimension(x, y);
        double xy = dot(x, y);
        double x2 = dot(x, x);
        double y2 = dot(y, y);
        double a = 1 + 2 * c * xy + c * y2;
        double b = 1 - c * x2;
        double denominator = Math.max(1 + 2 * c * xy + c * c * x2 * y2, MIN_NORM);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (a * x[i] + b * y[i]) / denominator;
        }
        return projectInPlace(out);
    }

    /** Möbius scalar multiplication r (x) x = tanh(r artanh(sqrt c ||x||)) x / (sqrt c ||x||). */
    public double[] mobiusScale(double r, double[] x) {
        double norm = Math.max(norm(x), MIN_NORM);
        double factor = Math.tanh(r * artanh(sqrtC * norm)) / (sqrtC * norm);
        return projectInPlace(scaled(x, factor));
    }

    /** Geodesic distance, (1 / sqrt c) arcosh(1 + 2c ||x - y||^2 / ((1 - c||x||^2)(1 - c||y||^2))), accurate near 0 and near the rim. */
    public double distance(double[] x, double[] y) {
        checkSameDimension(x, y);
        double diff2 = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            diff2 += d * d;
        }
        double ax = Math.max(1 - c * dot(x, x), Double.MIN_NORMAL);
        double ay = Math.max(1 - c * dot(y, y), Double.MIN_NORMAL);
        double z = 2 * c * diff2 / (ax * ay);
        return log1pAcosh(z) / sqrtC;
    }

    /** Distance as geoopt writes it: (2 / sqrt c) artanh(sqrt c ||(-x) (+) y||). */
    public double distanceByMobius(double[] x, double[] y) {
        return 2.0 / sqrtC * artanh(sqrtC * norm(mobiusAdd(negate(x), y)));
    }

    /** Euclidean gradient of d(x, y) with respect to x. Zero at x = y. */
    public double[] distanceGradient(double[] x, double[] y) {
        checkSameDimension(x, y);
        double x2 = dot(x, x);
        double y2 = dot(y, y);
        double xy = dot(x, y);
        double diff2 = Math.max(x2 - 2 * xy + y2, 0);
        double ax = 1 - c * x2;
        double ay = 1 - c * y2;
        double z = 1 + 2 * c * diff2 / (ax * ay);
        double root = Math.sqrt(Math.max(z * z - 1, 0));
        double[] g = new double[x.length];
        if (root == 0) {
            return g;
        }
        // d = arcosh(z) / sqrt c; dz/dx = (4c / (ax ay)) ((x - y) + c diff2 x / ax)
        double scale = 4 * c / (ax * ay) / (root * sqrtC);
        for (int i = 0; i < x.length; i++) {
            g[i] = scale * ((x[i] - y[i]) + c * diff2 * x[i] / ax);
        }
        return g;
    }

    /** Exponential map at the origin. */
    public double[] expmap0(double[] u) {
        double norm = Math.max(norm(u), MIN_NORM);
        return projectInPlace(scaled(u, Math.tanh(Math.min(sqrtC * norm, 15.0)) / (sqrtC * norm)));
    }

    /** Logarithmic map at the origin. */
    public double[] logmap0(double[] y) {
        double norm = Math.max(norm(y), MIN_NORM);
        return scaled(y, artanh(sqrtC * norm) / (sqrtC * norm));
    }

    /** Exponential map at x: x (+) tanh(sqrt c lambda_x ||u|| / 2) u / (sqrt c ||u||). */
    public double[] expmap(double[] x, double[] u) {
        checkSameDimension(x, u);
        double norm = Math.max(norm(u), MIN_NORM);
        double t = Math.tanh(Math.min(sqrtC * conformalFactor(x) * norm / 2, 15.0));
        return mobiusAdd(x, scaled(u, t / (sqrtC * norm)));
    }

    /** Logarithmic map at x: (2 / (sqrt c lambda_x)) artanh(sqrt c ||w||) w / ||w|| with w = (-x) (+) y. */
    public double[] logmap(double[] x, double[] y) {
        double[] w = mobiusAdd(negate(x), y);
        double norm = Math.max(norm(w), MIN_NORM);
        double factor = 2.0 / (sqrtC * conformalFactor(x)) * artanh(sqrtC * norm) / norm;
        return scaled(w, factor);
    }

    /** Gyration gyr[u, v] w, the rotation that makes Möbius addition associative up to it. */
    public double[] gyration(double[] u, double[] v, double[] w) {
        checkSameDimension(u, v);
        checkSameDimension(u, w);
        double k = -c;
        double u2 = dot(u, u);
        double v2 = dot(v, v);
        double uv = dot(u, v);
        double uw = dot(u, w);
        double vw = dot(v, w);
        double k2 = k * k;
        double a = -k2 * uw * v2 - k * vw + 2 * k2 * uv * vw;
        double b = -k2 * vw * u2 + k * uw;
        double d = Math.max(1 - 2 * k * uv + k2 * u2 * v2, MIN_NORM);
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] + 2 * (a * u[i] + b * v[i]) / d;
        }
        return out;
    }

    /** Parallel transport of the tangent vector v from x to y: gyr[y, -x] v lambda_x / lambda_y. */
    public double[] transport(double[] x, double[] y, double[] v) {
        double[] rotated = gyration(y, negate(x), v);
        return scaled(rotated, conformalFactor(x) / conformalFactor(y));
    }

    /** Parallel transport of v from the origin to y: v (1 - c ||y||^2). */
    public double[] transport0(double[] y, double[] v) {
        return scaled(v, 2.0 / conformalFactor(y));
    }

    /** Riemannian inner product of tangent vectors u, v at x: lambda_x^2 <u, v>. */
    public double inner(double[] x, double[] u, double[] v) {
        double lambda = conformalFactor(x);
        return lambda * lambda * dot(u, v);
    }

    /** Riemannian norm of the tangent vector u at x. */
    public double tangentNorm(double[] x, double[] u) {
        return conformalFactor(x) * norm(u);
    }

    /** Riemannian gradient from the Euclidean one: grad / lambda_x^2. */
    public double[] riemannianGradient(double[] x, double[] euclideanGradient) {
        double lambda = conformalFactor(x);
        return scaled(euclideanGradient, 1.0 / (lambda * lambda));
    }

    /** The point scaled back to norm (1 - eps) / sqrt c when it lies at or beyond that norm. */
    public double[] project(double[] x) {
        return project(x, PROJECTION_EPS);
    }

    public double[] project(double[] x, double eps) {
        double norm = norm(x);
        double maxNorm = (1 - eps) / sqrtC;
        if (norm > maxNorm) {
            return scaled(x, maxNorm / norm);
        }
        return x.clone();
    }

    private double[] projectInPlace(double[] x) {
        double norm = norm(x);
        double maxNorm = (1 - PROJECTION_EPS) / sqrtC;
        if (norm > maxNorm) {
            double f = maxNorm / norm;
            for (int i = 0; i < x.length; i++) {
                x[i] *= f;
            }
        }
        return x;
    }

    /** Whether the point lies strictly inside the ball (and is finite). */
    public boolean contains(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return c * dot(x, x) < 1;
    }

    /**
     * Weighted gyro-midpoint (Ungar; geoopt's weighted_midpoint):
     * 1/2 (x) (sum w_i lambda_i x_i / sum w_i (lambda_i - 1)).
     *
     * @param points  [n][dim]
     * @param weights [n], or null for equal weights
     */
    public double[] midpoint(double[][] points, double[] weights) {
        if (points.length == 0) {
            throw new IllegalArgumentException("the midpoint needs at least one point");
        }
        if (weights != null && weights.length != points.length) {
            throw new IllegalArgumentException(points.length + " points but " + weights.length + " weights");
        }
        int dim = points[0].length;
        double[] numerator = new double[dim];
        double denominator = 0;
        for (int i = 0; i < points.length; i++) {
            checkSameDimension(points[0], points[i]);
            double w = weights == null ? 1.0 : weights[i];
            double lambda = conformalFactor(points[i]);
            for (int j = 0; j < dim; j++) {
                numerator[j] += w * lambda * points[i][j];
            }
            denominator += w * (lambda - 1);
        }
        if (Math.abs(denominator) < 1e-10) {
            denominator = denominator < 0 ? -1e-10 : 1e-10;
        }
        return mobiusScale(0.5, scaled(numerator, 1.0 / denominator));
    }

    // ---- small vector helpers, shared with the layers of this package ----

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static double[] scaled(double[] a, double factor) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * factor;
        }
        return out;
    }

    static double[] negate(double[] a) {
        return scaled(a, -1.0);
    }

    /** artanh, with its argument clamped to (-1 + 1e-15, 1 - 1e-15) like geoopt. */
    static double artanh(double x) {
        double clamped = Math.max(-ARTANH_LIMIT, Math.min(ARTANH_LIMIT, x));
        return 0.5 * (Math.log1p(clamped) - Math.log1p(-clamped));
    }

    /** arcosh(1 + z) = log1p(z + sqrt(z (z + 2))), accurate for small and large z >= 0. */
    static double log1pAcosh(double z) {
        double zz = Math.max(z, 0);
        return Math.log1p(zz + Math.sqrt(zz * (zz + 2)));
    }

    private static void checkSameDimension(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("dimension mismatch: " + a.length + " vs " + b.length);
        }
    }
}
