package org.flowbench.compute.norm;

/**
 * The layers of this package in double precision, written element by element from their
 * definitions (and, for PowerNorm and Unified Normalization, from the steps of their official
 * implementations), independent of the device primitives the layers use.
 */
final class LayerReference {

    private LayerReference() {
    }

    static int channel(int i, int channels, int spatial) {
        return (i / spatial) % channels;
    }

    /** {mean, biased variance} per channel. */
    static double[][] moments(float[] x, int channels, int spatial) {
        double[] mean = new double[channels];
        double[] var = new double[channels];
        double m = (double) x.length / channels;
        for (int i = 0; i < x.length; i++) {
            mean[channel(i, channels, spatial)] += x[i];
        }
        for (int c = 0; c < channels; c++) {
            mean[c] /= m;
        }
        for (int i = 0; i < x.length; i++) {
            int c = channel(i, channels, spatial);
            var[c] += (x[i] - mean[c]) * (x[i] - mean[c]);
        }
        for (int c = 0; c < channels; c++) {
            var[c] /= m;
        }
        return new double[][] {mean, var};
    }

    /** BatchNorm with the given statistics: y, and dx, dgamma, dbeta for dy (exact through batch statistics when {@code batchStats}). */
    static double[][] batchNorm(float[] x, float[] dy, float[] gamma, float[] beta, double[] mean, double[] var,
                                boolean batchStats, int channels, int spatial, double eps) {
        int n = x.length;
        double m = (double) n / channels;
        double[] y = new double[n];
        double[] dx = new double[n];
        double[] dg = new double[channels];
        double[] db = new double[channels];
        double[] rstd = new double[channels];
        for (int c = 0; c < channels; c++) {
            rstd[c] = 1 / Math.sqrt(var[c] + eps);
        }
        for (int i = 0; i < n; i++) {
            int c = channel(i, channels, spatial);
            double xhat = (x[i] - mean[c]) * rstd[c];
            y[i] = gamma[c] * xhat + beta[c];
            dg[c] += dy[i] * xhat;
            db[c] += dy[i];
        }
        for (int i = 0; i < n; i++) {
            int c = channel(i, channels, spatial);
            double xhat = (x[i] - mean[c]) * rstd[c];
            dx[i] = batchStats ? gamma[c] * rstd[c] * (dy[i] - db[c] / m - xhat * dg[c] / m)
                    : gamma[c] * rstd[c] * dy[i];
        }
        return new double[][] {y, dx, dg, db};
    }

    /** GroupNorm: y, dx, dgamma, dbeta. */
    static double[][] groupNorm(float[] x, float[] dy, float[] gamma, float[] beta, int batch, int channels,
                                int spatial, int groups, double eps) {
        int n = x.length;
        int k = channels / groups * spatial;
        double[] xhat = new double[n];
        double[] rstd = new double[batch * groups];
        for (int r = 0; r < batch * groups; r++) {
            double mu = 0;
            for (int j = 0; j < k; j++) {
                mu += x[r * k + j];
            }
            mu /= k;
            double var = 0;
            for (int j = 0; j < k; j++) {
                var += (x[r * k + j] - mu) * (x[r * k + j] - mu);
            }
            rstd[r] = 1 / Math.sqrt(var / k + eps);
            for (int j = 0; j < k; j++) {
                xhat[r * k + j] = (x[r * k + j] - mu) * rstd[r];
            }
        }
        double[] y = new double[n];
        double[] dx = new double[n];
        double[] dg = new double[channels];
        double[] db = new double[channels];
        for (int i = 0; i < n; i++) {
            int c = channel(i, channels, spatial);
            y[i] = gamma[c] * xhat[i] + beta[c];
            dg[c] += dy[i] * xhat[i];
            db[c] += dy[i];
        }
        for (int r = 0; r < batch * groups; r++) {
            double a = 0;
            double b = 0;
            for (int j = 0; j < k; j++) {
                int i = r * k + j;
                double g = dy[i] * gamma[channel(i, channels, spatial)];
                a += g;
                b += g * xhat[i];
            }
            for (int j = 0; j < k; j++) {
                int i = r * k + j;
                double g = dy[i] * gamma[channel(i, channels, spatial)];
                dx[i] = rstd[r] * (g - a / k - xhat[i] * b / k);
            }
        }
        return new double[][] {y, dx, dg, db};
    }

    /** PowerNorm's training and evaluation steps as the official MaskPowerNorm takes them (group scaling off or 1 group). */
    static final class Power {
        final int channels;
        final double eps;
        final double afwd;
        final double abkw;
        final long warmup;
        final boolean groupScaling;
        final double[] phi;
        final double[] ema;
        long iters;
        double[] u;
        double[] z;
        double[] var;
        double[] scaleRrms;

