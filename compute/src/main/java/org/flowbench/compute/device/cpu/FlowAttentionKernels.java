package org.flowbench.compute.device.cpu;

import org.flowbench.compute.device.ComputeDevice;

/**
 * Causal flow attention of one head in float32, forward and backward, on the layout of {@link
 * ComputeDevice#flowAttentionForward}: the head's queries, keys and values are {@code [seq, e]}
 * at their own offsets, its saved rows {@code [seq, 7e + 6]}.
 *
 * <p>The scans over positions are those of the OpenCL device's per-head items, and the running
 * e x e states are summed element by element in the order of its per-column items (with the
 * Vector API or without, the same floats); the dot products of the backward pass use partial
 * sums instead ({@link VectorKernels#dot}, or {@link CpuKernels#dot} without the Vector API). The
 * arithmetic of one head runs in a fixed order, so results are the same bytes on every run.
 */
final class FlowAttentionKernels {

    static final float EPS = 1e-6f;

    // Offsets within a saved row, in units of e for the vectors.
    static final int V_Q = 0;
    static final int V_K = 1;
    static final int V_KSUM = 2;
    static final int V_QSUM = 3;
    static final int V_KOSUM = 4;
    static final int V_QISUM = 5;
    static final int V_Y = 6;
    static final int S_I = 0;
    static final int S_O = 1;
    static final int S_B = 2;
    static final int S_EXPSUM = 3;
    static final int S_COMP = 4;
    static final int S_ALLOC = 5;

    private FlowAttentionKernels() {
    }

    static int rowWidth(int e) {
        return ComputeDevice.FLOW_SAVED_VECTORS * e + ComputeDevice.FLOW_SAVED_SCALARS;
    }

    /**
     * The forward pass of one head: capacities, cumulative sums and per-position flows into
     * {@code saved}, then the aggregation into {@code out}.
     *
     * @param state working space of e * e floats
     * @param wv    working space of e floats
     * @param acc   working space of e floats
     */
    static void forward(float[] x, int qOff, int kOff, int vOff, float[] out, int oOff, float[] saved, int sOff,
                        int seq, int e, float[] state, float[] wv, float[] acc) {
        scan(x, qOff, kOff, saved, sOff, seq, e);
        aggregate(x, vOff, out, oOff, saved, sOff, seq, e, state, wv, acc);
    }

    /** Capacities, cumulative sums, incoming and outgoing flows, conservation, competition and allocation. */
    static void scan(float[] x, int qOff, int kOff, float[] saved, int sOff, int seq, int e) {
        int w = rowWidth(e);
        int sc = ComputeDevice.FLOW_SAVED_VECTORS * e;
        float expSum = 0f;
        for (int t = 0; t < seq; t++) {
            float n = t + 1;
            int r = sOff + t * w;
            int prev = r - w;
            float a = 0f;
            float c = 0f;
            for (int d = 0; d < e; d++) {
                float q = 1f / (1f + (float) Math.exp(-x[qOff + t * e + d]));
                float k = 1f / (1f + (float) Math.exp(-x[kOff + t * e + d]));
                float ks = (t > 0 ? saved[prev + V_KSUM * e + d] : 0f) + k;
                float qs = (t > 0 ? saved[prev + V_QSUM * e + d] : 0f) + q;
                saved[r + V_Q * e + d] = q;
                saved[r + V_K * e + d] = k;
                saved[r + V_KSUM * e + d] = ks;
                saved[r + V_QSUM * e + d] = qs;
                a += (q + EPS) * (ks + EPS);
                c += (k + EPS) * (qs + EPS);
            }
            float in = n / a;
            float outFlow = n / c;
            float sink = 0f;
            float source = 0f;
            for (int d = 0; d < e; d++) {
                float q = saved[r + V_Q * e + d];
                float k = saved[r + V_K * e + d];
                float ko = (t > 0 ? saved[prev + V_KOSUM * e + d] : 0f) + k * outFlow;
                float qi = (t > 0 ? saved[prev + V_QISUM * e + d] : 0f) + q * in;
                saved[r + V_KOSUM * e + d] = ko;
                saved[r + V_QISUM * e + d] = qi;
                sink += (q + EPS) * (ko + EPS);
                source += (k + EPS) * (qi + EPS);
            }
            float b = source / n;
            float expB = (float) Math.exp(Math.max(-1f, Math.min(1f, b)));
            expSum += expB;
            saved[r + sc + S_I] = in;
            saved[r + sc + S_O] = outFlow;
            saved[r + sc + S_B] = b;
            saved[r + sc + S_EXPSUM] = expSum;
            saved[r + sc + S_COMP] = n * expB / expSum;
            saved[r + sc + S_ALLOC] = 1f / (1f + (float) Math.exp(-sink / n));
        }
    }

