package org.flowbench.compute.norm.invariance;

import java.util.Locale;

/**
 * The update rules compared on a scale-invariant weight, in double precision for one weight
 * vector. SGD and SGD with momentum follow PyTorch's {@code SGD} (heavy ball, no dampening), Adam
 * PyTorch's {@code Adam} with bias correction; SGDP and AdamP are those two with Heo et al.'s
 * projection: when the gradient is almost orthogonal to the weight, {@code |cos(w, g)| <
 * delta / sqrt(dim)}, the radial part of the update is removed, {@code d <- d - w_hat (w_hat . d)},
 * and the weight decay is scaled by {@code wdRatio} (the authors' defaults delta = 0.1,
 * wdRatio = 0.1). Weight decay is decoupled, {@code w <- w (1 - lr wd ratio / (1 - momentum))}
 * for the SGD family and {@code w <- w (1 - lr wd ratio)} for the Adam family, as in the
 * authors' code and in the language-model trainer's optimizer.
 */
public enum InvarianceOptimizer {
    SGD("SGD", false, false, false),
    MOMENTUM("SGD + momentum", false, true, false),
    ADAM("Adam", true, true, false),
    SGDP("SGDP", false, true, true),
    ADAMP("AdamP", true, true, true);

    /** Heo et al.'s threshold of the cosine test, divided by sqrt(dim). */
    public static final double DELTA = 0.1;
    /** Heo et al.'s factor on the weight decay of a projected weight. */
    public static final double WD_RATIO = 0.1;
    /** The epsilon of Adam's denominator and of the norms in the cosine. */
    public static final double EPS = 1e-8;

    private final String label;
    private final boolean adaptive;
    private final boolean usesMomentum;
    private final boolean projects;

    InvarianceOptimizer(String label, boolean adaptive, boolean usesMomentum, boolean projects) {
        this.label = label;
        this.adaptive = adaptive;
        this.usesMomentum = usesMomentum;
        this.projects = projects;
    }

    public String label() {
        return label;
    }

    /** {@code sgd}, {@code momentum}, {@code adam}, {@code sgdp}, {@code adamp}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean projects() {
        return projects;
    }

    public boolean adaptive() {
        return adaptive;
    }

    /** The optimizer named {@code id}; the message names the choices. */
    public static InvarianceOptimizer byId(String id) {
        for (InvarianceOptimizer o : values()) {
            if (o.id().equals(id == null ? null : id.strip().toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + id + "'; choose sgd, momentum, adam, sgdp or adamp");
    }

    /** A fresh state for a weight of {@code dim} elements. */
    public Stepper stepper(int dim, double momentum, double beta2, double weightDecay) {
        return new Stepper(this, dim, momentum, beta2, weightDecay);
    }

    /**
     * Removes the radial part of {@code d} when {@code g} is nearly orthogonal to {@code w}; returns
     * whether it did. The cosine test and the projection of Heo et al.'s {@code _projection}.
     */
    public static boolean project(double[] w, double[] g, double[] d) {
        double wg = 0;
        double ww = 0;
        double gg = 0;
        for (int i = 0; i < w.length; i++) {
            wg += w[i] * g[i];
            ww += w[i] * w[i];
            gg += g[i] * g[i];
        }
        double cos = Math.abs(wg) / (Math.max(Math.sqrt(ww), EPS) * Math.max(Math.sqrt(gg), EPS));
        if (cos >= DELTA / Math.sqrt(w.length)) {
            return false;
        }
        double scale = 1 / (Math.sqrt(ww) + EPS);
        double dot = 0;
        for (int i = 0; i < w.length; i++) {
            dot += w[i] * scale * d[i];
        }
        for (int i = 0; i < w.length; i++) {
            d[i] -= w[i] * scale * dot;
        }
        return true;
    }

    /** The optimizer's state for one weight; not shared between threads. */
    public static final class Stepper {
        private final InvarianceOptimizer kind;
        private final double momentum;
        private final double beta2;
        private final double weightDecay;
        private final double[] m;
        private final double[] v;
        private int step;
        private boolean lastProjected;

        private Stepper(InvarianceOptimizer kind, int dim, double momentum, double beta2, double weightDecay) {
            if (dim < 1) {
                throw new IllegalArgumentException("a weight needs at least 1 element, got " + dim);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
            }
            if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
                throw new IllegalArgumentException("weight decay must be finite and not negative, got " + weightDecay);
            }
            this.kind = kind;
            this.momentum = kind.usesMomentum ? momentum : 0;
            this.beta2 = beta2;
            this.weightDecay = weightDecay;
            this.m = new double[dim];
            this.v = new double[dim];
        }

        /**
         * One update of {@code w} in place from the loss gradient {@code g} at learning rate
         * {@code lr}; returns the update direction {@code d} actually taken (w <- w - lr d).
         */
        public double[] step(double[] w, double[] g, double lr) {
            if (w.length != m.length || g.length != m.length) {
                throw new IllegalArgumentException("weight and gradient must have " + m.length + " elements");
            }
            step++;
            int n = w.length;
            double[] d = new double[n];
            double stepSize = lr;
            if (kind.adaptive) {
                double c1 = 1 - Math.pow(momentum, step);
                double c2 = 1 - Math.pow(beta2, step);
                stepSize = lr / c1;
                for (int i = 0; i < n; i++) {
                    m[i] = momentum * m[i] + (1 - momentum) * g[i];
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                    d[i] = m[i] / (Math.sqrt(v[i]) / Math.sqrt(c2) + EPS);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    m[i] = momentum * m[i] + g[i];
                    d[i] = m[i];
                }
            }
            lastProjected = kind.projects && project(w, g, d);
            if (weightDecay > 0) {
                double ratio = lastProjected ? WD_RATIO : 1;
                double keep = 1 - lr * weightDecay * ratio / (kind.adaptive ? 1 : 1 - momentum);
                for (int i = 0; i < n; i++) {
                    w[i] *= keep;
                }
            }
            for (int i = 0; i < n; i++) {
                w[i] -= stepSize * d[i];
                d[i] *= stepSize / lr;
            }
            return d;
        }

        /** Whether the last step removed the radial part. */
        public boolean lastProjected() {
            return lastProjected;
        }
    }
}