        Power(int channels, double eps, double afwd, double abkw, long warmup, boolean groupScaling) {
            this.channels = channels;
            this.eps = eps;
            this.afwd = afwd;
            this.abkw = abkw;
            this.warmup = warmup;
            this.groupScaling = groupScaling;
            phi = new double[channels];
            java.util.Arrays.fill(phi, 1);
            ema = new double[channels];
        }

        double[] forward(float[] x, float[] gamma, float[] beta, boolean training) {
            int n = x.length;
            int rows = n / channels;
            u = new double[n];
            scaleRrms = new double[rows];
            for (int r = 0; r < rows; r++) {
                double ms = 0;
                for (int c = 0; c < channels; c++) {
                    ms += (double) x[r * channels + c] * x[r * channels + c];
                }
                scaleRrms[r] = groupScaling ? 1 / Math.sqrt(ms / channels + eps) : 1;
                for (int c = 0; c < channels; c++) {
                    u[r * channels + c] = x[r * channels + c] * scaleRrms[r];
                }
            }
            double[] s = new double[channels];
            if (training) {
                iters++;
                var = new double[channels];
                for (int i = 0; i < n; i++) {
                    var[i % channels] += u[i] * u[i];
                }
                for (int c = 0; c < channels; c++) {
                    var[c] /= rows;
                    s[c] = 1 / Math.sqrt((iters <= warmup ? var[c] : phi[c]) + eps);
                    if (iters < warmup) {
                        phi[c] = phi[c] * (iters - 1) / iters + var[c] / iters;
                    }
                    phi[c] = afwd * phi[c] + (1 - afwd) * var[c];
                }
            } else {
                var = null;
                for (int c = 0; c < channels; c++) {
                    s[c] = 1 / Math.sqrt(phi[c] + eps);
                }
            }
            z = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                int c = i % channels;
                z[i] = u[i] * s[c];
                y[i] = gamma[c] * z[i] + beta[c];
            }
            return y;
        }