    /**
     * The aggregation: the running state {@code S[d, m] = sum over s <= t of K_s[d] c_s V_s[m]},
     * {@code y_t = I_t / n_t Q_t^T S}, {@code out_t = allocation_t y_t}. Each element of S and
     * of y is summed in the order of the OpenCL device's column items; the loops over m are
     * the inner ones over separate arrays, so they vectorise.
     */
    static void aggregate(float[] x, int vOff, float[] out, int oOff, float[] saved, int sOff, int seq, int e,
                          float[] state, float[] wv, float[] acc) {
        int w = rowWidth(e);
        int sc = ComputeDevice.FLOW_SAVED_VECTORS * e;
        java.util.Arrays.fill(state, 0, e * e, 0f);
        for (int t = 0; t < seq; t++) {
            int r = sOff + t * w;
            float comp = saved[r + sc + S_COMP];
            for (int m = 0; m < e; m++) {
                wv[m] = comp * x[vOff + t * e + m];
                acc[m] = 0f;
            }
            for (int d = 0; d < e; d++) {
                float kd = saved[r + V_K * e + d];
                float qd = saved[r + V_Q * e + d];
                rankOneAccumulate(state, d * e, kd, wv, 0, qd, acc, e);
            }
            float scale = saved[r + sc + S_I] / (t + 1);
            float alloc = saved[r + sc + S_ALLOC];
            for (int m = 0; m < e; m++) {
                float y = scale * acc[m];
                saved[r + V_Y * e + m] = y;
                out[oOff + t * e + m] = alloc * y;
            }
        }
    }

    /**
     * The backward pass of one head into {@code dx} at {@code dqOff, dkOff, dvOff}, with
     * {@code dy_t = allocation_t dout_t}: forwards over positions the state S of the forward
     * pass gives {@code dQs_t = S dy_t} (into dq); backwards the state {@code G[d, m] = sum over
     * u >= t of Q_u[d] I_u / n_u dy_u[m]} gives {@code h_t = G V_t} (into dk) and
     * {@code dV_t = c_t G^T K_t}; then {@link #backwardScan}.
     *
     * @param state working space of e * e floats
     * @param dy    working space of e floats
     * @param dv    working space of e floats
     * @param acc   working space of 4e floats
     */
    static void backward(float[] x, int vOff, float[] saved, int sOff, float[] dout, int gOff, float[] dx, int dqOff,
                         int dkOff, int dvOff, int seq, int e, float[] state, float[] dy, float[] dv, float[] acc) {
        int w = rowWidth(e);
        int sc = ComputeDevice.FLOW_SAVED_VECTORS * e;
        java.util.Arrays.fill(state, 0, e * e, 0f);
        for (int t = 0; t < seq; t++) {
            int r = sOff + t * w;
            float comp = saved[r + sc + S_COMP];
            float alloc = saved[r + sc + S_ALLOC];
            for (int m = 0; m < e; m++) {
                dy[m] = alloc * dout[gOff + t * e + m];
            }
            for (int d = 0; d < e; d++) {
                float kc = saved[r + V_K * e + d] * comp;
                int sd = d * e;
                if (Simd.available()) {
                    VectorKernels.axpyInPlace(state, sd, kc, x, vOff + t * e, e);
                } else {
                    for (int m = 0; m < e; m++) {
                        state[sd + m] += kc * x[vOff + t * e + m];
                    }
                }
                dx[dqOff + t * e + d] = dot(state, sd, dy, 0, e);
            }
        }
        java.util.Arrays.fill(state, 0, e * e, 0f);
        for (int t = seq - 1; t >= 0; t--) {
            int r = sOff + t * w;
            float qs = saved[r + sc + S_I] / (t + 1);
            float alloc = saved[r + sc + S_ALLOC];
            for (int m = 0; m < e; m++) {
                dy[m] = alloc * dout[gOff + t * e + m];
                dv[m] = 0f;
            }
            for (int d = 0; d < e; d++) {
                float qd = saved[r + V_Q * e + d] * qs;
                float kd = saved[r + V_K * e + d];
                rankOneAccumulate(state, d * e, qd, dy, 0, kd, dv, e);
                dx[dkOff + t * e + d] = dot(state, d * e, x, vOff + t * e, e);
            }
            float comp = saved[r + sc + S_COMP];
            for (int m = 0; m < e; m++) {
                dx[dvOff + t * e + m] = comp * dv[m];
            }
        }
        backwardScan(saved, sOff, dout, gOff, dx, dqOff, dkOff, seq, e, acc);
    }

