package org.flowbench.compute.lm;

/**
 * SGD with momentum, SGDP and AdamP (Heo et al. 2021, "AdamP: Slowing Down the Slowdown for
 * Momentum Optimizers on Scale-invariant Weights") on host arrays, one tensor at a time.
 *
 * <p>A weight followed by a normalization is scale-invariant: its gradient is orthogonal to it,
 * so plain gradient steps only grow its norm and momentum grows it faster, shrinking the
 * effective step. SGDP and AdamP detect such a tensor (per output channel, then for the whole
 * tensor) by a gradient almost orthogonal to the weight, {@code max |cos(w, g)| < delta /
 * sqrt(n)} with n the elements of a view, and then remove the radial part of the update,
 * {@code d <- d - w_hat (w_hat . d)}, and scale the weight decay by {@code wdRatio}. Only
 * matrices and embeddings (rank 2) are candidates, as in the authors' implementation.
 *
 * <p>A channel is an output unit: a column of a {@code [in, out]} matrix, a row of an
 * embedding {@code [rows, width]}.
 */
public final class ProjectedOptimizer {

    /** Heo et al.'s defaults. */
    public static final double DELTA = 0.1;
    public static final double WD_RATIO = 0.1;
    static final double EPS = 1e-8;

    private final LmLayout layout;
    private final LmOptimizerConfig config;
    private final float[] m;
    private final float[] v;
    private int step;

    public ProjectedOptimizer(LmLayout layout, LmOptimizerConfig config) {
        if (config.algorithm() == LmOptimizerConfig.Algorithm.ADAMW) {
            throw new IllegalArgumentException("AdamW runs on the device; this optimizer is SGD, SGDP or AdamP");
        }
        this.layout = layout;
        this.config = config;
        this.m = new float[layout.total()];
        this.v = config.algorithm() == LmOptimizerConfig.Algorithm.ADAMP ? new float[layout.total()] : null;
    }

    /** One update of {@code p} in place from {@code g}, at learning rate {@code lr}. */
    public void step(float[] p, float[] g, double lr) {
        step++;
        for (LmLayout.Entry e : layout.entries()) {
            View view = e.shape().length == 2 ? (e.role() == LmLayout.Role.EMBEDDING
                    ? View.rows(e.offset(), e.shape()[0], e.shape()[1])
                    : View.columns(e.offset(), e.shape()[0], e.shape()[1])) : null;
            update(p, g, e.offset(), e.size(), view, e.role().decays(), lr);
        }
    }

    private void update(float[] p, float[] g, int off, int n, View view, boolean decays, double lr) {
        boolean adam = v != null;
        double b1 = config.beta1();
        double b2 = config.beta2();
        double[] d = new double[n];
        double stepSize = lr;
        if (adam) {
            double c1 = 1 - Math.pow(b1, step);
            double c2 = 1 - Math.pow(b2, step);
            stepSize = lr / c1;
            for (int i = 0; i < n; i++) {
                m[off + i] = (float) (b1 * m[off + i] + (1 - b1) * g[off + i]);
                v[off + i] = (float) (b2 * v[off + i] + (1 - b2) * g[off + i] * (double) g[off + i]);
                d[i] = m[off + i] / (Math.sqrt(v[off + i]) / Math.sqrt(c2) + config.eps());
            }
        } else {
            for (int i = 0; i < n; i++) {
                m[off + i] = (float) (b1 * m[off + i] + g[off + i]);
                d[i] = m[off + i];
            }
        }
        double wdScale = 1;
        boolean projecting = config.algorithm() != LmOptimizerConfig.Algorithm.SGD;
        if (projecting && view != null) {
            wdScale = project(p, g, d, view) ? WD_RATIO : 1;
        }
        if (decays && config.weightDecay() > 0) {
            double keep = 1 - lr * config.weightDecay() * wdScale / (adam ? 1 : 1 - b1);
            for (int i = 0; i < n; i++) {
                p[off + i] = (float) (p[off + i] * keep);
            }
        }
        for (int i = 0; i < n; i++) {
            p[off + i] = (float) (p[off + i] - stepSize * d[i]);
        }
    }

    /**
     * Removes the radial part of {@code d} (indexed from the tensor's start) per channel, or for
     * the whole tensor, when the gradient is nearly orthogonal to the weights there; returns
     * whether it did.
     */
    static boolean project(float[] p, float[] g, double[] d, View view) {
        for (View v : new View[] {view, view.whole()}) {
            double limit = DELTA / Math.sqrt(v.length);
            double maxCos = 0;
            for (int c = 0; c < v.channels; c++) {
                double pg = 0;
                double pp = 0;
                double gg = 0;
                for (int i = 0; i < v.length; i++) {
                    int k = v.index(c, i);
                    pg += (double) p[k] * g[k];
                    pp += (double) p[k] * p[k];
                    gg += (double) g[k] * g[k];
                }
                maxCos = Math.max(maxCos, Math.abs(pg) / (Math.max(Math.sqrt(pp), EPS) * Math.max(Math.sqrt(gg), EPS)));
            }
            if (maxCos < limit) {
                for (int c = 0; c < v.channels; c++) {
                    double pp = 0;
                    for (int i = 0; i < v.length; i++) {
                        int k = v.index(c, i);
                        pp += (double) p[k] * p[k];
                    }
                    double scale = 1 / (Math.sqrt(pp) + EPS);
                    double dot = 0;
                    for (int i = 0; i < v.length; i++) {
                        int k = v.index(c, i);
                        dot += p[k] * scale * d[k - v.offset];
                    }
                    for (int i = 0; i < v.length; i++) {
                        int k = v.index(c, i);
                        d[k - v.offset] -= p[k] * scale * dot;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** How a tensor at {@code offset} splits into {@code channels} channels of {@code length} elements. */
    record View(int offset, int channels, int length, int stride, int step) {

        /** Channel c's element i is at offset + c * stride + i * step. */
        int index(int c, int i) {
            return offset + c * stride + i * step;
        }

        /** Rows of a [rows, cols] tensor as channels. */
        static View rows(int offset, int rows, int cols) {
            return new View(offset, rows, cols, cols, 1);
        }

        /** Columns of a [rows, cols] tensor as channels. */
        static View columns(int offset, int rows, int cols) {
            return new View(offset, cols, rows, 1, cols);
        }

        /** The whole tensor as one channel. */
        View whole() {
            return new View(offset, 1, channels * length, 0, 1);
        }
    }
}
