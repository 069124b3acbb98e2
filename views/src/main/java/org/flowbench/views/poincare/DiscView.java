package org.flowbench.views.poincare;

/**
 * An isometry of the unit disc, the view's re-centring: z -> (alpha z + beta) / (conj(beta) z + conj(alpha))
 * with |alpha|^2 - |beta|^2 = 1 (a Möbius translation followed by a rotation). Composing,
 * inverting and interpolating work on this 2 x 2 complex matrix. The point a view moves to
 * the centre is {@link #centreX()}, {@link #centreY()}. Immutable.
 *
 * @param ar real part of alpha
 * @param ai imaginary part of alpha
 * @param br real part of beta
 * @param bi imaginary part of beta
 */
public record DiscView(double ar, double ai, double br, double bi) {

    /** The largest norm a dragged point may reach; beyond it the translation would be numerically singular. */
    static final double MAX_DRAG_NORM = 0.995;

    public static final DiscView IDENTITY = new DiscView(1, 0, 0, 0);

    public DiscView {
        double det = ar * ar + ai * ai - br * br - bi * bi;
        if (!(det > 0) || !Double.isFinite(det)) {
            throw new IllegalArgumentException("not an isometry of the disc: |alpha|^2 - |beta|^2 = " + det);
        }
        double s = 1 / Math.sqrt(det);
        ar *= s;
        ai *= s;
        br *= s;
        bi *= s;
    }

    /** The Möbius translation x -> b (+) x, which moves the origin to b (|b| < 1). */
    public static DiscView translation(double bx, double by) {
        return new DiscView(1, 0, bx, by);
    }

    /** The view that moves the point (x, y) to the centre: x -> (-a) (+) x. */
    public static DiscView centredOn(double x, double y) {
        return translation(-x, -y);
    }

    /** Rotation by {@code angle} radians about the centre. */
    public static DiscView rotation(double angle) {
        return new DiscView(Math.cos(angle / 2), Math.sin(angle / 2), 0, 0);
    }

    /** Applies the view to (x, y); writes the image into out[at], out[at + 1]. */
    public void apply(double x, double y, double[] out, int at) {
        // numerator alpha z + beta, denominator conj(beta) z + conj(alpha)
        double nr = ar * x - ai * y + br;
        double ni = ar * y + ai * x + bi;
        double dr = br * x + bi * y + ar;
        double di = br * y - bi * x - ai;
        double d = dr * dr + di * di;
        out[at] = (nr * dr + ni * di) / d;
        out[at + 1] = (ni * dr - nr * di) / d;
    }

    /** The view applied to (x, y). */
    public double[] apply(double x, double y) {
        double[] out = new double[2];
        apply(x, y, out, 0);
        return out;
    }

    public DiscView inverse() {
        return new DiscView(ar, -ai, -br, -bi);
    }

    /** This view after {@code first}: z -> this(first(z)). */
    public DiscView after(DiscView first) {
        // [[a1, b1], [conj b1, conj a1]] . [[a2, b2], [conj b2, conj a2]]
        double a1r = ar, a1i = ai, b1r = br, b1i = bi;
        double a2r = first.ar, a2i = first.ai, b2r = first.br, b2i = first.bi;
        double nar = a1r * a2r - a1i * a2i + b1r * b2r + b1i * b2i;
        double nai = a1r * a2i + a1i * a2r + b1i * b2r - b1r * b2i;
        double nbr = a1r * b2r - a1i * b2i + b1r * a2r + b1i * a2i;
        double nbi = a1r * b2i + a1i * b2r + b1i * a2r - b1r * a2i;
        return new DiscView(nar, nai, nbr, nbi);
    }

    /** The data point this view shows at the centre. */
    public double centreX() {
        double[] c = inverse().apply(0, 0);
        return c[0];
    }

    public double centreY() {
        double[] c = inverse().apply(0, 0);
        return c[1];
    }

    /**
     * This view followed by the Möbius translation that carries the shown point w0 to w1, so a
     * point grabbed at w0 follows the pointer to w1 (both clamped inside the disc).
     */
    public DiscView dragged(double w0x, double w0y, double w1x, double w1y) {
        double[] a = clamp(w0x, w0y);
        double[] b = clamp(w1x, w1y);
        // g(w) = (w + t) / (conj(t) w + 1) with g(w0) = w1: t - w1 w0 conj(t) = w1 - w0
        double pr = b[0] * a[0] - b[1] * a[1];
        double pi = b[0] * a[1] + b[1] * a[0];
        double rr = b[0] - a[0];
        double ri = b[1] - a[1];
        double det = 1 - pr * pr - pi * pi;
        double tr = ((1 + pr) * rr + pi * ri) / det;
        double ti = (pi * rr + (1 - pr) * ri) / det;
        double norm = Math.hypot(tr, ti);
        if (norm >= MAX_DRAG_NORM) {
            tr *= MAX_DRAG_NORM / norm;
            ti *= MAX_DRAG_NORM / norm;
        }
        return translation(tr, ti).after(this);
    }

    private static double[] clamp(double x, double y) {
        double r = Math.hypot(x, y);
        return r > MAX_DRAG_NORM ? new double[] {x * MAX_DRAG_NORM / r, y * MAX_DRAG_NORM / r} : new double[] {x, y};
    }

    /**
     * The view a fraction {@code t} of the way from {@code from} to {@code to} along the
     * shortest motion: the translation between them moves along its geodesic at constant
     * hyperbolic speed, the rotation at constant angular speed.
     */
    public static DiscView between(DiscView from, DiscView to, double t) {
        if (t <= 0) {
            return from;
        }
        if (t >= 1) {
            return to;
        }
        DiscView step = to.after(from.inverse());
        // step = translation(b) after rotation(phi): b = beta / conj(alpha), phi = 2 arg(alpha)
        double d = step.ar * step.ar + step.ai * step.ai;
        double bx = (step.br * step.ar - step.bi * step.ai) / d;
        double by = (step.bi * step.ar + step.br * step.ai) / d;
        double phi = 2 * Math.atan2(step.ai, step.ar);
        phi = Math.atan2(Math.sin(phi), Math.cos(phi));
        double r = Math.hypot(bx, by);
        double rt = r < 1e-15 ? 0 : Math.tanh(t * atanh(r)) / r;
        return translation(bx * rt, by * rt).after(rotation(t * phi)).after(from);
    }

    static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }

    public boolean isIdentity() {
        return Math.abs(br) < 1e-12 && Math.abs(bi) < 1e-12 && Math.abs(ai) < 1e-12;
    }
}
