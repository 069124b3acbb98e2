package org.flowbench.compute.device.cpu;

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

    static void reluAligned(float[] x, float[] y, int o, int from, int to) {
        for (int i = from; i < to; i++) {
            y[o + i] = Math.max(x[o + i], 0f);
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
