package org.flowbench.compute.lm;

/**
 * Causal flow attention (Wu et al. 2022, "Flowformer: Linearizing Transformers with Conservation
 * Flows"), forward and hand-written backward, on the host in double precision.
 *
 * <p>Per batch and head, with positions t = 1..n and n_t = t, queries and keys become
 * non-negative flow capacities through a sigmoid, {@code Q_t = s(q_t)}, {@code K_t = s(k_t)};
 * the values V are the sources' contents. Every sum over positions runs over s <= t (the causal
 * version of the paper uses cumulative sums), so position t never sees a later token:
 * <ol>
 *   <li>incoming flow of sink t and outgoing flow of source t, scaled by n_t so they stay of
 *       order 1: {@code I_t = n_t / ((Q_t+e).(sum K_s + e))}, {@code O_t = n_t / ((K_t+e).(sum Q_s + e))};</li>
 *   <li>conservation: the incoming flow of a sink when every source sends out one unit,
 *       {@code A_t = (Q_t+e).(sum K_s O_s + e) / n_t}, and the outgoing flow of a source when every
 *       sink receives one unit, {@code B_t = (K_t+e).(sum Q_s I_s + e) / n_t}, clipped to [-1, 1];</li>
 *   <li>competition among the sources: {@code c_t = n_t exp(B_t) / sum exp(B_s)} (a softmax
 *       over the sources so far, scaled by their count); allocation to the sinks:
 *       {@code a_t = sigmoid(A_t)};</li>
 *   <li>aggregation in linear time: {@code y_t = a_t (Q_t I_t / n_t)^T sum K_s (c_s V_s)^T}, with
 *       the sum of outer products carried along t, so the cost is O(n e^2) per head instead of
 *       O(n^2 e).</li>
 * </ol>
 * e = 1e-6 as in the official implementation. No attention matrix exists, so there is no
 * attention entropy; the allocation and competition of each position are what this mechanism
 * learns ({@link #forward(float[], float[], float[], float[], int, int, int)}).
 *
 * <p>The arithmetic runs per (batch, head) in a fixed order, so results are reproducible bytes.
 * The model runs the same formulas in float32 on its device ({@link
 * org.flowbench.compute.device.ComputeDevice#flowAttentionForward}); this host evaluation in
 * double precision is what the device ops are tested against.
 */
public final class FlowAttention {

    /** Added to capacities and their sums before products, as in the official implementation. */
    public static final double EPS = 1e-6;

    private FlowAttention() {
    }

    /**
     * Flow attention of {@code qkv // [3][bh][seq][e]} (queries, keys, values in head layout)
     * into {@code out // [bh][seq][e]}.
     */
    public static void forward(float[] qkv, float[] out, int bh, int seq, int e) {
        forward(qkv, out, null, null, bh, seq, e);
    }

    /**
     * As {@link #forward(float[], float[], int, int, int)}, also writing each position's
     * allocation {@code sigmoid(A_t)} and competition weight {@code c_t} (each {@code [bh][seq]};
     * either may be null).
     */
    public static void forward(float[] qkv, float[] out, float[] allocation, float[] competition, int bh, int seq,
                               int e) {
        int slab = checkSizes(qkv, out, bh, seq, e);
        Work w = new Work(seq, e);
        for (int b = 0; b < bh; b++) {
            w.run(qkv, b, slab);
            int o = b * seq * e;
            for (int t = 0; t < seq; t++) {
                for (int m = 0; m < e; m++) {
                    out[o + t * e + m] = (float) (w.alloc[t] * w.y[t * e + m]);
                }
                if (allocation != null) {
                    allocation[b * seq + t] = (float) w.alloc[t];
                }
                if (competition != null) {
                    competition[b * seq + t] = (float) w.comp[t];
                }
            }
        }
    }

    /**
     * Gradients {@code dqkv // [3][bh][seq][e]} of the queries, keys and values (before the
     * sigmoid) given {@code dout // [bh][seq][e]}; the forward quantities are recomputed from qkv.
     */
    public static void backward(float[] qkv, float[] dout, float[] dqkv, int bh, int seq, int e) {
        int slab = checkSizes(qkv, dout, bh, seq, e);
        if (dqkv.length != qkv.length) {
            throw new IllegalArgumentException("dqkv must hold " + qkv.length + " floats, got " + dqkv.length);
        }
        Work w = new Work(seq, e);
        for (int b = 0; b < bh; b++) {
            w.run(qkv, b, slab);
            w.backward(dout, b * seq * e);
            int o = b * seq * e;
            for (int i = 0; i < seq * e; i++) {
                dqkv[o + i] = (float) (w.dQ[i] * w.Q[i] * (1 - w.Q[i]));
                dqkv[slab + o + i] = (float) (w.dK[i] * w.K[i] * (1 - w.K[i]));
                dqkv[2 * slab + o + i] = (float) w.dV[i];
            }
        }
    }