    /**
     * The gradients through the flows, backwards over positions: every cumulative sum over s <= t
     * of the forward pass is a running sum over t >= s here. Reads dQs and h where {@link
     * #backward} left them and overwrites them with the gradients of q and k (through the sigmoid).
     *
     * @param acc working space of 4e floats
     */
    static void backwardScan(float[] saved, int sOff, float[] dout, int gOff, float[] dx, int dqOff, int dkOff,
                             int seq, int e, float[] acc) {
        int w = rowWidth(e);
        int sc = ComputeDevice.FLOW_SAVED_VECTORS * e;
        int accR = 0;
        int accP = e;
        int accKSum = 2 * e;
        int accQSum = 3 * e;
        java.util.Arrays.fill(acc, 0, 4 * e, 0f);
        float accExpSum = 0f;
        for (int t = seq - 1; t >= 0; t--) {
            int r = sOff + t * w;
            float n = t + 1;
            float in = saved[r + sc + S_I];
            float outFlow = saved[r + sc + S_O];
            float b = saved[r + sc + S_B];
            float expSum = saved[r + sc + S_EXPSUM];
            float comp = saved[r + sc + S_COMP];
            float alloc = saved[r + sc + S_ALLOC];
            float expB = (float) Math.exp(Math.max(-1f, Math.min(1f, b)));
            float dAlloc = 0f;
            float dComp = 0f;
            for (int m = 0; m < e; m++) {
                dAlloc += dout[gOff + t * e + m] * saved[r + V_Y * e + m];
            }
            for (int d = 0; d < e; d++) {
                dComp += saved[r + V_K * e + d] * dx[dkOff + t * e + d];
            }
            float dA = dAlloc * alloc * (1f - alloc);
            // competition_t = n expB_t / expSum_t, expSum_t a cumulative sum of expB
            accExpSum += -dComp * n * expB / (expSum * expSum);
            float dExpB = dComp * n / expSum + accExpSum;
            float dB = b >= -1f && b <= 1f ? dExpB * expB : 0f;
            float dI = 0f;
            float dO = 0f;
            for (int d = 0; d < e; d++) {
                float q = saved[r + V_Q * e + d];
                float k = saved[r + V_K * e + d];
                float dk = comp * dx[dkOff + t * e + d];
                dk += dB * (saved[r + V_QISUM * e + d] + EPS) / n;
                acc[accR + d] += dB * (k + EPS) / n;
                float dQi = acc[accR + d] + dx[dqOff + t * e + d] / n;
                float dq = dA * (saved[r + V_KOSUM * e + d] + EPS) / n;
                acc[accP + d] += dA * (q + EPS) / n;
                float dKo = acc[accP + d];
                dq += dQi * in;
                dI += dQi * q;
                dk += dKo * outFlow;
                dO += dKo * k;
                dx[dqOff + t * e + d] = dq;
                dx[dkOff + t * e + d] = dk;
            }
            // I_t = n / in_t and O_t = n / out_t, so dI/d(in_t) = -I_t^2 / n
            float dIn = -dI * in * in / n;
            float dOut = -dO * outFlow * outFlow / n;
            for (int d = 0; d < e; d++) {
                float q = saved[r + V_Q * e + d];
                float k = saved[r + V_K * e + d];
                float dq = dx[dqOff + t * e + d] + dIn * (saved[r + V_KSUM * e + d] + EPS);
                acc[accKSum + d] += dIn * (q + EPS);
                float dk = dx[dkOff + t * e + d] + dOut * (saved[r + V_QSUM * e + d] + EPS);
                acc[accQSum + d] += dOut * (k + EPS);
                dk += acc[accKSum + d];
                dq += acc[accQSum + d];
                dx[dqOff + t * e + d] = dq * q * (1f - q);
                dx[dkOff + t * e + d] = dk * k * (1f - k);
            }
        }
    }

    /** {@code s = state[sOff + i] + a x[xOff + i]; state[sOff + i] = s; acc[i] += b s} for {@code i < n}. */
    private static void rankOneAccumulate(float[] state, int sOff, float a, float[] x, int xOff, float b,
                                          float[] acc, int n) {
        if (Simd.available()) {
            VectorKernels.rankOneAccumulate(state, sOff, a, x, xOff, b, acc, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            float s = state[sOff + i] + a * x[xOff + i];
            state[sOff + i] = s;
            acc[i] += b * s;
        }
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return Simd.available() ? VectorKernels.dot(a, aOff, b, bOff, n) : CpuKernels.dot(a, aOff, b, bOff, n);
    }
}
