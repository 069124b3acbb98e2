package org.flowbench.compute.device.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The cpu device's loops that need SIMD the JIT will not produce from plain Java: row sums (the
 * JIT keeps a float sum's order, so it stays scalar, and the halving sums of {@link CpuKernels}
 * run mostly in the scalar remainders of short loops). Written with the Vector API, incubating
 * in Java 17; the device calls these only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (see {@link Simd}) and the plain loops of
 * {@link CpuKernels} otherwise. Results agree with those to float rounding; only the order of
 * the additions in a sum differs.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorKernels() {
    }

    /**
     * The sum of {@code a[off..off+n)} in four vector accumulators (independent chains, so the
     * adds overlap), lanes added at the end, the tail in order.
     */
    static float sum(float[] a, int off, int n) {
        int step = S.length();
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int i = 0;
        for (; i + 4 * step <= n; i += 4 * step) {
            s0 = s0.add(FloatVector.fromArray(S, a, off + i));
            s1 = s1.add(FloatVector.fromArray(S, a, off + i + step));
            s2 = s2.add(FloatVector.fromArray(S, a, off + i + 2 * step));
            s3 = s3.add(FloatVector.fromArray(S, a, off + i + 3 * step));
        }
        for (; i + step <= n; i += step) {
            s0 = s0.add(FloatVector.fromArray(S, a, off + i));
        }
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[off + i];
        }
        return s;
    }

    /**
     * LayerNorm of the row {@code x[xOff..xOff+n)} into {@code y[yOff..]}; writes {mean, rstd} to
     * {@code stats}. {@code g} and {@code b} are indexed from 0 (either may be null). Two passes
     * for the moments: the mean of the row shifted by its first value (so a large common offset
     * does not round the mean away), then the mean square deviation from that mean.
     */
    static void layerNorm(float[] x, int xOff, float[] g, float[] b, float[] y, int yOff, int n, float eps,
                          float[] stats) {
        int step = S.length();
        int bound = S.loopBound(n);
        float c = x[xOff];
        FloatVector shift = FloatVector.broadcast(S, c);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * step <= bound; i += 2 * step) {
            s0 = s0.add(FloatVector.fromArray(S, x, xOff + i).sub(shift));
            s1 = s1.add(FloatVector.fromArray(S, x, xOff + i + step).sub(shift));
        }
        for (; i < bound; i += step) {
            s0 = s0.add(FloatVector.fromArray(S, x, xOff + i).sub(shift));
        }
        float shifted = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            shifted += x[xOff + i] - c;
        }
        float mu = c + shifted / n;
        FloatVector mean = FloatVector.broadcast(S, mu);
        FloatVector q0 = FloatVector.zero(S);
        FloatVector q1 = FloatVector.zero(S);
        i = 0;
        for (; i + 2 * step <= bound; i += 2 * step) {
            FloatVector d0 = FloatVector.fromArray(S, x, xOff + i).sub(mean);
            FloatVector d1 = FloatVector.fromArray(S, x, xOff + i + step).sub(mean);
            q0 = d0.fma(d0, q0);
            q1 = d1.fma(d1, q1);
        }
        for (; i < bound; i += step) {
            FloatVector d0 = FloatVector.fromArray(S, x, xOff + i).sub(mean);
            q0 = d0.fma(d0, q0);
        }
        float squares = q0.add(q1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float d = x[xOff + i] - mu;
            squares += d * d;
        }
        float rs = (float) (1.0 / Math.sqrt(squares / n + eps));
        stats[0] = mu;
        stats[1] = rs;
        FloatVector scale = FloatVector.broadcast(S, rs);
        for (i = 0; i < bound; i += step) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i).sub(mean).mul(scale);
            if (g != null) {
                v = v.mul(FloatVector.fromArray(S, g, i));
            }
            if (b != null) {
                v = v.add(FloatVector.fromArray(S, b, i));
            }
            v.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float v = (x[xOff + i] - mu) * rs;
            if (g != null) {
                v *= g[i];
            }
            if (b != null) {
                v += b[i];
            }
            y[yOff + i] = v;
        }
    }

    /**
     * LayerNorm gradients of one row in scratch rows indexed from 0, as
     * {@link CpuKernels#layerNormBackwardInPlace}: adds {@code dy xhat} and {@code dy} into the
     * block partials {@code pg}, {@code pb} (either may be null), then, when {@code wantDx},
     * overwrites {@code dy} with {@code dx = rstd (g dy - mean(g dy) - xhat mean(g dy xhat))}.
     */
    static void layerNormBackwardInPlace(float[] x, float[] g, float mu, float rs, float[] dy, float[] pg,
                                         float[] pb, boolean wantDx, int n) {
        int step = S.length();
        int bound = S.loopBound(n);
        FloatVector mean = FloatVector.broadcast(S, mu);
        FloatVector scale = FloatVector.broadcast(S, rs);
        FloatVector sumG = FloatVector.zero(S);
        FloatVector sumGx = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += step) {
            FloatVector xhat = FloatVector.fromArray(S, x, i).sub(mean).mul(scale);
            FloatVector d = FloatVector.fromArray(S, dy, i);
            if (pg != null) {
                d.fma(xhat, FloatVector.fromArray(S, pg, i)).intoArray(pg, i);
            }
            if (pb != null) {
                d.add(FloatVector.fromArray(S, pb, i)).intoArray(pb, i);
            }
            FloatVector e = g == null ? d : d.mul(FloatVector.fromArray(S, g, i));
            sumG = sumG.add(e);
            sumGx = e.fma(xhat, sumGx);
        }
        float a = sumG.reduceLanes(VectorOperators.ADD);
        float c = sumGx.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float xhat = (x[i] - mu) * rs;
            if (pg != null) {
                pg[i] += dy[i] * xhat;
            }
            if (pb != null) {
                pb[i] += dy[i];
            }
            float e = dy[i] * (g == null ? 1f : g[i]);
            a += e;
            c += e * xhat;
        }
        if (!wantDx) {
            return;
        }
        FloatVector meanG = FloatVector.broadcast(S, a / n);
        FloatVector meanGx = FloatVector.broadcast(S, c / n);
        for (i = 0; i < bound; i += step) {
            FloatVector xhat = FloatVector.fromArray(S, x, i).sub(mean).mul(scale);
            FloatVector e = FloatVector.fromArray(S, dy, i);
            if (g != null) {
                e = e.mul(FloatVector.fromArray(S, g, i));
            }
            e.sub(meanG).sub(xhat.mul(meanGx)).mul(scale).intoArray(dy, i);
        }
        for (; i < n; i++) {
            float xhat = (x[i] - mu) * rs;
            float e = dy[i] * (g == null ? 1f : g[i]);
            dy[i] = rs * (e - a / n - xhat * (c / n));
        }
    }

    /**
     * GELU, tanh form, of {@code x[xOff..xOff+n)} into {@code y[yOff..]} in vector arithmetic
     * (the scalar loop's double exponential costs about 10 ns a value); the tail in the scalar
     * form. With t = tanh(u), u = c (v + k v^3) and e = exp(-2 |u|), the factors GELU needs are
     * formed without cancellation: 1 + t = 2 / (1 + e) for u >= 0 and 2 e / (1 + e) below, and
     * 1 - t^2 = 4 e / (1 + e)^2, so they keep their relative accuracy where t is near -1 or 1.
     *
     * <p>Only additions, multiplications, divisions, fused multiply-adds and bit operations are
     * used: the Vector API's own lane-wise TANH is a vector math routine once the JIT compiles it
     * and a per-lane Math.tanh before, whose last bits differ, so results would depend on when
     * the JIT got there; this code gives the same bits either way.
     */
    static void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
        int step = S.length();
        int i = 0;
        for (; i + step <= n; i += step) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector u = geluInner(v);
            FloatVector e = expNonPositive(u.abs().min(TANH_SATURATION).mul(-2f));
            FloatVector onePlusT = ONE.blend(e, u.lt(0f)).mul(2f).div(e.add(1f));
            v.mul(0.5f).mul(onePlusT).intoArray(y, yOff + i);
        }
        if (i < n) {
            CpuKernels.geluScalar(x, xOff + i, y, yOff + i, n - i);
        }
    }

    /** {@code dx = dy GELU'(x)} over n values, as {@link #gelu}; dx may be dy. */
    static void geluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int step = S.length();
        float c = CpuKernels.GELU_C;
        float k3 = 3f * CpuKernels.GELU_K;
        int i = 0;
        for (; i + step <= n; i += step) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector u = geluInner(v);
            FloatVector e = expNonPositive(u.abs().min(TANH_SATURATION).mul(-2f));
            FloatVector inverse = ONE.div(e.add(1f));
            FloatVector onePlusT = ONE.blend(e, u.lt(0f)).mul(2f).mul(inverse);
            FloatVector oneMinusT2 = e.mul(4f).mul(inverse).mul(inverse);
            // d = 0.5 (1 + t) + 0.5 v (1 - t^2) c (1 + 3 k v^2)
            FloatVector slope = v.mul(v).mul(k3).add(1f).mul(c).mul(oneMinusT2).mul(v).mul(0.5f);
            FloatVector d = onePlusT.mul(0.5f).add(slope);
            FloatVector.fromArray(S, dy, dyOff + i).mul(d).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            CpuKernels.geluBackwardScalar(x, xOff + i, dy, dyOff + i, dx, dxOff + i, n - i);
        }
    }

    /** c (v + k v^3), GELU's argument of tanh. */
    private static FloatVector geluInner(FloatVector v) {
        return v.mul(v).mul(CpuKernels.GELU_K).add(1f).mul(v).mul(CpuKernels.GELU_C);
    }

    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    /** |u| is clamped here: exp(-2|u|) is still a normal float (about 2e-38), and so is 1 + t below it. */
    private static final float TANH_SATURATION = 43f;
    private static final float LOG2_E = (float) (1 / Math.log(2));
    /** ln 2 in two parts: 355/512 has few significant bits, so k ln2_hi is exact for the k used here. */
    private static final float LN2_HI = 355f / 512f;
    private static final float LN2_LO = (float) (Math.log(2) - 355.0 / 512.0);
    private static final float ROUNDING_SHIFT = 12582912f;
    private static final int ROUNDING_SHIFT_BITS = Float.floatToRawIntBits(ROUNDING_SHIFT);

    /**
     * e^x for x in [-86, 0]: x = -k ln 2 + r with k = round(-x log2 e) (a non-negative integer
     * below 125, so 2^-k is a normal float) and |r| <= ln2 / 2 (plus rounding), e^r from its
     * Taylor polynomial of degree 7 (relative error below 1e-8 there), times 2^-k built in the
     * exponent bits.
     */
    private static FloatVector expNonPositive(FloatVector x) {
        // Adding 1.5 * 2^23 rounds -x log2 e to an integer held in the low mantissa bits.
        FloatVector shifted = x.mul(-LOG2_E).add(ROUNDING_SHIFT);
        IntVector k = (IntVector) shifted.reinterpretAsInts().sub(ROUNDING_SHIFT_BITS);
        FloatVector kf = shifted.sub(ROUNDING_SHIFT);
        FloatVector r = kf.fma(FloatVector.broadcast(S, LN2_HI), x);
        r = kf.fma(FloatVector.broadcast(S, LN2_LO), r);
        FloatVector p = r.fma(1f / 5040, 1f / 720);
        p = p.fma(r, FloatVector.broadcast(S, 1f / 120));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(S, 0.5f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        FloatVector scale = k.neg().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    /**
     * {@code s = state[sOff + i] + a x[xOff + i]; state[sOff + i] = s; acc[i] += b s} for
     * {@code i < n}: a rank-one update of one row of a running state and its contribution to a
     * row-vector product. Multiplies and adds stay separate (no fused multiply-add), so the floats
     * are those of the plain loop of {@link FlowAttentionKernels}.
     */
    static void rankOneAccumulate(float[] state, int sOff, float a, float[] x, int xOff, float b, float[] acc,
                                  int n) {
        int step = S.length();
        int i = 0;
        for (; i + step <= n; i += step) {
            FloatVector s = FloatVector.fromArray(S, state, sOff + i)
                    .add(FloatVector.fromArray(S, x, xOff + i).mul(a));
            s.intoArray(state, sOff + i);
            FloatVector.fromArray(S, acc, i).add(s.mul(b)).intoArray(acc, i);
        }
        for (; i < n; i++) {
            float s = state[sOff + i] + a * x[xOff + i];
            state[sOff + i] = s;
            acc[i] += b * s;
        }
    }

    /** {@code state[sOff + i] += a x[xOff + i]} for {@code i < n}, multiply and add separate. */
    static void axpyInPlace(float[] state, int sOff, float a, float[] x, int xOff, int n) {
        int step = S.length();
        int i = 0;
        for (; i + step <= n; i += step) {
            FloatVector.fromArray(S, state, sOff + i).add(FloatVector.fromArray(S, x, xOff + i).mul(a))
                    .intoArray(state, sOff + i);
        }
        for (; i < n; i++) {
            state[sOff + i] += a * x[xOff + i];
        }
    }

    /** The dot product of {@code a[aOff..aOff+n)} and {@code b[bOff..)} in two vector accumulators, the tail in order. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int step = S.length();
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * step <= n; i += 2 * step) {
            s0 = s0.add(FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)));
            s1 = s1.add(FloatVector.fromArray(S, a, aOff + i + step).mul(FloatVector.fromArray(S, b, bOff + i + step)));
        }
        for (; i + step <= n; i += step) {
            s0 = s0.add(FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)));
        }
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }
}
