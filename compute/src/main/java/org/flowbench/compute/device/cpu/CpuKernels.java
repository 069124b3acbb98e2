package org.flowbench.compute.device.cpu;

import org.flowbench.compute.device.Activation;

/**
 * The cpu device's loops on flat arrays with offsets, one row or one index range at a time so the
 * device can split the work over threads. Inner loops run over contiguous memory with no branch
 * inside, so the JIT vectorises the element-wise ones; sums keep four running partials (indices
 * 0, 1, 2, 3 mod 4, combined as (s0 + s1) + (s2 + s3)) to break the dependency chain, the same
 * order the OpenCL kernels use.
 */
final class CpuKernels {

    static final float SELU_ALPHA = (float) Activation.SELU_ALPHA;
    static final float SELU_SCALE = (float) Activation.SELU_SCALE;
    static final float GELU_C = (float) Activation.GELU_SQRT_2_OVER_PI;
    static final float GELU_K = (float) Activation.GELU_CUBIC;

    private CpuKernels() {
    }

    // ----------------------------------------------------------------------------------------
    // Sums over a row

    static float sum(float[] a, int off, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[off + i];
            s1 += a[off + i + 1];
            s2 += a[off + i + 2];
            s3 += a[off + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Sum of (a - c)^2 over the row. */
    static float sumSquaredDeviations(float[] a, int off, int n, float c) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            float d0 = a[off + i] - c;
            float d1 = a[off + i + 1] - c;
            float d2 = a[off + i + 2] - c;
            float d3 = a[off + i + 3] - c;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            float d = a[off + i] - c;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float maxAbs(float[] a, int off, int n) {
        float m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(a[off + i]));
        }
        return m;
    }

    // ----------------------------------------------------------------------------------------
    // Activations

