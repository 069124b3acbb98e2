package org.flowbench.compute.path;

import java.util.Locale;

/**
 * A conditional probability path x_t = alpha(t) x0 + beta(t) x1 + s eps between a source point x0
 * and a target point x1, with regression target u_t = alpha'(t) x0 + beta'(t) x1.
 *
 * <table>
 *   <caption>The four paths</caption>
 *   <tr><th>kind</th><th>alpha(t)</th><th>beta(t)</th><th>s</th></tr>
 *   <tr><td>rectified</td><td>1 - t</td><td>t</td><td>0</td></tr>
 *   <tr><td>icfm</td><td>1 - t</td><td>t</td><td>sigma</td></tr>
 *   <tr><td>vp</td><td>cos(pi t / 2)</td><td>sin(pi t / 2)</td><td>0</td></tr>
 *   <tr><td>lipman</td><td>1 - (1 - sigma) t</td><td>t</td><td>0 (needs a Gaussian source)</td></tr>
 * </table>
 * Immutable and thread-safe.
 */
public final class ProbabilityPath {

    /** Largest sigma accepted by the noisy paths. */
    public static final double MAX_SIGMA = 10.0;

    /** The family of a path. */
    public enum Kind {
        RECTIFIED("rectified"), ICFM("icfm"), VARIANCE_PRESERVING("vp"), LIPMAN("lipman");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The name used on the command line and in sessions. */
        public String id() {
            return id;
        }
    }

    private static final ProbabilityPath RECTIFIED = new ProbabilityPath(Kind.RECTIFIED, 0.0);
    private static final ProbabilityPath VARIANCE_PRESERVING = new ProbabilityPath(Kind.VARIANCE_PRESERVING, 0.0);
    private static final double HALF_PI = 0.5 * Math.PI;

    private final Kind kind;
    private final double sigma;

    private ProbabilityPath(Kind kind, double sigma) {
        this.kind = kind;
        this.sigma = sigma;
    }

    /** Straight lines at constant speed, no noise: rectified flow, I-CFM with sigma 0. */
    public static ProbabilityPath rectified() {
        return RECTIFIED;
    }

    /** Independent CFM (Tong et al.): straight lines plus constant Gaussian noise of std sigma. */
    public static ProbabilityPath icfm(double sigma) {
        return new ProbabilityPath(Kind.ICFM, checkSigma(sigma, MAX_SIGMA));
    }

    /** The trigonometric variance-preserving path; its trajectories are visibly curved. */
    public static ProbabilityPath variancePreserving() {
        return VARIANCE_PRESERVING;
    }

    /** Lipman et al.'s target-conditional path; sigma in [0, 1) is the width left at t = 1. */
    public static ProbabilityPath lipman(double sigmaMin) {
        return new ProbabilityPath(Kind.LIPMAN, checkSigma(sigmaMin, 0.999));
    }

    /**
     * The path named {@code rectified} (or {@code linear}), {@code icfm}, {@code vp} (or
     * {@code trig}) or {@code lipman} (or {@code target-cfm}); {@code sigma} is ignored by the
     * noise-free paths when it is 0.
     */
    public static ProbabilityPath byName(String name, double sigma) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "rectified", "linear":
                requireNoSigma(key, sigma);
                return rectified();
            case "icfm":
                return icfm(sigma);
            case "vp", "trig":
                requireNoSigma(key, sigma);
                return variancePreserving();
            case "lipman", "target-cfm":
                return lipman(sigma);
            default:
                throw new IllegalArgumentException("unknown probability path '" + name + "'; known paths: rectified, icfm, vp, lipman");
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The path's sigma: noise std for icfm, final width for lipman, 0 otherwise. */
    public double sigma() {
        return sigma;
    }

    /** Short description such as {@code icfm(sigma=0.1)}. */
    public String name() {
        return kind == Kind.ICFM || kind == Kind.LIPMAN ? kind.id() + "(sigma=" + sigma + ")" : kind.id();
    }

    /** Whether {@link #interpolate} reads its {@code eps} argument. */
    public boolean usesNoise() {
        return kind == Kind.ICFM && sigma > 0;
    }

    /** Whether the path is only valid with a standard normal source (Lipman et al.). */
    public boolean requiresGaussianSource() {
        return kind == Kind.LIPMAN;
    }

