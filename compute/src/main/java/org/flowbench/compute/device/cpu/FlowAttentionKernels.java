package org.flowbench.compute.device.cpu;

import org.flowbench.compute.device.ComputeDevice;

/**
 * Causal flow attention of one head in float32, forward and backward, on the layout of {@link
 * ComputeDevice#flowAttentionForward}: the head's queries, keys and values are {@code [seq, e]}
 * at their own offsets, its saved rows {@code [seq, 7e + 6]}.
 *
 * <p>The loops follow the OpenCL device's phases item by item (a scan over positions per head,
 * then one pass per column or row of the e x e running state), so both devices add the same
 * terms in the same order.
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
     * @param state working space of e floats
     */
    static void forward(float[] x, int qOff, int kOff, int vOff, float[] out, int oOff, float[] saved, int sOff,
                        int seq, int e, float[] state) {
        scan(x, qOff, kOff, saved, sOff, seq, e);
        for (int m = 0; m < e; m++) {
            aggregateColumn(x, vOff, out, oOff, saved, sOff, seq, e, m, state);
        }
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
     * Column m of the aggregation: {@code state[d] = sum over s <= t of K_s[d] c_s V_s[m]},
     * {@code y_t[m] = I_t / n_t Q_t . state}, {@code out_t[m] = allocation_t y_t[m]}.
     */
    static void aggregateColumn(float[] x, int vOff, float[] out, int oOff, float[] saved, int sOff, int seq, int e,
                                int m, float[] state) {
        int w = rowWidth(e);
        int sc = ComputeDevice.FLOW_SAVED_VECTORS * e;
        java.util.Arrays.fill(state, 0, e, 0f);
        for (int t = 0; t < seq; t++) {
            int r = sOff + t * w;
            float wv = saved[r + sc + S_COMP] * x[vOff + t * e + m];
            float s = 0f;
            for (int d = 0; d < e; d++) {
                state[d] += saved[r + V_K * e + d] * wv;
                s += saved[r + V_Q * e + d] * state[d];
            }
            float y = saved[r + sc + S_I] / (t + 1) * s;
            saved[r + V_Y * e + m] = y;
            out[oOff + t * e + m] = saved[r + sc + S_ALLOC] * y;
        }
    }

    /**
     * The backward pass of one head into {@code dx} at {@code dqOff, dkOff, dvOff}.
     *
     * @param state working space of 4e floats
     */
    static void backward(float[] x, int vOff, float[] saved, int sOff, float[] dout, int gOff, float[] dx, int dqOff,
                         int dkOff, int dvOff, int seq, int e, float[] state) {
        for (int d = 0; d < e; d++) {
            backwardRow(x, vOff, saved, sOff, dout, gOff, dx, dqOff, dkOff, seq, e, d, state);
        }
        for (int m = 0; m < e; m++) {
            backwardColumn(saved, sOff, dout, gOff, dx, dvOff, seq, e, m, state);
        }
        backwardScan(saved, sOff, dout, gOff, dx, dqOff, dkOff, seq, e, state);
    }

    /**
     * Row d of the two running states, with {@code dy_t = allocation_t dout_t}: forwards
     * {@code S[m] = sum over s <= t of K_s[d] c_s V_s[m]}, giving {@code dQs_t[d] = S . dy_t}
     * (into dq); backwards {@code G[m] = sum over u >= t of Q_u[d] I_u / n_u dy_u[m]}, giving
     * {@code h_t[d] = G . V_t} (into dk).
     */
    static void backwardRow(float[] x, int vOff, float[] saved, int sOff, float[] dout, int gOff, float[] dx,
                            int dqOff, int dkOff, int seq, int e, int d, float[] state) {
        int w = rowWidth(e);
        int sc = ComputeDevice.FLOW_SAVED_VECTORS * e;
        java.util.Arrays.fill(state, 0, e, 0f);
        for (int t = 0; t < seq; t++) {
            int r = sOff + t * w;
            float kc = saved[r + V_K * e + d] * saved[r + sc + S_COMP];
            float alloc = saved[r + sc + S_ALLOC];
            float s = 0f;
            for (int m = 0; m < e; m++) {
                state[m] += kc * x[vOff + t * e + m];
                s += state[m] * (alloc * dout[gOff + t * e + m]);
            }
            dx[dqOff + t * e + d] = s;
        }
        java.util.Arrays.fill(state, 0, e, 0f);
        for (int t = seq - 1; t >= 0; t--) {
            int r = sOff + t * w;
            float qs = saved[r + V_Q * e + d] * (saved[r + sc + S_I] / (t + 1));
            float alloc = saved[r + sc + S_ALLOC];
            float h = 0f;
            for (int m = 0; m < e; m++) {
                state[m] += qs * (alloc * dout[gOff + t * e + m]);
                h += state[m] * x[vOff + t * e + m];
            }
            dx[dkOff + t * e + d] = h;
        }
    }

    /** Column m of the backward state G: {@code dV_t[m] = c_t K_t . G[., m]}. */
    static void backwardColumn(float[] saved, int sOff, float[] dout, int gOff, float[] dx, int dvOff, int seq, int e,
                               int m, float[] state) {
        int w = rowWidth(e);
        int sc = ComputeDevice.FLOW_SAVED_VECTORS * e;
        java.util.Arrays.fill(state, 0, e, 0f);
        for (int t = seq - 1; t >= 0; t--) {
            int r = sOff + t * w;
            float dy = saved[r + sc + S_ALLOC] * dout[gOff + t * e + m];
            float qs = saved[r + sc + S_I] / (t + 1);
            float dw = 0f;
            for (int d = 0; d < e; d++) {
                state[d] += saved[r + V_Q * e + d] * qs * dy;
                dw += state[d] * saved[r + V_K * e + d];
            }
            dx[dvOff + t * e + m] = saved[r + sc + S_COMP] * dw;
        }
    }

    /**
     * The gradients through the flows, backwards over positions: every cumulative sum over s <= t
     * of the forward pass is a running sum over t >= s here. Reads dQs and h where {@link
     * #backwardRow} left them and overwrites them with the gradients of q and k (through the sigmoid).
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
}