    private static int checkSizes(float[] qkv, float[] out, int bh, int seq, int e) {
        if (bh < 1 || seq < 1 || e < 1) {
            throw new IllegalArgumentException("flow attention needs positive sizes, got " + bh + " x " + seq + " x " + e);
        }
        long slab = (long) bh * seq * e;
        if (3 * slab > Integer.MAX_VALUE || qkv.length != 3 * slab || out.length != slab) {
            throw new IllegalArgumentException("flow attention of " + bh + " x " + seq + " x " + e
                    + " needs qkv of 3 * " + slab + " and out of " + slab + " floats, got " + qkv.length + " and "
                    + out.length);
        }
        return (int) slab;
    }

    /** The forward quantities of one (batch, head) and the buffers of its backward pass. */
    private static final class Work {
        final int seq;
        final int e;
        final double[] Q;       // [seq*e] sigmoid(q)
        final double[] K;       // [seq*e] sigmoid(k)
        final double[] V;       // [seq*e]
        final double[] kSum;    // [seq*e] cumulative sum of K
        final double[] qSum;    // [seq*e] cumulative sum of Q
        final double[] koSum;   // [seq*e] cumulative sum of K_s O_s
        final double[] qiSum;   // [seq*e] cumulative sum of Q_s I_s
        final double[] in;      // [seq] (Q_t+e).(kSum_t+e)
        final double[] out;     // [seq] (K_t+e).(qSum_t+e)
        final double[] I;       // [seq] scaled incoming flow n_t / in_t
        final double[] O;       // [seq] scaled outgoing flow n_t / out_t
        final double[] B;       // [seq] conserved source flow before clipping
        final double[] expB;    // [seq] exp(clip(B))
        final double[] expSum;  // [seq] cumulative sum of expB
        final double[] comp;    // [seq] competition n_t expB_t / expSum_t
        final double[] alloc;   // [seq] allocation sigmoid(A_t)
        final double[] y;       // [seq*e] aggregated values before allocation
        final double[] state;   // [e*e] running sum of K_s (c_s V_s)^T
        final double[] dQ;
        final double[] dK;
        final double[] dV;
        final double[] dQs;     // [seq*e] gradient of Q_t I_t / n_t
        final double[] dy;      // [seq*e]
        final double[] dA;      // [seq]

        Work(int seq, int e) {
            this.seq = seq;
            this.e = e;
            int n = seq * e;
            Q = new double[n];
            K = new double[n];
            V = new double[n];
            kSum = new double[n];
            qSum = new double[n];
            koSum = new double[n];
            qiSum = new double[n];
            in = new double[seq];
            out = new double[seq];
            I = new double[seq];
            O = new double[seq];
            B = new double[seq];
            expB = new double[seq];
            expSum = new double[seq];
            comp = new double[seq];
            alloc = new double[seq];
            y = new double[n];
            state = new double[e * e];
            dQ = new double[n];
            dK = new double[n];
            dV = new double[n];
            dQs = new double[n];
            dy = new double[n];
            dA = new double[seq];
        }

        static double sigmoid(double x) {
            return 1 / (1 + Math.exp(-x));
        }

        /** The forward pass of head {@code b}. */
        void run(float[] qkv, int b, int slab) {
            int base = b * seq * e;
            for (int i = 0; i < seq * e; i++) {
                Q[i] = sigmoid(qkv[base + i]);
                K[i] = sigmoid(qkv[slab + base + i]);
                V[i] = qkv[2 * slab + base + i];
            }
            java.util.Arrays.fill(state, 0);
            for (int t = 0; t < seq; t++) {
                double n = t + 1;
                int r = t * e;
                double a = 0;
                double c = 0;
                for (int d = 0; d < e; d++) {
                    kSum[r + d] = (t > 0 ? kSum[r - e + d] : 0) + K[r + d];
                    qSum[r + d] = (t > 0 ? qSum[r - e + d] : 0) + Q[r + d];
                    a += (Q[r + d] + EPS) * (kSum[r + d] + EPS);
                    c += (K[r + d] + EPS) * (qSum[r + d] + EPS);
                }
                in[t] = a;
                out[t] = c;
                I[t] = n / a;
                O[t] = n / c;
                double sinkFlow = 0;
                double sourceFlow = 0;
                for (int d = 0; d < e; d++) {
                    koSum[r + d] = (t > 0 ? koSum[r - e + d] : 0) + K[r + d] * O[t];
                    qiSum[r + d] = (t > 0 ? qiSum[r - e + d] : 0) + Q[r + d] * I[t];
                    sinkFlow += (Q[r + d] + EPS) * (koSum[r + d] + EPS);
                    sourceFlow += (K[r + d] + EPS) * (qiSum[r + d] + EPS);
                }
                B[t] = sourceFlow / n;
                expB[t] = Math.exp(Math.max(-1, Math.min(1, B[t])));
                expSum[t] = (t > 0 ? expSum[t - 1] : 0) + expB[t];
                comp[t] = n * expB[t] / expSum[t];
                alloc[t] = sigmoid(sinkFlow / n);
                for (int d = 0; d < e; d++) {
                    double kd = K[r + d];
                    for (int m = 0; m < e; m++) {
                        state[d * e + m] += kd * comp[t] * V[r + m];
                    }
                }
                double qs = I[t] / n;
                for (int m = 0; m < e; m++) {
                    double s = 0;
                    for (int d = 0; d < e; d++) {
                        s += Q[r + d] * state[d * e + m];
                    }
                    y[r + m] = qs * s;
                }
            }
        }