    /** Coefficient of x0 in x_t. */
    public double alpha(double t) {
        return switch (kind) {
            case RECTIFIED, ICFM -> 1.0 - t;
            case VARIANCE_PRESERVING -> Math.cos(HALF_PI * t);
            case LIPMAN -> 1.0 - (1.0 - sigma) * t;
        };
    }

    /** Coefficient of x1 in x_t. */
    public double beta(double t) {
        return kind == Kind.VARIANCE_PRESERVING ? Math.sin(HALF_PI * t) : t;
    }

    /** d alpha / dt. */
    public double alphaDot(double t) {
        return switch (kind) {
            case RECTIFIED, ICFM -> -1.0;
            case VARIANCE_PRESERVING -> -HALF_PI * Math.sin(HALF_PI * t);
            case LIPMAN -> -(1.0 - sigma);
        };
    }

    /** d beta / dt. */
    public double betaDot(double t) {
        return kind == Kind.VARIANCE_PRESERVING ? HALF_PI * Math.cos(HALF_PI * t) : 1.0;
    }

    /** Standard deviation s of the added noise (constant in t). */
    public double noiseStd() {
        return kind == Kind.ICFM ? sigma : 0.0;
    }

    /**
     * x_t for a batch with one time per row: {@code out = alpha(t_i) x0_i + beta(t_i) x1_i + s eps_i}.
     *
     * @param x0  {@code [n*2]}
     * @param x1  {@code [n*2]}
     * @param t   {@code [n]}, n = t.length
     * @param eps {@code [n*2]} standard normal draws; may be null when {@link #usesNoise()} is false
     * @param out {@code [n*2]}, written (may be x0 or x1)
     */
    public void interpolate(float[] x0, float[] x1, float[] t, float[] eps, float[] out) {
        int n = checkBatch(x0, x1, t, out);
        boolean noisy = usesNoise();
        if (noisy && (eps == null || eps.length < 2 * n)) {
            throw new IllegalArgumentException(name() + " needs eps with " + 2 * n + " entries, got "
                    + (eps == null ? "null" : eps.length));
        }
        float s = (float) noiseStd();
        for (int i = 0; i < n; i++) {
            float a = (float) alpha(t[i]);
            float b = (float) beta(t[i]);
            int k = 2 * i;
            float x = a * x0[k] + b * x1[k];
            float y = a * x0[k + 1] + b * x1[k + 1];
            if (noisy) {
                x += s * eps[k];
                y += s * eps[k + 1];
            }
            out[k] = x;
            out[k + 1] = y;
        }
    }

    /**
     * The conditional velocity u_t = alpha'(t_i) x0_i + beta'(t_i) x1_i for a batch.
     *
     * @param out {@code [n*2]}, written (may be x0 or x1)
     */
    public void target(float[] x0, float[] x1, float[] t, float[] out) {
        int n = checkBatch(x0, x1, t, out);
        for (int i = 0; i < n; i++) {
            float da = (float) alphaDot(t[i]);
            float db = (float) betaDot(t[i]);
            int k = 2 * i;
            float x = da * x0[k] + db * x1[k];
            float y = da * x0[k + 1] + db * x1[k + 1];
            out[k] = x;
            out[k + 1] = y;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProbabilityPath p && p.kind == kind && Double.compare(p.sigma, sigma) == 0;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(sigma);
    }

    @Override
    public String toString() {
        return name();
    }

    private static int checkBatch(float[] x0, float[] x1, float[] t, float[] out) {
        if (t == null) {
            throw new IllegalArgumentException("time array is missing");
        }
        int n = t.length;
        if (x0 == null || x1 == null || out == null || x0.length < 2 * n || x1.length < 2 * n || out.length < 2 * n) {
            throw new IllegalArgumentException("path batch of " + n + " times needs x0, x1 and out with at least " + 2 * n + " entries");
        }
        return n;
    }

    private static double checkSigma(double sigma, double max) {
        if (!(sigma >= 0) || sigma > max) {
            throw new IllegalArgumentException("sigma must be in [0, " + max + "], got " + sigma);
        }
        return sigma;
    }

    private static void requireNoSigma(String key, double sigma) {
        if (sigma != 0 && !Double.isNaN(sigma)) {
            throw new IllegalArgumentException("path '" + key + "' has no sigma, got " + sigma + " (use icfm or lipman)");
        }
    }
}