        /** dx, dgamma, dbeta. */
        double[][] backward(float[] dy, float[] gamma) {
            int n = dy.length;
            int rows = n / channels;
            double[] du = new double[n];
            double[] dg = new double[channels];
            double[] db = new double[channels];
            for (int i = 0; i < n; i++) {
                dg[i % channels] += dy[i] * z[i];
                db[i % channels] += dy[i];
            }
            if (var != null) {
                double[] approx = new double[n];
                double[] add = new double[channels];
                for (int i = 0; i < n; i++) {
                    int c = i % channels;
                    approx[i] = dy[i] * gamma[c] - (1 - abkw) * ema[c] * z[i];
                    add[c] += approx[i] * z[i];
                }
                for (int c = 0; c < channels; c++) {
                    ema[c] += add[c] / rows;
                }
                for (int i = 0; i < n; i++) {
                    du[i] = approx[i] / Math.sqrt(var[i % channels] + eps);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    du[i] = dy[i] * gamma[i % channels] / Math.sqrt(phi[i % channels] + eps);
                }
            }
            double[] dx = du;
            if (groupScaling) {
                dx = new double[n];
                for (int r = 0; r < rows; r++) {
                    double dot = 0;
                    for (int c = 0; c < channels; c++) {
                        dot += du[r * channels + c] * u[r * channels + c];
                    }
                    for (int c = 0; c < channels; c++) {
                        int i = r * channels + c;
                        dx[i] = scaleRrms[r] * (du[i] - u[i] * dot / channels);
                    }
                }
            }
            return new double[][] {dx, dg, db};
        }
    }

    /** Unified Normalization's training and evaluation steps as the official UN1d takes them; tokens as rows. */
    static final class Unified {
        final int channels;
        final int window;
        final long warmup;
        final boolean filter;
        final double eps;
        final double momentum;
        final double[] running;
        final double[] ema;
        final double[][] x2Window;
        final double[][] gzWindow;
        long iters;
        long skipped;
        boolean skip;
        double[] var;
        double[] ratio;
        double[] z;
        boolean training;

        Unified(int channels, int window, long warmup, boolean filter, double eps, double momentum) {
            this.channels = channels;
            this.window = window;
            this.warmup = warmup;
            this.filter = filter;
            this.eps = eps;
            this.momentum = momentum;
            running = new double[channels];
            java.util.Arrays.fill(running, 1);
            ema = new double[channels];
            x2Window = new double[window][channels];
            gzWindow = new double[window][channels];
        }

        private static double geometricMean(double[][] w, int c) {
            double l = 0;
            for (double[] row : w) {
                l += Math.log(row[c]);
            }
            return Math.exp(l / w.length);
        }

        double[] forward(float[] x, float[] gamma, float[] beta, boolean training) {
            this.training = training;
            int n = x.length;
            int rows = n / channels;
            var = new double[channels];
            ratio = new double[channels];
            java.util.Arrays.fill(ratio, 1);
            if (training) {
                iters++;
                double[] x2 = new double[channels];
                for (int i = 0; i < n; i++) {
                    x2[i % channels] += (double) x[i] * x[i];
                }
                for (int c = 0; c < channels; c++) {
                    x2[c] /= rows;
                }
                skip = window <= 1;
                double mean = 0;
                for (double[] row : x2Window) {
                    for (double v : row) {
                        mean += Math.sqrt(v);
                    }
                }
                mean /= window * channels;
                double recorded = 0;
                for (double[] row : x2Window) {
                    for (double v : row) {
                        recorded += (Math.sqrt(v) - mean) * (Math.sqrt(v) - mean);
                    }
                }
                recorded /= window * channels - 1;
                int slot = (int) (iters % window);
                x2Window[slot] = x2.clone();
                if (iters >= warmup && filter) {
                    boolean any = false;
                    for (int c = 0; c < channels; c++) {
                        double am = 0;
                        for (double[] row : x2Window) {
                            am += row[c] / window;
                        }
                        any |= am - geometricMean(x2Window, c) > recorded * window;
                    }
                    if (any) {
                        x2Window[slot] = running.clone();
                        skip = true;
                        skipped++;
                    }
                }
                for (int c = 0; c < channels; c++) {
                    var[c] = iters <= window || iters < warmup || skip ? x2[c] : geometricMean(x2Window, c);
                    double r = Math.sqrt(var[c] + eps) / Math.sqrt(running[c] + eps);
                    ratio[c] = iters <= Math.max(1000, warmup) || skip ? 1 : Math.min(5, Math.max(0.2, r));
                    running[c] = momentum * running[c] + (1 - momentum) * var[c];
                }
            } else {
                var = running.clone();
            }
            z = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                int c = i % channels;
                z[i] = x[i] / Math.sqrt(var[c] + eps);
                y[i] = gamma[c] * z[i] + beta[c];
            }
            return y;
        }

        double[][] backward(float[] dy, float[] gamma) {
            int n = dy.length;
            int rows = n / channels;
            double[] dx = new double[n];
            double[] dg = new double[channels];
            double[] db = new double[channels];
            double[] gz = new double[channels];
            for (int i = 0; i < n; i++) {
                int c = i % channels;
                dg[c] += dy[i] * ratio[c] * z[i];
                db[c] += dy[i];
                gz[c] += dy[i] * gamma[c] * ratio[c] * z[i] / rows;
            }
            double[] k = new double[channels];
            if (training) {
                int slot = (int) (iters % window);
                gzWindow[slot] = skip ? ema.clone() : gz.clone();
                for (int c = 0; c < channels; c++) {
                    double meanGz = gz[c];
                    if (!(iters <= window || iters < warmup || skip)) {
                        meanGz = 0;
                        for (double[] row : gzWindow) {
                            meanGz += row[c] / window;
                        }
                    }
                    ema[c] = ema[c] * momentum + (1 - momentum) * meanGz;
                    k[c] = skip ? meanGz : ema[c];
                }
            }
            for (int i = 0; i < n; i++) {
                int c = i % channels;
                dx[i] = (dy[i] * gamma[c] * ratio[c] - k[c] * z[i]) / Math.sqrt(var[c] + eps);
            }
            return new double[][] {dx, dg, db};
        }
    }

    /**
     * EvoNorm's output: B0 with the channel variances {@code channelVar} (batch or running), S0
     * with {@code groups} groups.
     */
    static double[] evoNorm(boolean b0, float[] x, float[] v, float[] gamma, float[] beta, double[] channelVar,
                            int batch, int channels, int spatial, int groups, double eps) {
        int g = b0 ? channels : groups;
        int k = channels / g * spatial;
        double[] y = new double[x.length];
        for (int r = 0; r < batch * g; r++) {
            double mu = 0;
            for (int j = 0; j < k; j++) {
                mu += x[r * k + j];
            }
            mu /= k;
            double var = 0;
            for (int j = 0; j < k; j++) {
                var += (x[r * k + j] - mu) * (x[r * k + j] - mu);
            }
            var /= k;
            for (int j = 0; j < k; j++) {
                int i = r * k + j;
                int c = channel(i, channels, spatial);
                double u;
                if (b0) {
                    u = x[i] / Math.max(Math.sqrt(channelVar[c] + eps), v[c] * x[i] + Math.sqrt(var + eps));
                } else {
                    u = x[i] / (1 + Math.exp(-v[c] * x[i])) / Math.sqrt(var + eps);
                }
                y[i] = gamma[c] * u + beta[c];
            }
        }
        return y;
    }
}