        /** Gradients dQ, dK (of the capacities) and dV of head {@code run} last computed, given dout at {@code o}. */
        void backward(float[] dout, int o) {
            java.util.Arrays.fill(dQ, 0);
            java.util.Arrays.fill(dK, 0);
            for (int t = 0; t < seq; t++) {
                int r = t * e;
                double dAlloc = 0;
                for (int m = 0; m < e; m++) {
                    dAlloc += dout[o + r + m] * y[r + m];
                    dy[r + m] = alloc[t] * dout[o + r + m];
                }
                dA[t] = dAlloc * alloc[t] * (1 - alloc[t]);
            }
            // dQs_t = S_t dy_t with S_t the running sum of K_s W_s^T, W_s = c_s V_s.
            java.util.Arrays.fill(state, 0);
            for (int t = 0; t < seq; t++) {
                int r = t * e;
                for (int d = 0; d < e; d++) {
                    double kd = K[r + d];
                    double s = 0;
                    for (int m = 0; m < e; m++) {
                        state[d * e + m] += kd * comp[t] * V[r + m];
                        s += state[d * e + m] * dy[r + m];
                    }
                    dQs[r + d] = s;
                }
            }
            // Backwards in t: every cumulative sum over s <= t becomes a running sum over t >= s.
            double[] g = state;      // sum over t >= s of Qs_t dy_t^T
            java.util.Arrays.fill(g, 0);
            double[] accR = new double[e];
            double[] accP = new double[e];
            double[] accKSum = new double[e];
            double[] accQSum = new double[e];
            double accExpSum = 0;
            for (int t = seq - 1; t >= 0; t--) {
                int r = t * e;
                double n = t + 1;
                double qs = I[t] / n;
                double dComp = 0;
                for (int d = 0; d < e; d++) {
                    double q = Q[r + d] * qs;
                    for (int m = 0; m < e; m++) {
                        g[d * e + m] += q * dy[r + m];
                    }
                }
                for (int m = 0; m < e; m++) {
                    double dw = 0;
                    for (int d = 0; d < e; d++) {
                        dw += g[d * e + m] * K[r + d];
                    }
                    dV[r + m] = comp[t] * dw;
                    dComp += dw * V[r + m];
                }
                for (int d = 0; d < e; d++) {
                    double s = 0;
                    double w = comp[t];
                    for (int m = 0; m < e; m++) {
                        s += g[d * e + m] * w * V[r + m];
                    }
                    dK[r + d] += s;
                }
                // comp_t = n expB_t / expSum_t
                accExpSum += -dComp * n * expB[t] / (expSum[t] * expSum[t]);
                double dExpB = dComp * n / expSum[t] + accExpSum;
                double dB = B[t] >= -1 && B[t] <= 1 ? dExpB * expB[t] : 0;
                double dI = 0;
                double dO = 0;
                for (int d = 0; d < e; d++) {
                    // B_t = (K_t+e).(qiSum_t+e) / n; sinkFlow_t = (Q_t+e).(koSum_t+e), A_t = sinkFlow_t / n
                    dK[r + d] += dB * (qiSum[r + d] + EPS) / n;
                    accR[d] += dB * (K[r + d] + EPS) / n;
                    double dQi = accR[d] + dQs[r + d] / n;
                    dQ[r + d] += dA[t] * (koSum[r + d] + EPS) / n;
                    accP[d] += dA[t] * (Q[r + d] + EPS) / n;
                    double dKo = accP[d];
                    dQ[r + d] += dQi * I[t];
                    dI += dQi * Q[r + d];
                    dK[r + d] += dKo * O[t];
                    dO += dKo * K[r + d];
                }
                // I_t = n / in_t, O_t = n / out_t
                double dIn = -dI * I[t] / in[t];
                double dOut = -dO * O[t] / out[t];
                for (int d = 0; d < e; d++) {
                    dQ[r + d] += dIn * (kSum[r + d] + EPS);
                    accKSum[d] += dIn * (Q[r + d] + EPS);
                    dK[r + d] += dOut * (qSum[r + d] + EPS);
                    accQSum[d] += dOut * (K[r + d] + EPS);
                    dK[r + d] += accKSum[d];
                    dQ[r + d] += accQSum[d];
                }
            }
        }
    }
}
