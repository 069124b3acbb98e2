package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/**
 * Flow attention against a direct double-precision evaluation of the paper's causal formulas
 * (every sum over s <= t written out, the aggregation as an explicit n x n weighted sum instead
 * of the running outer-product state), its backward pass against central differences of that
 * reference, and its causality.
 */
class FlowAttentionTest {

    /** Sum over (head, t, m) of out * r, out from the quadratic-time reference; qkv in [3][bh][seq][e]. */
    static double referenceLoss(double[] qkv, double[] r, int bh, int seq, int e) {
        double[] out = reference(qkv, bh, seq, e);
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += out[i] * r[i];
        }
        return s;
    }

    static double[] reference(double[] qkv, int bh, int seq, int e) {
        int slab = bh * seq * e;
        double eps = FlowAttention.EPS;
        double[] out = new double[slab];
        for (int b = 0; b < bh; b++) {
            double[][] q = new double[seq][e];
            double[][] k = new double[seq][e];
            double[][] v = new double[seq][e];
            for (int t = 0; t < seq; t++) {
                for (int d = 0; d < e; d++) {
                    int i = (b * seq + t) * e + d;
                    q[t][d] = 1 / (1 + Math.exp(-qkv[i]));
                    k[t][d] = 1 / (1 + Math.exp(-qkv[slab + i]));
                    v[t][d] = qkv[2 * slab + i];
                }
            }
            double[] incoming = new double[seq];
            double[] outgoing = new double[seq];
            for (int t = 0; t < seq; t++) {
                double a = 0;
                double c = 0;
                for (int d = 0; d < e; d++) {
                    double ks = 0;
                    double qs = 0;
                    for (int s = 0; s <= t; s++) {
                        ks += k[s][d];
                        qs += q[s][d];
                    }
                    a += (q[t][d] + eps) * (ks + eps);
                    c += (k[t][d] + eps) * (qs + eps);
                }
                incoming[t] = (t + 1) / a;
                outgoing[t] = (t + 1) / c;
            }
            double[] expSource = new double[seq];
            double[] allocation = new double[seq];
            for (int t = 0; t < seq; t++) {
                double sink = 0;
                double source = 0;
                for (int d = 0; d < e; d++) {
                    double ko = 0;
                    double qi = 0;
                    for (int s = 0; s <= t; s++) {
                        ko += k[s][d] * outgoing[s];
                        qi += q[s][d] * incoming[s];
                    }
                    sink += (q[t][d] + eps) * (ko + eps);
                    source += (k[t][d] + eps) * (qi + eps);
                }
                allocation[t] = 1 / (1 + Math.exp(-sink / (t + 1)));
                expSource[t] = Math.exp(Math.max(-1, Math.min(1, source / (t + 1))));
            }
            for (int t = 0; t < seq; t++) {
                double expSum = 0;
                for (int s = 0; s <= t; s++) {
                    expSum += expSource[s];
                }
                for (int s = 0; s <= t; s++) {
                    // Competition of source s as seen when it entered: n_s exp(B_s) / sum_{u <= s} exp(B_u).
                    double below = 0;
                    for (int u = 0; u <= s; u++) {
                        below += expSource[u];
                    }
                    double competition = (s + 1) * expSource[s] / below;
                    double weight = 0;
                    for (int d = 0; d < e; d++) {
                        weight += q[t][d] * k[s][d];
                    }
                    weight *= incoming[t] / (t + 1);
                    for (int m = 0; m < e; m++) {
                        out[(b * seq + t) * e + m] += allocation[t] * weight * competition * v[s][m];
                    }
                }
            }
        }
        return out;
    }

    static float[] random(int n, double scale, long seed) {
        SeededRandom rnd = new SeededRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (scale * rnd.nextGaussian());
        }
        return x;
    }

    static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    @Test
    void theLinearTimeForwardMatchesTheDirectFormulas() {
        int bh = 3;
        int seq = 9;
        int e = 5;
        float[] qkv = random(3 * bh * seq * e, 1.5, 4);
        float[] out = new float[bh * seq * e];
        FlowAttention.forward(qkv, out, bh, seq, e);
        double[] ref = reference(widen(qkv), bh, seq, e);
        double scale = 0;
        for (int i = 0; i < out.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
            assertThat((double) out[i]).as("out[%d]", i).isCloseTo(ref[i], offset(1e-6 + 1e-6 * Math.abs(ref[i])));
        }
        assertThat(scale).as("outputs are not trivially zero").isGreaterThan(0.1);
    }

    @Test
    void backwardMatchesCentralDifferencesOfTheReference() {
        int bh = 2;
        int seq = 6;
        int e = 3;
        int n = 3 * bh * seq * e;
        for (double spread : new double[] {0.5, 3.0}) {
            float[] qkv = random(n, spread, 9);
            float[] dout = random(bh * seq * e, 1, 10);
            float[] dqkv = new float[n];
            FlowAttention.backward(qkv, dout, dqkv, bh, seq, e);
            double[] x = widen(qkv);
            double[] r = widen(dout);
            double h = 1e-6;
            double largest = 0;
            for (int i = 0; i < n; i++) {
                double keep = x[i];
                x[i] = keep + h;
                double plus = referenceLoss(x, r, bh, seq, e);
                x[i] = keep - h;
                double minus = referenceLoss(x, r, bh, seq, e);
                x[i] = keep;
                double numeric = (plus - minus) / (2 * h);
                largest = Math.max(largest, Math.abs(numeric));
                String part = i < n / 3 ? "q" : i < 2 * n / 3 ? "k" : "v";
                assertThat((double) dqkv[i]).as("spread %s: d/d%s[%d]", spread, part, i % (n / 3))
                        .isCloseTo(numeric, offset(1e-6 + 1e-5 * Math.abs(numeric)));
            }
            assertThat(largest).isGreaterThan(1e-2);
        }
    }

    @Test
    void anOutputNeverDependsOnLaterPositions() {
        int bh = 2;
        int seq = 12;
        int e = 4;
        int slab = bh * seq * e;
        float[] qkv = random(3 * slab, 1, 21);
        float[] before = new float[slab];
        FlowAttention.forward(qkv, before, bh, seq, e);
        for (int cut = 0; cut < seq - 1; cut++) {
            float[] changed = qkv.clone();
            SeededRandom rnd = new SeededRandom(cut);
            for (int part = 0; part < 3; part++) {
                for (int b = 0; b < bh; b++) {
                    for (int t = cut + 1; t < seq; t++) {
                        for (int d = 0; d < e; d++) {
                            changed[part * slab + (b * seq + t) * e + d] += (float) (2 * rnd.nextGaussian());
                        }
                    }
                }
            }
            float[] after = new float[slab];
            FlowAttention.forward(changed, after, bh, seq, e);
            boolean laterChanged = false;
            for (int b = 0; b < bh; b++) {
                for (int t = 0; t < seq; t++) {
                    for (int d = 0; d < e; d++) {
                        int i = (b * seq + t) * e + d;
                        if (t <= cut) {
                            assertThat(after[i]).as("position %d after changing positions > %d", t, cut)
                                    .isEqualTo(before[i]);
                        } else {
                            laterChanged |= after[i] != before[i];
                        }
                    }
                }
            }
            assertThat(laterChanged).as("changing positions > %d changes a later output", cut).isTrue();
        }
    }

    @Test
    void allocationIsASigmoidAndCompetitionAveragesToOne() {
        int bh = 1;
        int seq = 7;
        int e = 3;
        float[] qkv = random(3 * seq * e, 1, 2);
        float[] alloc = new float[seq];
        float[] comp = new float[seq];
        FlowAttention.forward(qkv, new float[seq * e], alloc, comp, bh, seq, e);
        // The first source competes with nobody: c_1 = 1.
        assertThat(comp[0]).isCloseTo(1f, offset(1e-6f));
        for (int t = 0; t < seq; t++) {
            assertThat(alloc[t]).isBetween(0f, 1f);
            assertThat(comp[t]).isBetween(0f, (float) (t + 1));
        }
    }

    @Test
    void mismatchedSizesAreOneLine() {
        assertThatThrownBy(() -> FlowAttention.forward(new float[10], new float[4], 1, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs qkv of 3 * 4");
        assertThatThrownBy(() -> FlowAttention.forward(new float[0], new float[0], 0, 2, 2))
                .hasMessageContaining("positive sizes");
    }
}
