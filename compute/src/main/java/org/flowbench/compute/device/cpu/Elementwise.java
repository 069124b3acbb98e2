package org.flowbench.compute.device.cpu;

import org.flowbench.compute.device.Activation;

/**
 * Element-wise loops of the cpu device over index ranges [from, to), each in two forms: with an
 * offset per array, and "aligned" with one offset shared by every array. The JIT of Java 17 only
 * vectorises a loop when all its arrays are indexed by the same expression, so the device calls
 * the aligned form whenever the buffers sit at the same offset (always for whole buffers).
 */
final class Elementwise {

    private Elementwise() {
    }

    static void axpby(float a, float b, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff,
                      int from, int to) {
        for (int i = from; i < to; i++) {
            out[outOff + i] = a * x[xOff + i] + b * y[yOff + i];
        }
    }

    static void axpbyAligned(float a, float b, float[] x, float[] y, float[] out, int o, int from, int to) {
        for (int i = from; i < to; i++) {
            out[o + i] = a * x[o + i] + b * y[o + i];
        }
    }

    static void multiply(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int from,
                         int to) {
        for (int i = from; i < to; i++) {
            out[outOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    static void multiplyAligned(float[] x, float[] y, float[] out, int o, int from, int to) {
        for (int i = from; i < to; i++) {
            out[o + i] = x[o + i] * y[o + i];
        }
    }

    static void heun(float halfH, float[] x, int xOff, float[] v1, int v1Off, float[] v2, int v2Off,
                     float[] out, int outOff, int from, int to) {
        for (int i = from; i < to; i++) {
            out[outOff + i] = x[xOff + i] + halfH * (v1[v1Off + i] + v2[v2Off + i]);
        }
    }

    static void heunAligned(float halfH, float[] x, float[] v1, float[] v2, float[] out, int o, int from,
                            int to) {
        for (int i = from; i < to; i++) {
            out[o + i] = x[o + i] + halfH * (v1[o + i] + v2[o + i]);
        }
    }

    static void rk4(float sixthH, float[] x, int xOff, float[] k1, int k1Off, float[] k2, int k2Off,
                    float[] k3, int k3Off, float[] k4, int k4Off, float[] out, int outOff, int from, int to) {
        for (int i = from; i < to; i++) {
            out[outOff + i] = x[xOff + i]
                    + sixthH * ((k1[k1Off + i] + k4[k4Off + i]) + 2f * (k2[k2Off + i] + k3[k3Off + i]));
        }
    }

    static void rk4Aligned(float sixthH, float[] x, float[] k1, float[] k2, float[] k3, float[] k4,
                           float[] out, int o, int from, int to) {
        for (int i = from; i < to; i++) {
            out[o + i] = x[o + i] + sixthH * ((k1[o + i] + k4[o + i]) + 2f * (k2[o + i] + k3[o + i]));
        }
    }

    /** {@code y = f(x)} over [from, to): the vectorised ReLU and SELU loops, the other activations' own. */
    static void activateAligned(Activation f, float[] x, float[] y, int o, int from, int to) {
        switch (f) {
            case RELU -> reluAligned(x, y, o, from, to);
            case SELU -> seluAligned(x, y, o, from, to);
            default -> CpuKernels.activate(f, x, o + from, y, o + from, to - from);
        }
    }

    static void reluAligned(float[] x, float[] y, int o, int from, int to) {
        for (int i = from; i < to; i++) {
            y[o + i] = Math.max(x[o + i], 0f);
        }
    }

    /**
     * SELU with the exponential as vector arithmetic: C2 does not vectorise {@code Math.exp}, so
     * e^x - 1 for x in [-17, 0] comes from its Taylor series at h = x/16 (degree 9, relative
     * error below 1e-7 for |h| &lt;= 17/16) and four doublings e(2h) = e(h) (e(h) + 2), which do
     * not amplify relative error (the factor is (2e + 2)/(e + 2) &lt;= 1 for e in (-1, 0]), so
     * the result keeps relative accuracy near 0 where e^x - 1 cancels. Below -17, e^x &lt; 5e-8
     * and the clamp changes nothing in float. No branch: max/min pick the two halves.
     */
    static void seluAligned(float[] x, float[] y, int o, int from, int to) {
        float scale = CpuKernels.SELU_SCALE;
        float scaleAlpha = CpuKernels.SELU_SCALE * CpuKernels.SELU_ALPHA;
        for (int i = o + from; i < o + to; i++) {
            float v = x[i];
            float h = Math.max(Math.min(v, 0f), -17f) * 0.0625f;
            float p = Math.fma(h, 1f / 362880, 1f / 40320);
            p = Math.fma(h, p, 1f / 5040);
            p = Math.fma(h, p, 1f / 720);
            p = Math.fma(h, p, 1f / 120);
            p = Math.fma(h, p, 1f / 24);
            p = Math.fma(h, p, 1f / 6);
            p = Math.fma(h, p, 1f / 2);
            p = Math.fma(h, p, 1f);
            float e = h * p;
            e = Math.fma(e, e, 2f * e);
            e = Math.fma(e, e, 2f * e);
            e = Math.fma(e, e, 2f * e);
            e = Math.fma(e, e, 2f * e);
            y[i] = Math.fma(scale, Math.max(v, 0f), scaleAlpha * e);
        }
    }

    static void adam(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float lr, float beta1, float beta2, float eps, float c1, float c2, int from, int to) {
        float ib1 = 1f - beta1;
        float ib2 = 1f - beta2;
        for (int i = from; i < to; i++) {
            float gi = g[gOff + i];
            float mi = beta1 * m[mOff + i] + ib1 * gi;
            float vi = beta2 * v[vOff + i] + ib2 * gi * gi;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            p[pOff + i] -= lr * (mi / c1) / ((float) Math.sqrt(vi / c2) + eps);
        }
    }

    /** p *= keep where the mask is non-zero: AdamW's decoupled decay, the floats of keep p + 0 p. */
    static void decay(float[] p, int pOff, float[] mask, int maskOff, float keep, int from, int to) {
        for (int i = from; i < to; i++) {
            if (mask[maskOff + i] != 0f) {
                p[pOff + i] = keep * p[pOff + i];
            }
        }
    }

    static void adamAligned(float[] p, float[] g, float[] m, float[] v, int o, float lr, float beta1,
                            float beta2, float eps, float c1, float c2, int from, int to) {
        float ib1 = 1f - beta1;
        float ib2 = 1f - beta2;
        for (int i = from; i < to; i++) {
            float gi = g[o + i];
            float mi = beta1 * m[o + i] + ib1 * gi;
            float vi = beta2 * v[o + i] + ib2 * gi * gi;
            m[o + i] = mi;
            v[o + i] = vi;
            p[o + i] -= lr * (mi / c1) / ((float) Math.sqrt(vi / c2) + eps);
        }
    }
}
