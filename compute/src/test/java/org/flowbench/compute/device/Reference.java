package org.flowbench.compute.device;

import java.util.Random;

import static org.assertj.core.api.Assertions.fail;

/**
 * The closed-form definitions of every primitive, in double precision, each with a magnitude
 * {@code scale} per output: the sum of the absolute values of the terms that make it up. An fp32
 * result is accepted when {@code |value - reference| <= rtol (|reference| + scale)}: plain
 * relative error where nothing cancels, and the error a sum of that many fp32 terms can carry
 * where it does.
 */
final class Reference {

    /** Values and their magnitudes. */
    record Result(double[] value, double[] scale) {
        static Result of(int n) {
            return new Result(new double[n], new double[n]);
        }
    }

    private Reference() {
    }

    // ----------------------------------------------------------------------------------------
    // Data

    /** A generator seeded from {@code base} and a test's shape, so each shape draws its own reproducible data. */
    static Random random(long base, int... shape) {
        long seed = base;
        for (int s : shape) {
            seed = seed * 1_000_003 + s;
        }
        return new Random(seed);
    }

    static float[] gaussian(Random random, int n, double sigma, double mean) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (mean + sigma * random.nextGaussian());
        }
        return a;
    }

    static float[] uniform(Random random, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return a;
    }

    // ----------------------------------------------------------------------------------------
    // Checks

    /** Fails naming the first element outside {@code rtol (|ref| + scale) + atol}. */
    static void assertClose(String what, Result expected, float[] actual, double rtol, double atol) {
        if (expected.value().length != actual.length) {
            fail(what + ": expected " + expected.value().length + " values, got " + actual.length);
        }
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < actual.length; i++) {
            double e = expected.value()[i];
            double tol = rtol * (Math.abs(e) + expected.scale()[i]) + atol;
            double err = Math.abs(actual[i] - e);
            if (!(err <= tol)) {
                double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / tol;
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = i;
                }
            }
        }
        if (worst >= 0) {
            fail(String.format("%s: element %d of %d is %s, expected %s (scale %s): error %.3g is %.1f times the "
                            + "tolerance", what, worst, actual.length, actual[worst], expected.value()[worst],
                    expected.scale()[worst], Math.abs(actual[worst] - expected.value()[worst]), worstRatio));
        }
    }

    /** Compares two fp32 results element by element: {@code |a - b| <= rtol (|b| + scale) + atol}. */
    static void assertAgree(String what, float[] a, float[] b, double[] scale, double rtol, double atol) {
        double[] bv = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            bv[i] = b[i];
        }
        assertClose(what, new Result(bv, scale), a, rtol, atol);
    }

    // ----------------------------------------------------------------------------------------
    // Dense

    static Result dense(float[] x, float[] w, float[] b, int rows, int in, int out) {
        Result r = Result.of(rows * out);
        for (int i = 0; i < rows; i++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                double m = b == null ? 0 : Math.abs(b[o]);
                for (int k = 0; k < in; k++) {
                    double t = (double) x[i * in + k] * w[k * out + o];
                    s += t;
                    m += Math.abs(t);
                }
                r.value()[i * out + o] = s;
                r.scale()[i * out + o] = m;
            }
        }
        return r;
    }

    /**
     * f(x w + b): the dense layer's terms carried through the activation's slope (a rounding of
     * the pre-activation moves the output by the slope times it), plus the activation's own terms.
     */
    static Result denseActivated(float[] x, float[] w, float[] b, Activation f, int rows, int in, int out) {
        Result z = dense(x, w, b, rows, in, out);
        Result r = Result.of(rows * out);
        for (int i = 0; i < r.value().length; i++) {
            double zi = z.value()[i];
            r.value()[i] = activate(f, zi);
            r.scale()[i] = Math.abs(slope(f, zi)) * z.scale()[i] + (f == Activation.GELU ? Math.abs(zi) : 0);
        }
        return r;
    }

    /** dx = dy w^T. */
    static Result denseDx(float[] w, float[] dy, int rows, int in, int out) {
        Result r = Result.of(rows * in);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < in; k++) {
                double s = 0;
                double m = 0;
                for (int o = 0; o < out; o++) {
                    double t = (double) dy[i * out + o] * w[k * out + o];
                    s += t;
                    m += Math.abs(t);
                }
                r.value()[i * in + k] = s;
                r.scale()[i * in + k] = m;
            }
        }
        return r;
    }

    /** dw = x^T dy. */
    static Result denseDw(float[] x, float[] dy, int rows, int in, int out) {
        Result r = Result.of(in * out);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < in; k++) {
                for (int o = 0; o < out; o++) {
                    double t = (double) x[i * in + k] * dy[i * out + o];
                    r.value()[k * out + o] += t;
                    r.scale()[k * out + o] += Math.abs(t);
                }
            }
        }
        return r;
    }

    static Result columnSums(float[] a, int rows, int cols) {
        Result r = Result.of(cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                r.value()[j] += a[i * cols + j];
                r.scale()[j] += Math.abs(a[i * cols + j]);
            }
        }
        return r;
    }

    // ----------------------------------------------------------------------------------------
    // Activations

    static double activate(Activation f, double x) {
        return switch (f) {
            case IDENTITY -> x;
            case RELU -> Math.max(0, x);
            case SILU -> x / (1 + Math.exp(-x));
            case SELU -> Activation.SELU_SCALE * (x > 0 ? x : Activation.SELU_ALPHA * Math.expm1(x));
            case TANH -> Math.tanh(x);
            case GELU -> 0.5 * x * (1 + Math.tanh(Activation.GELU_SQRT_2_OVER_PI * (x + Activation.GELU_CUBIC * x * x * x)));
        };
    }

    static double slope(Activation f, double x) {
        return switch (f) {
            case IDENTITY -> 1;
            case RELU -> x > 0 ? 1 : 0;
            case SILU -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 + x * (1 - s));
            }
            case SELU -> Activation.SELU_SCALE * (x > 0 ? 1 : Activation.SELU_ALPHA * Math.exp(x));
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case GELU -> {
                double c = Activation.GELU_SQRT_2_OVER_PI;
                double k = Activation.GELU_CUBIC;
                double t = Math.tanh(c * (x + k * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * k * x * x);
            }
        };
    }

    /** Size of the terms that cancel in the derivative: 1 - t^2 (tanh, GELU), 1 - s (SiLU). */
    static double slopeTerms(Activation f, double x) {
        return switch (f) {
            case TANH -> Math.tanh(x) * Math.tanh(x);
            case SILU -> Math.abs(x);
            case GELU -> {
                double c = Activation.GELU_SQRT_2_OVER_PI;
                double k = Activation.GELU_CUBIC;
                yield 1 + 0.5 * Math.abs(x) * c * (1 + 3 * k * x * x);
            }
            default -> 0;
        };
    }

    static Result activate(Activation f, float[] x) {
        Result r = Result.of(x.length);
        for (int i = 0; i < x.length; i++) {
            r.value()[i] = activate(f, x[i]);
            // GELU is 0.5 x + 0.5 x tanh(u): two terms of size |x|/2 that cancel for very negative x.
            r.scale()[i] = f == Activation.GELU ? Math.abs(x[i]) : 0;
        }
        return r;
    }

    static Result activateBackward(Activation f, float[] x, float[] dy) {
        Result r = Result.of(x.length);
        for (int i = 0; i < x.length; i++) {
            r.value()[i] = slope(f, x[i]) * dy[i];
            r.scale()[i] = Math.abs(dy[i]) * slopeTerms(f, x[i]);
        }
        return r;
    }

    /**
     * The backward pass given the forward output as well. Its terms are those of the output form:
     * SELU's negative slope is y + scale alpha (two terms of size scale alpha that cancel as
     * x goes to minus infinity), tanh's is 1 - y^2.
     */
    static Result activateBackwardFromOutput(Activation f, float[] x, float[] dy) {
        Result r = activateBackward(f, x, dy);
        for (int i = 0; i < x.length; i++) {
            double terms = switch (f) {
                case SELU -> x[i] > 0 ? 0 : Activation.SELU_SCALE * Activation.SELU_ALPHA;
                case TANH -> 1;
                default -> slopeTerms(f, x[i]);
            };
            r.scale()[i] = Math.max(r.scale()[i], Math.abs(dy[i]) * terms);
        }
        return r;
    }

    // ----------------------------------------------------------------------------------------
    // Norms

    /**
     * Size of xhat's terms: xhat itself, and the rounding of the row mean (a sum of |x| terms),
     * which shifts every xhat of the row by about mean(|x|) rstd times the relative error.
     */
    static double xhatScale(double xhat, double meanAbs, double rs) {
        return Math.abs(xhat) + meanAbs * rs;
    }

    /** LayerNorm: y, then mean [rows], then rstd [rows], in one Result each. */
    static Result[] layerNorm(float[] x, float[] g, float[] b, int rows, int cols, double eps) {
        Result y = Result.of(rows * cols);
        Result mean = Result.of(rows);
        Result rstd = Result.of(rows);
        for (int i = 0; i < rows; i++) {
            double mu = 0;
            double abs = 0;
            for (int j = 0; j < cols; j++) {
                mu += x[i * cols + j];
                abs += Math.abs(x[i * cols + j]);
            }
            mu /= cols;
            double var = 0;
            for (int j = 0; j < cols; j++) {
                double d = x[i * cols + j] - mu;
                var += d * d;
            }
            var /= cols;
            double rs = 1 / Math.sqrt(var + eps);
            mean.value()[i] = mu;
            mean.scale()[i] = abs / cols;
            rstd.value()[i] = rs;
            rstd.scale()[i] = 0;
            for (int j = 0; j < cols; j++) {
                double xhat = (x[i * cols + j] - mu) * rs;
                double gj = g == null ? 1 : g[j];
                double bj = b == null ? 0 : b[j];
                y.value()[i * cols + j] = xhat * gj + bj;
                y.scale()[i * cols + j] = xhatScale(xhat, abs / cols, rs) * Math.abs(gj) + Math.abs(bj);
            }
        }
        return new Result[] {y, mean, rstd};
    }

    /** LayerNorm backward from the reference mean/rstd: dx, dgamma, dbeta. */
    static Result[] layerNormBackward(float[] x, float[] g, float[] dy, int rows, int cols, double eps) {
        Result[] fwd = layerNorm(x, null, null, rows, cols, eps);
        Result dx = Result.of(rows * cols);
        Result dg = Result.of(cols);
        Result db = Result.of(cols);
        for (int i = 0; i < rows; i++) {
            double mu = fwd[1].value()[i];
            double meanAbs = fwd[1].scale()[i];
            double rs = fwd[2].value()[i];
            double a = 0;
            double c = 0;
            double absA = 0;
            double absC = 0;
            for (int j = 0; j < cols; j++) {
                double e = dy[i * cols + j] * (g == null ? 1 : g[j]);
                double xhat = (x[i * cols + j] - mu) * rs;
                double xs = xhatScale(xhat, meanAbs, rs);
                a += e;
                c += e * xhat;
                absA += Math.abs(e);
                absC += Math.abs(e) * xs;
                dg.value()[j] += dy[i * cols + j] * xhat;
                dg.scale()[j] += Math.abs(dy[i * cols + j]) * xs;
                db.value()[j] += dy[i * cols + j];
                db.scale()[j] += Math.abs(dy[i * cols + j]);
            }
            for (int j = 0; j < cols; j++) {
                double e = dy[i * cols + j] * (g == null ? 1 : g[j]);
                double xhat = (x[i * cols + j] - mu) * rs;
                double xs = xhatScale(xhat, meanAbs, rs);
                dx.value()[i * cols + j] = rs * (e - a / cols - xhat * c / cols);
                dx.scale()[i * cols + j] = rs * (Math.abs(e) + absA / cols + xs * absC / cols);
            }
        }
        return new Result[] {dx, dg, db};
    }

    /** RMSNorm: y, rrms. */
    static Result[] rmsNorm(float[] x, float[] g, int rows, int cols, double eps) {
        Result y = Result.of(rows * cols);
        Result rr = Result.of(rows);
        for (int i = 0; i < rows; i++) {
            double ms = 0;
            for (int j = 0; j < cols; j++) {
                ms += (double) x[i * cols + j] * x[i * cols + j];
            }
            double r = 1 / Math.sqrt(ms / cols + eps);
            rr.value()[i] = r;
            for (int j = 0; j < cols; j++) {
                double gj = g == null ? 1 : g[j];
                y.value()[i * cols + j] = x[i * cols + j] * r * gj;
            }
        }
        return new Result[] {y, rr};
    }

    /** RMSNorm backward from the reference rrms: dx, dgamma. */
    static Result[] rmsNormBackward(float[] x, float[] g, float[] dy, int rows, int cols, double eps) {
        Result[] fwd = rmsNorm(x, null, rows, cols, eps);
        Result dx = Result.of(rows * cols);
        Result dg = Result.of(cols);
        for (int i = 0; i < rows; i++) {
            double r = fwd[1].value()[i];
            double c = 0;
            double absC = 0;
            for (int j = 0; j < cols; j++) {
                double t = dy[i * cols + j] * (g == null ? 1 : g[j]) * x[i * cols + j];
                c += t;
                absC += Math.abs(t);
                dg.value()[j] += dy[i * cols + j] * x[i * cols + j] * r;
                dg.scale()[j] += Math.abs(dy[i * cols + j] * x[i * cols + j] * r);
            }
            for (int j = 0; j < cols; j++) {
                double e = dy[i * cols + j] * (g == null ? 1 : g[j]);
                dx.value()[i * cols + j] = r * (e - x[i * cols + j] * r * r * c / cols);
                dx.scale()[i * cols + j] = r * (Math.abs(e) + Math.abs(x[i * cols + j]) * r * r * absC / cols);
            }
        }
        return new Result[] {dx, dg};
    }

    // ----------------------------------------------------------------------------------------
    // Reductions

    static Result reduceRows(RowReduction reduction, float[] x, int rows, int cols) {
        Result r = Result.of(rows);
        for (int i = 0; i < rows; i++) {
            double s = 0;
            double abs = 0;
            double max = 0;
            for (int j = 0; j < cols; j++) {
                s += x[i * cols + j];
                abs += Math.abs(x[i * cols + j]);
                max = Math.max(max, Math.abs(x[i * cols + j]));
            }
            double mu = s / cols;
            double var = 0;
            for (int j = 0; j < cols; j++) {
                var += (x[i * cols + j] - mu) * (x[i * cols + j] - mu);
            }
            var /= cols;
            switch (reduction) {
                case SUM -> {
                    r.value()[i] = s;
                    r.scale()[i] = abs;
                }
                case MEAN -> {
                    r.value()[i] = mu;
                    r.scale()[i] = abs / cols;
                }
                case VARIANCE -> {
                    r.value()[i] = var;
                    r.scale()[i] = 0;
                }
                case MAX_ABS -> r.value()[i] = max;
                default -> throw new IllegalStateException();
            }
        }
        return r;
    }
}