    /** tanh from one exp in double, exact to float precision (Math.tanh is far slower). */
    static float tanh(float x) {
        float ax = Math.abs(x);
        if (ax < 1e-4f) {
            return x * (1f - x * x * (1f / 3f));
        }
        double e = Math.exp(-2.0 * ax);
        float t = (float) ((1.0 - e) / (1.0 + e));
        return x < 0 ? -t : t;
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static void activate(Activation f, float[] x, int xOff, float[] y, int yOff, int n) {
        switch (f) {
            case IDENTITY -> System.arraycopy(x, xOff, y, yOff, n);
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    y[yOff + i] = Math.max(x[xOff + i], 0f);
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    y[yOff + i] = v * sigmoid(v);
                }
            }
            case SELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    y[yOff + i] = v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * (float) Math.expm1(v);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    y[yOff + i] = tanh(x[xOff + i]);
                }
            }
            case GELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    float t = tanh(GELU_C * (v + GELU_K * v * v * v));
                    y[yOff + i] = 0.5f * v * (1f + t);
                }
            }
            default -> throw new IllegalStateException("activation " + f);
        }
    }

    static void activateBackward(Activation f, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        switch (f) {
            case IDENTITY -> System.arraycopy(dy, dyOff, dx, dxOff, n);
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    dx[dxOff + i] = x[xOff + i] > 0 ? dy[dyOff + i] : 0f;
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    float s = sigmoid(v);
                    dx[dxOff + i] = dy[dyOff + i] * (s * (1f + v * (1f - s)));
                }
            }
            case SELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    float d = v > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * (float) Math.exp(v);
                    dx[dxOff + i] = dy[dyOff + i] * d;
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    float t = tanh(x[xOff + i]);
                    dx[dxOff + i] = dy[dyOff + i] * (1f - t * t);
                }
            }
            case GELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    float t = tanh(GELU_C * (v + GELU_K * v * v * v));
                    float d = 0.5f * (1f + t) + 0.5f * v * (1f - t * t) * GELU_C * (1f + 3f * GELU_K * v * v);
                    dx[dxOff + i] = dy[dyOff + i] * d;
                }
            }
            default -> throw new IllegalStateException("activation " + f);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Norms, one row at a time

    /** LayerNorm of one row; returns nothing, writes y, mean[r], rstd[r]. gamma/beta arrays may be null. */
    static void layerNormRow(float[] x, int xOff, float[] g, int gOff, float[] b, int bOff, float[] y, int yOff,
                             float[] mean, int meanIdx, float[] rstd, int rstdIdx, int n, float eps) {
        float mu = sum(x, xOff, n) / n;
        float var = sumSquaredDeviations(x, xOff, n, mu) / n;
        float rs = (float) (1.0 / Math.sqrt(var + eps));
        mean[meanIdx] = mu;
        rstd[rstdIdx] = rs;
        if (g != null && b != null) {
            for (int j = 0; j < n; j++) {
                y[yOff + j] = (x[xOff + j] - mu) * rs * g[gOff + j] + b[bOff + j];
            }
        } else if (g != null) {
            for (int j = 0; j < n; j++) {
                y[yOff + j] = (x[xOff + j] - mu) * rs * g[gOff + j];
            }
        } else if (b != null) {
            for (int j = 0; j < n; j++) {
                y[yOff + j] = (x[xOff + j] - mu) * rs + b[bOff + j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                y[yOff + j] = (x[xOff + j] - mu) * rs;
            }
        }
    }

    /**
     * LayerNorm input gradient of one row, {@code dx = rstd (g dy - mean(g dy) - xhat mean(g dy xhat))},
     * and the row's contribution to the gamma and beta gradients added into the block partials.
     * {@code dx} may be null; the partial arrays may be null.
     */
    static void layerNormBackwardRow(float[] x, int xOff, float[] g, int gOff, float mu, float rs,
                                     float[] dy, int dyOff, float[] dx, int dxOff,
                                     float[] dgPartial, int dgOff, float[] dbPartial, int dbOff, int n) {
        // Partials first: dx may be dy and is written last.
        if (dgPartial != null) {
            for (int k = 0; k < n; k++) {
                dgPartial[dgOff + k] += dy[dyOff + k] * ((x[xOff + k] - mu) * rs);
            }
        }
        if (dbPartial != null) {
            for (int k = 0; k < n; k++) {
                dbPartial[dbOff + k] += dy[dyOff + k];
            }
        }
        if (dx != null) {
            float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                float e0 = dy[dyOff + j] * (g == null ? 1f : g[gOff + j]);
                float e1 = dy[dyOff + j + 1] * (g == null ? 1f : g[gOff + j + 1]);
                float e2 = dy[dyOff + j + 2] * (g == null ? 1f : g[gOff + j + 2]);
                float e3 = dy[dyOff + j + 3] * (g == null ? 1f : g[gOff + j + 3]);
                a0 += e0;
                a1 += e1;
                a2 += e2;
                a3 += e3;
                c0 += e0 * ((x[xOff + j] - mu) * rs);
                c1 += e1 * ((x[xOff + j + 1] - mu) * rs);
                c2 += e2 * ((x[xOff + j + 2] - mu) * rs);
                c3 += e3 * ((x[xOff + j + 3] - mu) * rs);
            }
            for (; j < n; j++) {
                float e = dy[dyOff + j] * (g == null ? 1f : g[gOff + j]);
                a0 += e;
                c0 += e * ((x[xOff + j] - mu) * rs);
            }
            float meanG = ((a0 + a1) + (a2 + a3)) / n;
            float meanGx = ((c0 + c1) + (c2 + c3)) / n;
            // dx may alias dy: each index reads dy[j] before writing dx[j].
            if (g != null) {
                for (int k = 0; k < n; k++) {
                    float xhat = (x[xOff + k] - mu) * rs;
                    dx[dxOff + k] = rs * (dy[dyOff + k] * g[gOff + k] - meanG - xhat * meanGx);
                }
            } else {
                for (int k = 0; k < n; k++) {
                    float xhat = (x[xOff + k] - mu) * rs;
                    dx[dxOff + k] = rs * (dy[dyOff + k] - meanG - xhat * meanGx);
                }
            }
        }
    }

    static void rmsNormRow(float[] x, int xOff, float[] g, int gOff, float[] y, int yOff,
                           float[] rrms, int rIdx, int n, float eps) {
        float ms = sumSquaredDeviations(x, xOff, n, 0f) / n;
        float r = (float) (1.0 / Math.sqrt(ms + eps));
        rrms[rIdx] = r;
        if (g != null) {
            for (int j = 0; j < n; j++) {
                y[yOff + j] = x[xOff + j] * r * g[gOff + j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                y[yOff + j] = x[xOff + j] * r;
            }
        }
    }

    /** RMSNorm row gradient {@code dx = r (g dy - x r^2 mean(g dy x))} and the gamma partial. */
    static void rmsNormBackwardRow(float[] x, int xOff, float[] g, int gOff, float r, float[] dy, int dyOff,
                                   float[] dx, int dxOff, float[] dgPartial, int dgOff, int n) {
        // The partial first: dx may be dy and is written last.
        if (dgPartial != null) {
            for (int i = 0; i < n; i++) {
                dgPartial[dgOff + i] += dy[dyOff + i] * (x[xOff + i] * r);
            }
        }
        if (dx != null) {
            float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                c0 += dy[dyOff + j] * (g == null ? 1f : g[gOff + j]) * x[xOff + j];
                c1 += dy[dyOff + j + 1] * (g == null ? 1f : g[gOff + j + 1]) * x[xOff + j + 1];
                c2 += dy[dyOff + j + 2] * (g == null ? 1f : g[gOff + j + 2]) * x[xOff + j + 2];
                c3 += dy[dyOff + j + 3] * (g == null ? 1f : g[gOff + j + 3]) * x[xOff + j + 3];
            }
            for (; j < n; j++) {
                c0 += dy[dyOff + j] * (g == null ? 1f : g[gOff + j]) * x[xOff + j];
            }
            float k = r * r * (((c0 + c1) + (c2 + c3)) / n);
            if (g != null) {
                for (int i = 0; i < n; i++) {
                    dx[dxOff + i] = r * (dy[dyOff + i] * g[gOff + i] - x[xOff + i] * k);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dx[dxOff + i] = r * (dy[dyOff + i] - x[xOff + i] * k);
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Thin dense layers (a side of at most a few units), in plain loops

    /** {@code y[r] = x[r] w + b} for rows [r0, r1). */
    static void denseRows(float[] x, int xOff, float[] w, int wOff, float[] b, int bOff, float[] y, int yOff,
                          int r0, int r1, int in, int out) {
        for (int r = r0; r < r1; r++) {
            int yr = yOff + r * out;
            int xr = xOff + r * in;
            if (out >= 16) {
                if (b != null) {
                    System.arraycopy(b, bOff, y, yr, out);
                } else {
                    java.util.Arrays.fill(y, yr, yr + out, 0f);
                }
                for (int k = 0; k < in; k++) {
                    float a = x[xr + k];
                    int wk = wOff + k * out;
                    for (int o = 0; o < out; o++) {
                        y[yr + o] += a * w[wk + o];
                    }
                }
            } else {
                for (int o = 0; o < out; o++) {
                    float s = 0;
                    for (int k = 0; k < in; k++) {
                        s += x[xr + k] * w[wOff + k * out + o];
                    }
                    y[yr + o] = b == null ? s : s + b[bOff + o];
                }
            }
        }
    }

    /** {@code dx[r] = dy[r] w^T} for rows [r0, r1). */
    static void denseInputGradientRows(float[] w, int wOff, float[] dy, int dyOff, float[] dx, int dxOff,
                                       int r0, int r1, int in, int out) {
        for (int r = r0; r < r1; r++) {
            for (int i = 0; i < in; i++) {
                dx[dxOff + r * in + i] = dot(dy, dyOff + r * out, w, wOff + i * out, out);
            }
        }
    }

    /** Adds rows [r0, r1) of {@code x^T dy} into {@code dwPartial[off..off+in*out)}. */
    static void denseWeightGradientRows(float[] x, int xOff, float[] dy, int dyOff, float[] dwPartial, int off,
                                        int r0, int r1, int in, int out) {
        for (int r = r0; r < r1; r++) {
            int dyr = dyOff + r * out;
            for (int i = 0; i < in; i++) {
                float a = x[xOff + r * in + i];
                int d = off + i * out;
                for (int o = 0; o < out; o++) {
                    dwPartial[d + o] += a * dy[dyr + o];
                }
            }
        }
    }

    /** Adds rows [r0, r1) of a [rows x cols] batch into {@code partial[off..off+cols)}. */
    static void addRows(float[] a, int aOff, float[] partial, int off, int r0, int r1, int cols) {
        for (int r = r0; r < r1; r++) {
            int ar = aOff + r * cols;
            for (int j = 0; j < cols; j++) {
                partial[off + j] += a[ar + j];
            }
        }
    }
}
