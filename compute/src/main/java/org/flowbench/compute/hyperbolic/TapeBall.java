package org.flowbench.compute.hyperbolic;

/**
 * The operations of {@link PoincareBall} recorded on a {@link Tape}, so that layers built from
 * them can be differentiated. Same formulas, same guards.
 */
final class TapeBall {

    private static final double MIN_NORM = 1e-15;

    private final Tape t;
    private final double c;
    private final double sqrtC;

    TapeBall(Tape tape, double curvature) {
        this.t = tape;
        this.c = curvature;
        this.sqrtC = Math.sqrt(curvature);
    }

    /** Back to norm at most (1 - 1e-5) / sqrt c, as {@link PoincareBall} projects the points it produces. */
    int[] project(int[] x) {
        double maxNorm = (1 - PoincareBall.PROJECTION_EPS) / sqrtC;
        int n = norm(x);
        if (t.value(n) <= maxNorm) {
            return x;
        }
        return t.scale(x, t.div(t.leaf(maxNorm), n));
    }

    int norm(int[] v) {
        return t.max(t.sqrt(t.dot(v, v)), MIN_NORM);
    }

    /** lambda_x = 2 / (1 - c ||x||^2). */
    int lambda(int[] x) {
        return t.div(t.leaf(2), t.rsub(1, t.scale(t.dot(x, x), c)));
    }

    int[] mobiusAdd(int[] x, int[] y) {
        int xy = t.dot(x, y);
        int x2 = t.dot(x, x);
        int y2 = t.dot(y, y);
        int a = t.plus(t.add(t.scale(xy, 2 * c), t.scale(y2, c)), 1);
        int b = t.rsub(1, t.scale(x2, c));
        int d = t.max(t.plus(t.add(t.scale(xy, 2 * c), t.scale(t.mul(x2, y2), c * c)), 1), MIN_NORM);
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = t.div(t.add(t.mul(a, x[i]), t.mul(b, y[i])), d);
        }
        return project(out);
    }

    int[] negate(int[] x) {
        return t.scale(x, -1.0);
    }

    int[] expmap0(int[] u) {
        int n = norm(u);
        int factor = t.div(t.tanh(t.min(t.scale(n, sqrtC), 15.0)), t.scale(n, sqrtC));
        return project(t.scale(u, factor));
    }

    int[] expmap(int[] x, int[] u) {
        int n = norm(u);
        int arg = t.min(t.scale(t.mul(lambda(x), n), sqrtC / 2), 15.0);
        int factor = t.div(t.tanh(arg), t.scale(n, sqrtC));
        return mobiusAdd(x, t.scale(u, factor));
    }

    int[] logmap(int[] x, int[] y) {
        int[] w = mobiusAdd(negate(x), y);
        int n = norm(w);
        int factor = t.div(t.scale(t.artanh(t.scale(n, sqrtC)), 2 / sqrtC), t.mul(lambda(x), n));
        return t.scale(w, factor);
    }

    /** Geodesic distance (2 / sqrt c) artanh(sqrt c ||(-x) (+) y||). */
    int distance(int[] x, int[] y) {
        int[] w = mobiusAdd(negate(x), y);
        int n = t.sqrt(t.dot(w, w));
        return t.scale(t.artanh(t.scale(n, sqrtC)), 2 / sqrtC);
    }

    int[] gyration(int[] u, int[] v, int[] w) {
        double k = -c;
        int u2 = t.dot(u, u);
        int v2 = t.dot(v, v);
        int uv = t.dot(u, v);
        int uw = t.dot(u, w);
        int vw = t.dot(v, w);
        double k2 = k * k;
        int a = t.add(t.add(t.scale(t.mul(uw, v2), -k2), t.scale(vw, -k)), t.scale(t.mul(uv, vw), 2 * k2));
        int b = t.add(t.scale(t.mul(vw, u2), -k2), t.scale(uw, k));
        int d = t.max(t.plus(t.add(t.scale(uv, -2 * k), t.scale(t.mul(u2, v2), k2)), 1), MIN_NORM);
        int[] out = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = t.add(w[i], t.scale(t.div(t.add(t.mul(a, u[i]), t.mul(b, v[i])), d), 2));
        }
        return out;
    }

    int[] transport(int[] x, int[] y, int[] v) {
        int[] rotated = gyration(y, negate(x), v);
        return t.scale(rotated, t.div(lambda(x), lambda(y)));
    }

    /** The midpoint of equally weighted points: 1/2 (x) (sum lambda_i x_i / sum (lambda_i - 1)). */
    int[] midpoint(int[][] points) {
        int dim = points[0].length;
        int[] numerator = new int[dim];
        int denominator = -1;
        for (int[] p : points) {
            int lam = lambda(p);
            for (int j = 0; j < dim; j++) {
                int term = t.mul(lam, p[j]);
                numerator[j] = denominator < 0 ? term : t.add(numerator[j], term);
            }
            int dl = t.plus(lam, -1);
            denominator = denominator < 0 ? dl : t.add(denominator, dl);
        }
        int[] twoMean = new int[dim];
        for (int j = 0; j < dim; j++) {
            twoMean[j] = t.div(numerator[j], denominator);
        }
        return mobiusScale(0.5, twoMean);
    }

    int[] mobiusScale(double r, int[] x) {
        int n = norm(x);
        int factor = t.div(t.tanh(t.scale(t.artanh(t.scale(n, sqrtC)), r)), t.scale(n, sqrtC));
        return project(t.scale(x, factor));
    }
}
