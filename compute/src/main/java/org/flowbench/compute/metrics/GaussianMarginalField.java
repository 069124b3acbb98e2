package org.flowbench.compute.metrics;

import org.flowbench.compute.ode.VelocityField;

/**
 * Closed-form marginal velocities of the straight-line path from N(0, I) to N(mu, s^2 I), the
 * standard check for solvers and trained models.
 *
 * <ul>
 *   <li>{@link #optimalTransport}: the OT coupling x1 = mu + s x0 (what OT-CFM and fully
 *       rectified flows approach). x_t = t mu + (1 - t + t s) x0, so
 *       u_t(x) = mu + (s - 1)(x - t mu) / (1 - t + t s): straight lines at constant speed,
 *       straightness 0, and the flow maps z to mu + s z exactly.</li>
 *   <li>{@link #independent}: the independent coupling with optional path noise sigma (I-CFM,
 *       1-rectified flow). x_t is Gaussian with mean t mu and per-axis variance
 *       (1-t)^2 + t^2 s^2 + sigma^2, Cov(x1 - x0, x_t) = t s^2 - (1 - t), so
 *       u_t(x) = mu + (t s^2 - (1 - t)) / ((1-t)^2 + t^2 s^2 + sigma^2) (x - t mu). Its flow also
 *       carries N(0, I) onto N(mu, s^2 I) (for sigma = 0 every particle moves as t mu + r(t) z with
 *       r(t) = sqrt((1-t)^2 + t^2 s^2)) but along curved paths unless s = 1.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class GaussianMarginalField implements VelocityField {
    private final double muX;
    private final double muY;
    private final double scale;
    private final double sigma;
    private final boolean transport;

    private GaussianMarginalField(double muX, double muY, double scale, double sigma, boolean transport) {
        if (!Double.isFinite(muX) || !Double.isFinite(muY)) {
            throw new IllegalArgumentException("target mean must be finite, got (" + muX + ", " + muY + ")");
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("target standard deviation must be finite and > 0, got " + scale);
        }
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("path sigma must be finite and >= 0, got " + sigma);
        }
        this.muX = muX;
        this.muY = muY;
        this.scale = scale;
        this.sigma = sigma;
        this.transport = transport;
    }

    /** The straight OT field to N(mu, s^2 I). */
    public static GaussianMarginalField optimalTransport(double muX, double muY, double s) {
        return new GaussianMarginalField(muX, muY, s, 0, true);
    }

    /** The independent-coupling field to N(mu, s^2 I) with path noise sigma (0 for rectified flow). */
    public static GaussianMarginalField independent(double muX, double muY, double s, double sigma) {
        return new GaussianMarginalField(muX, muY, s, sigma, false);
    }

    /** Where the exact flow sends a standard normal point z at t = 1: mu + s z. */
    public float[] transportMap(float[] z, int n) {
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = (float) (muX + scale * z[2 * i]);
            out[2 * i + 1] = (float) (muY + scale * z[2 * i + 1]);
        }
        return out;
    }

    @Override
    public void velocity(float[] x, int n, float t, float[] v) {
        double gain;
        if (transport) {
            gain = (scale - 1) / (1 - t + t * scale);
        } else {
            double var = (1 - t) * (1 - t) + t * t * scale * scale + sigma * sigma;
            gain = (t * scale * scale - (1 - t)) / var;
        }
        for (int i = 0; i < n; i++) {
            v[2 * i] = (float) (muX + gain * (x[2 * i] - t * muX));
            v[2 * i + 1] = (float) (muY + gain * (x[2 * i + 1] - t * muY));
        }
    }
}
