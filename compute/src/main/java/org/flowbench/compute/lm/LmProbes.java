package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Measures {@link LmProbe}s from a model's last forward and backward pass. */
public final class LmProbes {

    private LmProbes() {
    }

    /** The parameter groups of a layout, {@code layer:group}, in buffer order. */
    public static List<String> groups(LmLayout layout) {
        List<String> out = new ArrayList<>();
        for (LmLayout.Entry e : layout.entries()) {
            String key = e.layer() + ":" + e.group();
            if (!out.contains(key)) {
                out.add(key);
            }
        }
        return out;
    }

    /** Per group, the squared norms of the given slices of a flat buffer's layout. */
    private static double[] groupNorms(LmLayout layout, List<String> groups, float[] values) {
        double[] sq = new double[groups.size()];
        for (LmLayout.Entry e : layout.entries()) {
            int g = groups.indexOf(e.layer() + ":" + e.group());
            for (int i = 0; i < e.size(); i++) {
                double v = values[e.offset() + i];
                sq[g] += v * v;
            }
        }
        for (int i = 0; i < sq.length; i++) {
            sq[i] = Math.sqrt(sq[i]);
        }
        return sq;
    }

    /**
     * The probes of the model's last forward and backward pass.
     *
     * @param before the parameters before the update and after it, for the update/weight ratio;
     *               null when no update followed
     */
    public static LmProbe measure(TransformerLm model, int step, double loss, float[] before, float[] after) {
        LmConfig c = model.config();
        int layers = c.layers();
        int d = c.width();
        double[] ms = new double[layers + 1];
        double[] var = new double[layers + 1];
        double[] max = new double[layers + 1];
        double[] over = new double[layers + 1];
        for (int l = 0; l <= layers; l++) {
            float[] x = model.residual(l);
            double sum = 0;
            double sq = 0;
            double mx = 0;
            long count = 0;
            for (float v : x) {
                sum += v;
                sq += (double) v * v;
                double a = Math.abs(v);
                mx = Math.max(mx, a);
                if (a > LmProbe.FP16_MAX) {
                    count++;
                }
            }
            double mean = sum / x.length;
            double dev = 0;
            for (float v : x) {
                dev += (v - mean) * (v - mean);
            }
            ms[l] = sq / x.length;
            var[l] = dev / x.length;
            max[l] = mx;
            over[l] = count;
        }
        int subs = c.sublayersPerBlock();
        double[][] subNorm = new double[layers][subs];
        double[][] entropy = new double[c.ffnOnly() ? 0 : layers][];
        int rows = model.rows();
        for (int l = 1; l <= layers; l++) {
            for (int s = 0; s < subs; s++) {
                float[] f = model.sublayerOutput(l, s);
                double total = 0;
                for (int r = 0; r < rows; r++) {
                    double n2 = 0;
                    for (int j = 0; j < d; j++) {
                        n2 += (double) f[r * d + j] * f[r * d + j];
                    }
                    total += Math.sqrt(n2);
                }
                subNorm[l - 1][s] = total / rows;
            }
            if (!c.ffnOnly() && c.attention() == AttentionKind.FLOW) {
                // Flow attention forms no attention distribution, so its entropy is absent.
                entropy[l - 1] = new double[c.heads()];
                Arrays.fill(entropy[l - 1], Double.NaN);
            } else if (!c.ffnOnly()) {
                entropy[l - 1] = entropy(model.attentionProbabilities(l), model.batch(), c.heads(), model.seq());
            }
        }
        float[] g = model.device().download(model.gradients());
        double[][] ffn = new double[layers][2];
        for (int l = 1; l <= layers; l++) {
            ffn[l - 1][0] = norm(g, model.layout().require("h." + l + ".mlp.fc.weight"));
            ffn[l - 1][1] = norm(g, model.layout().require("h." + l + ".mlp.proj.weight"));
        }
        List<String> groups = groups(model.layout());
        double[] gradNorm = groupNorms(model.layout(), groups, g);
        double[] ratio = new double[groups.size()];
        if (before == null || after == null) {
            Arrays.fill(ratio, Double.NaN);
        } else {
            float[] delta = new float[before.length];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = after[i] - before[i];
            }
            double[] dn = groupNorms(model.layout(), groups, delta);
            double[] wn = groupNorms(model.layout(), groups, before);
            for (int i = 0; i < ratio.length; i++) {
                ratio[i] = dn[i] / wn[i];
            }
        }
        return new LmProbe(step, loss, ms, var, max, over, subNorm, ffn, gradNorm, ratio, entropy, groups, 1);
    }

    private static double norm(float[] g, LmLayout.Entry e) {
        double s = 0;
        for (int i = 0; i < e.size(); i++) {
            s += (double) g[e.offset() + i] * g[e.offset() + i];
        }
        return Math.sqrt(s);
    }

    /** Mean entropy per head of causal attention rows {@code [batch*heads*seq*seq]}. */
    static double[] entropy(float[] probs, int batch, int heads, int seq) {
        double[] out = new double[heads];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < seq; i++) {
                    int o = ((b * heads + h) * seq + i) * seq;
                    double e = 0;
                    for (int j = 0; j <= i; j++) {
                        double p = probs[o + j];
                        if (p > 0) {
                            e -= p * Math.log(p);
                        }
                    }
                    out[h] += e / (batch * seq);
                }
            }
        }
        return out;
    }

    /**
     * Probes at initialisation for each seed in {@code seeds}: a fresh model from the seed, one
     * batch drawn from {@code data} with the same seed, forward and backward.
     */
    public static List<LmProbe> atInitialisation(ComputeDevice device, LmConfig config, LmData data, int batch,
                                                 long[] seeds) {
        List<LmProbe> out = new ArrayList<>();
        for (long seed : seeds) {
            try (TransformerLm model = new TransformerLm(device, config, seed)) {
                LmBatch b = data.next(batch, new SeededRandom(seed ^ 0x9E3779B97F4A7C15L));
                double loss = model.forward(b.tokens(), b.targets(), b.batch(), b.seq());
                model.backward();
                out.add(measure(model, 0, loss, null, null));
            }
        }
        return out;
    }

    /** The probes as named columns (a key per quantity), for tables and JSON. */
    public static Map<String, Object> asMap(LmProbe p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", p.step());
        m.put("loss", p.loss());
        m.put("mean_square", p.meanSquare());
        m.put("variance", p.variance());
        m.put("max_abs", p.maxAbs());
        m.put("fp16_over", p.fp16Over());
        m.put("sublayer_norm", p.sublayerNorm());
        m.put("ffn_grad_norm", p.ffnGradNorm());
        m.put("groups", p.groups());
        m.put("group_grad_norm", p.groupGradNorm());
        m.put("update_ratio", p.updateRatio());
        m.put("attn_entropy", p.attnEntropy());
        m.put("seeds", p.seeds());
        return m;
    }
}
