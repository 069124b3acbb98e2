package org.flowbench.compute.device.cpu;

import org.flowbench.compute.device.Activation;

/**
 * The cpu device's loops on flat arrays with offsets, one row or one index range at a time so the
 * device can split the work over threads. Inner loops run over contiguous memory with no branch
 * inside, so the JIT vectorises the element-wise ones. The JIT does not vectorise float sums
 * (it keeps their order), so row sums keep eight running partials (index i goes to partial
 * i mod 8; they are combined as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))) and the two
 * sums of a norm's backward pass four each: independent chains the processor overlaps. The
 * forward norms sum by halving instead ({@link #pairwiseSum}), which vectorises. The OpenCL
 * kernels sum rows in their own order; the devices agree to rounding.
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
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            int p = off + i;
            s0 += a[p];
            s1 += a[p + 1];
            s2 += a[p + 2];
            s3 += a[p + 3];
            s4 += a[p + 4];
            s5 += a[p + 5];
            s6 += a[p + 6];
            s7 += a[p + 7];
        }
        for (; i < n; i++) {
            s0 += a[off + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Sum of (a - c)^2 over the row. */
    static float sumSquaredDeviations(float[] a, int off, int n, float c) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            int p = off + i;
            float d0 = a[p] - c;
            float d1 = a[p + 1] - c;
            float d2 = a[p + 2] - c;
            float d3 = a[p + 3] - c;
            float d4 = a[p + 4] - c;
            float d5 = a[p + 5] - c;
            float d6 = a[p + 6] - c;
            float d7 = a[p + 7] - c;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
            s4 += d4 * d4;
            s5 += d5 * d5;
            s6 += d6 * d6;
            s7 += d7 * d7;
        }
        for (; i < n; i++) {
            float d = a[off + i] - c;
            s0 += d * d;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            int p = aOff + i;
            int q = bOff + i;
            s0 += a[p] * b[q];
            s1 += a[p + 1] * b[q + 1];
            s2 += a[p + 2] * b[q + 2];
            s3 += a[p + 3] * b[q + 3];
            s4 += a[p + 4] * b[q + 4];
            s5 += a[p + 5] * b[q + 5];
            s6 += a[p + 6] * b[q + 6];
            s7 += a[p + 7] * b[q + 7];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
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

    /**
     * GELU, tanh form, of n values (the loop without the Vector API, and its tails). With
     * t = tanh(u) and e = exp(-2|u|), 1 + t is 2 / (1 + e) for u >= 0 and 2 e / (1 + e) below, so
     * it keeps its relative accuracy where t is near -1 (1 + t formed from a rounded t would not).
     */
    static void geluScalar(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            double u = GELU_C * (v + GELU_K * v * v * v);
            double e = Math.exp(-2 * Math.abs(u));
            double onePlusT = (u < 0 ? 2 * e : 2) / (1 + e);
            y[yOff + i] = (float) (0.5 * v * onePlusT);
        }
    }

    /** {@code dx = dy GELU'(x)} over n values; dx may be dy. 1 - t^2 is 4 e / (1 + e)^2 (see {@link #geluScalar}). */
    static void geluBackwardScalar(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            double u = GELU_C * (v + GELU_K * v * v * v);
            double e = Math.exp(-2 * Math.abs(u));
            double inverse = 1 / (1 + e);
            double onePlusT = (u < 0 ? 2 * e : 2) * inverse;
            double oneMinusT2 = 4 * e * inverse * inverse;
            double d = 0.5 * onePlusT + 0.5 * v * oneMinusT2 * GELU_C * (1 + 3 * GELU_K * v * v);
            dx[dxOff + i] = (float) (dy[dyOff + i] * d);
        }
    }

    static float sigmoid(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }

    /** e^x - 1 for x &lt;= 0, relative-accurate near 0 (Math.expm1 is several times slower than exp). */
    static float expm1Negative(float x) {
        return x > -1e-5f ? x + 0.5f * x * x : (float) (Math.exp(x) - 1.0);
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
                    y[yOff + i] = v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * expm1Negative(v);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    y[yOff + i] = tanh(x[xOff + i]);
                }
            }
            case GELU -> {
                if (Simd.available()) {
                    VectorKernels.gelu(x, xOff, y, yOff, n);
                } else {
                    geluScalar(x, xOff, y, yOff, n);
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
                if (Simd.available()) {
                    VectorKernels.geluBackward(x, xOff, dy, dyOff, dx, dxOff, n);
                } else {
                    geluBackwardScalar(x, xOff, dy, dyOff, dx, dxOff, n);
                }
            }
            default -> throw new IllegalStateException("activation " + f);
        }
    }

    /**
     * Backward of SELU or tanh from the forward output {@code y}: SELU's slope for x &lt;= 0 is
     * {@code scale alpha e^x = y + scale alpha}, tanh's is {@code 1 - y^2}, so no exponential.
     */
    static void activateBackwardFromOutput(Activation f, float[] x, int xOff, float[] y, int yOff, float[] dy,
                                           int dyOff, float[] dx, int dxOff, int n) {
        switch (f) {
            case SELU -> {
                // The sign of a hidden unit is a coin flip, so a branch on it mispredicts half the
                // time; the slope is picked with bit masks instead.
                float scaleAlpha = SELU_SCALE * SELU_ALPHA;
                int scaleBits = Float.floatToRawIntBits(SELU_SCALE);
                for (int i = 0; i < n; i++) {
                    int xb = Float.floatToRawIntBits(x[xOff + i]);
                    // All ones when 0 < bits <= bits(+Inf), that is x > 0 and not NaN; else zero.
                    int positive = ((-xb) & ~xb & ~(0x7F800000 - xb)) >> 31;
                    int negativeSlope = Float.floatToRawIntBits(y[yOff + i] + scaleAlpha);
                    float d = Float.intBitsToFloat((positive & scaleBits) | (~positive & negativeSlope));
                    dx[dxOff + i] = dy[dyOff + i] * d;
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    float t = y[yOff + i];
                    dx[dxOff + i] = dy[dyOff + i] * (1f - t * t);
                }
            }
            default -> throw new IllegalStateException("backward from the output of " + f);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Norms, one row at a time

    /**
     * The sum of {@code u[0..n)} by halving: the upper half is added onto the lower half until at
     * most 16 values remain (an odd one out is set aside), then those are added in order. Each
     * halving is an element-wise loop over arrays indexed alike, which the JIT vectorises, where
     * a running sum stays scalar; pairwise sums are also more accurate (error growing with
     * log n, not n). Overwrites {@code u}; {@code w} is scratch of at least n/2 floats.
     */
    static float pairwiseSum(float[] u, int n, float[] w) {
        float setAside = 0;
        int len = n;
        while (len > 16) {
            if ((len & 1) != 0) {
                setAside += u[len - 1];
                len--;
            }
            int half = len >> 1;
            System.arraycopy(u, half, w, 0, half);
            for (int i = 0; i < half; i++) {
                u[i] += w[i];
            }
            len = half;
        }
        float s = 0;
        for (int i = 0; i < len; i++) {
            s += u[i];
        }
        return s + setAside;
    }

    /**
     * LayerNorm of one row held in the scratch row {@code t} (from index 0), normalised in place;
     * writes {mean, rstd} to {@code stats}. {@code g} and {@code b} are indexed from 0 too (or
     * null): with every array indexed by the same expression the JIT vectorises the loops, which
     * it does not do for arrays at different offsets. {@code u} and {@code w} are scratch rows of
     * n and n/2 floats.
     */
    static void layerNormInPlace(float[] t, float[] g, float[] b, int n, float eps, float[] stats, float[] u,
                                 float[] w) {
        // Two passes, each a vectorised difference then a pairwise sum: the mean of the row
        // shifted by its first value (so a large common offset does not round the mean away),
        // then the mean square deviation from that mean.
        float c = t[0];
        for (int i = 0; i < n; i++) {
            u[i] = t[i] - c;
        }
        float mu = c + pairwiseSum(u, n, w) / n;
        for (int i = 0; i < n; i++) {
            float d = t[i] - mu;
            u[i] = d * d;
        }
        float var = pairwiseSum(u, n, w) / n;
        float rs = (float) (1.0 / Math.sqrt(var + eps));
        stats[0] = mu;
        stats[1] = rs;
        if (g != null && b != null) {
            for (int j = 0; j < n; j++) {
                t[j] = (t[j] - mu) * rs * g[j] + b[j];
            }
        } else if (g != null) {
            for (int j = 0; j < n; j++) {
                t[j] = (t[j] - mu) * rs * g[j];
            }
        } else if (b != null) {
            for (int j = 0; j < n; j++) {
                t[j] = (t[j] - mu) * rs + b[j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                t[j] = (t[j] - mu) * rs;
            }
        }
    }

    /**
     * LayerNorm gradients of one row in scratch rows: adds the row's {@code dy xhat} and
     * {@code dy} into the block partials {@code pg}, {@code pb} (either may be null), then, when
     * {@code wantDx}, overwrites {@code dy} with {@code dx = rstd (g dy - mean(g dy) - xhat mean(g dy xhat))}.
     * All arrays indexed from 0; {@code g} may be null.
     */
    static void layerNormBackwardInPlace(float[] x, float[] g, float mu, float rs, float[] dy, float[] pg, float[] pb,
                                         boolean wantDx, int n) {
        if (pg != null) {
            for (int j = 0; j < n; j++) {
                pg[j] += dy[j] * ((x[j] - mu) * rs);
            }
        }
        if (pb != null) {
            for (int j = 0; j < n; j++) {
                pb[j] += dy[j];
            }
        }
        if (!wantDx) {
            return;
        }
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            float e0 = dy[j] * (g == null ? 1f : g[j]);
            float e1 = dy[j + 1] * (g == null ? 1f : g[j + 1]);
            float e2 = dy[j + 2] * (g == null ? 1f : g[j + 2]);
            float e3 = dy[j + 3] * (g == null ? 1f : g[j + 3]);
            a0 += e0;
            a1 += e1;
            a2 += e2;
            a3 += e3;
            c0 += e0 * ((x[j] - mu) * rs);
            c1 += e1 * ((x[j + 1] - mu) * rs);
            c2 += e2 * ((x[j + 2] - mu) * rs);
            c3 += e3 * ((x[j + 3] - mu) * rs);
        }
        for (; j < n; j++) {
            float e = dy[j] * (g == null ? 1f : g[j]);
            a0 += e;
            c0 += e * ((x[j] - mu) * rs);
        }
        float meanG = ((a0 + a1) + (a2 + a3)) / n;
        float meanGx = ((c0 + c1) + (c2 + c3)) / n;
        if (g != null) {
            for (int k = 0; k < n; k++) {
                dy[k] = rs * (dy[k] * g[k] - meanG - ((x[k] - mu) * rs) * meanGx);
            }
        } else {
            for (int k = 0; k < n; k++) {
                dy[k] = rs * (dy[k] - meanG - ((x[k] - mu) * rs) * meanGx);
            }
        }
    }

    /**
     * RMSNorm of one scratch row in place; returns rrms. Arrays indexed from 0, g may be null;
     * {@code u} and {@code w} are scratch as for {@link #layerNormInPlace}.
     */
    static float rmsNormInPlace(float[] t, float[] g, int n, float eps, float[] u, float[] w) {
        for (int i = 0; i < n; i++) {
            u[i] = t[i] * t[i];
        }
        float ms = pairwiseSum(u, n, w) / n;
        float r = (float) (1.0 / Math.sqrt(ms + eps));
        if (g != null) {
            for (int j = 0; j < n; j++) {
                t[j] = t[j] * r * g[j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                t[j] = t[j] * r;
            }
        }
        return r;
    }

    /**
     * RMSNorm gradients of one scratch row: adds {@code dy x rrms} into {@code pg} (may be null),
     * then, when {@code wantDx}, overwrites {@code dy} with {@code dx = r (g dy - x r^2 mean(g dy x))}.
     */
    static void rmsNormBackwardInPlace(float[] x, float[] g, float r, float[] dy, float[] pg, boolean wantDx, int n) {
        if (pg != null) {
            for (int j = 0; j < n; j++) {
                pg[j] += dy[j] * (x[j] * r);
            }
        }
        if (!wantDx) {
            return;
        }
        float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            c0 += dy[j] * (g == null ? 1f : g[j]) * x[j];
            c1 += dy[j + 1] * (g == null ? 1f : g[j + 1]) * x[j + 1];
            c2 += dy[j + 2] * (g == null ? 1f : g[j + 2]) * x[j + 2];
            c3 += dy[j + 3] * (g == null ? 1f : g[j + 3]) * x[j + 3];
        }
        for (; j < n; j++) {
            c0 += dy[j] * (g == null ? 1f : g[j]) * x[j];
        }
        float k = r * r * (((c0 + c1) + (c2 + c3)) / n);
        if (g != null) {
            for (int i = 0; i < n; i++) {
                dy[i] = r * (dy[i] * g[i] - x[i] * k);
            }
        } else {
            for (int i = 0; i < n; i++) {
                dy[i] = r * (dy[i] - x[i] * k);
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Thin dense layers (a side of at most a few units), in plain loops

    /**
     * {@code y[r] = x[r] w + b} for rows [r0, r1), for layers with few inputs and many outputs:
     * each input's weight row ({@link #weightRows}) scaled and added into a scratch output row.
     */
    static void denseRows(float[] x, int xOff, float[][] wRows, float[] b, int bOff, float[] y, int yOff,
                          int r0, int r1, int in, int out) {
        float[] t = new float[out];
        float[] bias = new float[out];
        if (b != null) {
            System.arraycopy(b, bOff, bias, 0, out);
        }
        for (int r = r0; r < r1; r++) {
            int xr = xOff + r * in;
            System.arraycopy(bias, 0, t, 0, out);
            for (int k = 0; k < in; k++) {
                float a = x[xr + k];
                float[] wk = wRows[k];
                for (int o = 0; o < out; o++) {
                    t[o] += a * wk[o];
                }
            }
            System.arraycopy(t, 0, y, yOff + r * out, out);
        }
    }

    /** The weights {@code w [in x out]} as {@code in} rows of {@code out} values, each indexed from 0. */
    static float[][] weightRows(float[] w, int wOff, int in, int out) {
        float[][] rows = new float[in][];
        for (int i = 0; i < in; i++) {
            rows[i] = java.util.Arrays.copyOfRange(w, wOff + i * out, wOff + (i + 1) * out);
        }
        return rows;
    }

    /**
     * The weights {@code w [in x out]} as {@code out} rows of {@code in} values, each its own
     * array indexed from 0: the layout the narrow-layer loops read (see the class comment on
     * vectorising).
     */
    static float[][] transposedRows(float[] w, int wOff, int in, int out) {
        float[][] rows = new float[out][in];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                rows[o][i] = w[wOff + i * out + o];
            }
        }
        return rows;
    }

    /**
     * {@code y[r] = x[r] w + b} for rows [r0, r1), for layers with few outputs: one dot product
     * per output, with the weights given as {@link #transposedRows}.
     */
    static void denseRowsNarrow(float[] x, int xOff, float[][] wRows, float[] b, int bOff, float[] y, int yOff,
                                int r0, int r1, int in, int out) {
        for (int r = r0; r < r1; r++) {
            int xr = xOff + r * in;
            int yr = yOff + r * out;
            for (int o = 0; o < out; o++) {
                float s = dot(x, xr, wRows[o], 0, in);
                y[yr + o] = b == null ? s : s + b[bOff + o];
            }
        }
    }

    /** {@code dx[r] = dy[r] w^T} for rows [r0, r1): one dot product per input. */
    static void denseInputGradientRows(float[] w, int wOff, float[] dy, int dyOff, float[] dx, int dxOff,
                                       int r0, int r1, int in, int out) {
        for (int r = r0; r < r1; r++) {
            for (int i = 0; i < in; i++) {
                dx[dxOff + r * in + i] = dot(dy, dyOff + r * out, w, wOff + i * out, out);
            }
        }
    }

    /**
     * {@code dx[r] = dy[r] w^T} for rows [r0, r1), for layers with few outputs: each output's
     * weight row ({@link #transposedRows}) scaled by its gradient and summed into a scratch row.
     */
    static void denseInputGradientRowsNarrow(float[][] wRows, float[] dy, int dyOff, float[] dx, int dxOff,
                                             int r0, int r1, int in, int out) {
        float[] t = new float[in];
        for (int r = r0; r < r1; r++) {
            int dyr = dyOff + r * out;
            float[] w0 = wRows[0];
            float a0 = dy[dyr];
            for (int i = 0; i < in; i++) {
                t[i] = a0 * w0[i];
            }
            for (int o = 1; o < out; o++) {
                float[] wo = wRows[o];
                float a = dy[dyr + o];
                for (int i = 0; i < in; i++) {
                    t[i] += a * wo[i];
                }
            }
            System.arraycopy(t, 0, dx, dxOff + r * in, in);
        }
    }

    /** Adds rows [r0, r1) of {@code x^T dy} into {@code dwPartial[off..off+in*out)}. */
    static void denseWeightGradientRows(float[] x, int xOff, float[] dy, int dyOff, float[] dwPartial, int off,
                                        int r0, int r1, int in, int out) {
        if (out < NARROW && in >= NARROW) {
            denseWeightGradientRowsNarrow(x, xOff, dy, dyOff, dwPartial, off, r0, r1, in, out);
            return;
        }
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

    /** Layers with fewer outputs than this use the narrow loops. */
    static final int NARROW = 16;

    /**
     * The same sum for few outputs: each output's column of {@code dw} gathered in its own scratch
     * row, over a scratch copy of each input row, and added into the partial at the end. Every
     * element is still summed over the rows in row order.
     */
    private static void denseWeightGradientRowsNarrow(float[] x, int xOff, float[] dy, int dyOff, float[] dwPartial,
                                                      int off, int r0, int r1, int in, int out) {
        float[][] acc = new float[out][in];
        float[] xr = new float[in];
        for (int r = r0; r < r1; r++) {
            System.arraycopy(x, xOff + r * in, xr, 0, in);
            int dyr = dyOff + r * out;
            for (int o = 0; o < out; o++) {
                float[] ao = acc[o];
                float a = dy[dyr + o];
                for (int i = 0; i < in; i++) {
                    ao[i] += a * xr[i];
                }
            }
        }
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                dwPartial[off + i * out + o] += acc[o][i];
            }
        }
    }

    /** Adds rows [r0, r1) of a [rows x cols] batch into {@code partial[off..off+cols)}. */
    static void addRows(float[] a, int aOff, float[] partial, int off, int r0, int r1, int cols) {
        // Summed in scratch rows indexed from 0, so the loop vectorises.
        float[] acc = new float[cols];
        float[] row = new float[cols];
        for (int r = r0; r < r1; r++) {
            System.arraycopy(a, aOff + r * cols, row, 0, cols);
            for (int j = 0; j < cols; j++) {
                acc[j] += row[j];
            }
        }
        for (int j = 0; j < cols; j++) {
            partial[off + j] += acc[j];
        }
    }

    // Channel statistics and batch-style normalisation. A tensor is [batch, channels, spatial];
    // per-channel arrays (center, scale, shift, partials) are indexed from 0 by channel.

    /** Sum of dy * (x - c) over a row of both. */
    static float dotCentered(float[] x, int xOff, float[] dy, int dyOff, int n, float c) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            int p = xOff + i;
            int q = dyOff + i;
            s0 += dy[q] * (x[p] - c);
            s1 += dy[q + 1] * (x[p + 1] - c);
            s2 += dy[q + 2] * (x[p + 2] - c);
            s3 += dy[q + 3] * (x[p + 3] - c);
            s4 += dy[q + 4] * (x[p + 4] - c);
            s5 += dy[q + 5] * (x[p + 5] - c);
            s6 += dy[q + 6] * (x[p + 6] - c);
            s7 += dy[q + 7] * (x[p + 7] - c);
        }
        for (; i < n; i++) {
            s0 += dy[dyOff + i] * (x[xOff + i] - c);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * Adds, for the batch rows [n0, n1) in order, each channel's sum of x (center null) or of
     * (x - center)^2 into {@code partial[off + c]}.
     */
    static void channelPartial(float[] x, int xOff, float[] center, float[] partial, int off, int n0, int n1,
                               int channels, int spatial) {
        for (int n = n0; n < n1; n++) {
            int row = xOff + n * channels * spatial;
            if (spatial == 1) {
                if (center == null) {
                    for (int c = 0; c < channels; c++) {
                        partial[off + c] += x[row + c];
                    }
                } else {
                    for (int c = 0; c < channels; c++) {
                        float d = x[row + c] - center[c];
                        partial[off + c] += d * d;
                    }
                }
            } else {
                for (int c = 0; c < channels; c++) {
                    int p = row + c * spatial;
                    partial[off + c] += center == null ? sum(x, p, spatial)
                            : sumSquaredDeviations(x, p, spatial, center[c]);
                }
            }
        }
    }

    /**
     * Adds, for the batch rows [n0, n1) in order, each channel's sum of dy into {@code sumDy} and
     * of dy (x - center) into {@code sumDyX} (either may be null) at {@code dyAt + c} and
     * {@code dyxAt + c}.
     */
    static void channelGradientPartial(float[] x, int xOff, float[] center, float[] dy, int dyOff, float[] sumDy,
                                       int dyAt, float[] sumDyX, int dyxAt, int n0, int n1, int channels,
                                       int spatial) {
        for (int n = n0; n < n1; n++) {
            int xr = xOff + n * channels * spatial;
            int dr = dyOff + n * channels * spatial;
            for (int c = 0; c < channels; c++) {
                int p = xr + c * spatial;
                int q = dr + c * spatial;
                if (sumDy != null) {
                    sumDy[dyAt + c] += spatial == 1 ? dy[q] : sum(dy, q, spatial);
                }
                if (sumDyX != null) {
                    sumDyX[dyxAt + c] += spatial == 1 ? dy[q] * (x[p] - center[c])
                            : dotCentered(x, p, dy, q, spatial, center[c]);
                }
            }
        }
    }

    /** {@code y = (x - center[c]) scale[c] + shift[c]} for the batch rows [n0, n1). */
    static void channelNormalizeRows(float[] x, int xOff, float[] center, float[] scale, float[] shift, float[] y,
                                     int yOff, int n0, int n1, int channels, int spatial) {
        for (int n = n0; n < n1; n++) {
            int xr = xOff + n * channels * spatial;
            int yr = yOff + n * channels * spatial;
            if (spatial == 1) {
                for (int c = 0; c < channels; c++) {
                    y[yr + c] = (x[xr + c] - center[c]) * scale[c] + shift[c];
                }
            } else {
                for (int c = 0; c < channels; c++) {
                    float m = center[c];
                    float s = scale[c];
                    float h = shift[c];
                    int p = xr + c * spatial;
                    int q = yr + c * spatial;
                    for (int i = 0; i < spatial; i++) {
                        y[q + i] = (x[p + i] - m) * s + h;
                    }
                }
            }
        }
    }

    /** {@code dx = dyScale[c] dy + xScale[c] (x - center[c]) + shift[c]} for the batch rows [n0, n1). */
    static void channelBackwardRows(float[] x, int xOff, float[] center, float[] dy, int dyOff, float[] dyScale,
                                    float[] xScale, float[] shift, float[] dx, int dxOff, int n0, int n1,
                                    int channels, int spatial) {
        for (int n = n0; n < n1; n++) {
            int xr = xOff + n * channels * spatial;
            int dr = dyOff + n * channels * spatial;
            int or = dxOff + n * channels * spatial;
            if (spatial == 1) {
                for (int c = 0; c < channels; c++) {
                    dx[or + c] = dyScale[c] * dy[dr + c] + xScale[c] * (x[xr + c] - center[c]) + shift[c];
                }
            } else {
                for (int c = 0; c < channels; c++) {
                    float m = center[c];
                    float a = dyScale[c];
                    float b = xScale[c];
                    float h = shift[c];
                    int p = xr + c * spatial;
                    int q = dr + c * spatial;
                    int o = or + c * spatial;
                    for (int i = 0; i < spatial; i++) {
                        dx[o + i] = a * dy[q + i] + b * (x[p + i] - m) + h;
                    }
                }
            }
        }
    }

    /**
     * EvoNorm's u for the batch rows [n0, n1): B0 {@code x / max(channelStat[c], v[c] x + rowStat[row])},
     * S0 {@code x sigmoid(v[c] x) rowStat[row]}; a row is {@code rowLength} consecutive values.
     */
    static void evoNormRows(boolean b0, float[] x, int xOff, float[] v, float[] rowStat, float[] channelStat,
                            float[] u, int uOff, int n0, int n1, int channels, int spatial, int rowLength) {
        for (int n = n0; n < n1; n++) {
            for (int c = 0; c < channels; c++) {
                int base = (n * channels + c) * spatial;
                float vc = v[c];
                for (int i = 0; i < spatial; i++) {
                    int e = base + i;
                    float xi = x[xOff + e];
                    float r = rowStat[e / rowLength];
                    if (b0) {
                        u[uOff + e] = xi / Math.max(channelStat[c], vc * xi + r);
                    } else {
                        float sig = 1f / (1f + (float) Math.exp(-vc * xi));
                        u[uOff + e] = xi * sig * r;
                    }
                }
            }
        }
    }

    /** The per-element gradient terms of {@link #evoNormRows} for the batch rows [n0, n1); channelTerm may be null. */
    static void evoNormBackwardRows(boolean b0, float[] x, int xOff, float[] v, float[] rowStat, float[] channelStat,
                                    float[] g, int gOff, float[] dx, int dxOff, float[] dv, int dvOff, float[] rowTerm,
                                    int rtOff, float[] channelTerm, int ctOff, int n0, int n1, int channels,
                                    int spatial, int rowLength) {
        for (int n = n0; n < n1; n++) {
            for (int c = 0; c < channels; c++) {
                int base = (n * channels + c) * spatial;
                float vc = v[c];
                for (int i = 0; i < spatial; i++) {
                    int e = base + i;
                    float xi = x[xOff + e];
                    float gi = g[gOff + e];
                    float r = rowStat[e / rowLength];
                    if (b0) {
                        float a = channelStat[c];
                        float t = vc * xi + r;
                        if (t > a) {
                            float inv = 1f / t;
                            float q = gi * inv * inv;
                            dx[dxOff + e] = q * r;
                            dv[dvOff + e] = -q * xi * xi;
                            rowTerm[rtOff + e] = -q * xi;
                            if (channelTerm != null) {
                                channelTerm[ctOff + e] = 0f;
                            }
                        } else {
                            dx[dxOff + e] = gi / a;
                            dv[dvOff + e] = 0f;
                            rowTerm[rtOff + e] = 0f;
                            if (channelTerm != null) {
                                channelTerm[ctOff + e] = -gi * xi / (a * a);
                            }
                        }
                    } else {
                        float sig = 1f / (1f + (float) Math.exp(-vc * xi));
                        float slope = sig * (1f - sig);
                        dx[dxOff + e] = gi * r * (sig + vc * xi * slope);
                        dv[dvOff + e] = gi * r * xi * xi * slope;
                        rowTerm[rtOff + e] = gi * xi * sig;
                    }
                }
            }
        }
    }

    // Transformer ops: attention heads, batched products, causal softmax, cross-entropy, embeddings.

    /**
     * Rows {@code [r0, r1)} of {@code c = alpha op(a) b} for one matrix of a batch, {@code b}
     * being {@code [k x n]} row-major (a transposed operand is transposed into scratch first, see
     * {@link #transpose}); every element is one float sum over {@code k} in index order, so the
     * bytes do not depend on how rows are split. The inner loop runs along rows of b and c,
     * which the JIT vectorises.
     */
    static void matmulRows(float[] a, int aOff, boolean transA, float[] b, int bOff, float[] c, int cOff, int m, int k,
                           int n, float alpha, int r0, int r1, float[] acc) {
        for (int i = r0; i < r1; i++) {
            java.util.Arrays.fill(acc, 0, n, 0f);
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                int bp = bOff + p * n;
                for (int j = 0; j < n; j++) {
                    acc[j] += av * b[bp + j];
                }
            }
            int ci = cOff + i * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] = alpha * acc[j];
            }
        }
    }

    /** {@code dst[j, i] = src[srcOff + i * cols + j]} for a {@code [rows x cols]} source. */
    static void transpose(float[] src, int srcOff, int rows, int cols, float[] dst) {
        for (int i = 0; i < rows; i++) {
            int si = srcOff + i * cols;
            for (int j = 0; j < cols; j++) {
                dst[j * rows + i] = src[si + j];
            }
        }
    }

    /** One row of a causal softmax: entries {@code [0, valid)} normalised, the rest 0. */
    static void causalSoftmaxRow(float[] s, int sOff, float[] p, int pOff, int valid, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < valid; j++) {
            max = Math.max(max, s[sOff + j]);
        }
        float sum = 0f;
        for (int j = 0; j < valid; j++) {
            float e = (float) Math.exp(s[sOff + j] - max);
            p[pOff + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < valid; j++) {
            p[pOff + j] *= inv;
        }
        for (int j = valid; j < cols; j++) {
            p[pOff + j] = 0f;
        }
    }

    /** One row of {@code ds = p (dp - sum(dp p))}. */
    static void softmaxBackwardRow(float[] p, int pOff, float[] dp, int dpOff, float[] ds, int dsOff, int cols) {
        float dot = 0f;
        for (int j = 0; j < cols; j++) {
            dot += dp[dpOff + j] * p[pOff + j];
        }
        for (int j = 0; j < cols; j++) {
            ds[dsOff + j] = p[pOff + j] * (dp[dpOff + j] - dot);
        }
    }

    /**
     * One row of softmax cross-entropy; returns the loss and writes the scaled gradient when
     * {@code d} is not null. A target outside {@code [0, cols)} gives loss 0 and gradient 0.
     */
    static float crossEntropyRow(float[] x, int xOff, float target, float[] d, int dOff, int cols, float scale) {
        int t = target >= 0 && target < cols ? (int) target : -1;
        if (t < 0) {
            if (d != null) {
                java.util.Arrays.fill(d, dOff, dOff + cols, 0f);
            }
            return 0f;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[xOff + j]);
        }
        float sum = 0f;
        for (int j = 0; j < cols; j++) {
            sum += (float) Math.exp(x[xOff + j] - max);
        }
        float logSum = max + (float) Math.log(sum);
        float loss = logSum - x[xOff + t];
        if (d != null) {
            for (int j = 0; j < cols; j++) {
                float q = (float) Math.exp(x[xOff + j] - logSum);
                d[dOff + j] = scale * (j == t ? q - 1f : q);
            }
        }
        return loss;
    }
}
