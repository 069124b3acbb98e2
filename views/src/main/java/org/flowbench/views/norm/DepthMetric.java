package org.flowbench.views.norm;

import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmProbe;

import java.util.Locale;

/**
 * What the Depth page plots against the layer: the residual stream's size (per layer 0..L, 0 the
 * embeddings) or a per-block quantity (blocks 1..L), read from an {@link LmProbe}.
 */
public enum DepthMetric {
    VARIANCE("variance", "Var(x_l)", "variance of the residual stream", true),
    MEAN_SQUARE("mean-square", "E||x_l||\u00b2/d", "mean square of the residual stream", true),
    MAX_ABS("max-abs", "max |x_l|", "largest |x| in the residual stream", true),
    FP16_OVERFLOW("fp16-overflow", "|x| > 65504", "values beyond the fp16 limit", true),
    SUBLAYER_NORM("sublayer-norm", "||F(x)||", "mean norm of what the block's sublayers add", false),
    GRADIENT_NORM("gradient-norm", "||\u2207W_l||", "gradient norm of the block's parameters", false),
    UPDATE_RATIO("update-ratio", "||\u0394W||/||W|| (MLP)", "update/weight ratio of the block's MLP", false);

    private final String key;
    private final String axisLabel;
    private final String description;
    private final boolean stream;

    DepthMetric(String key, String axisLabel, String description, boolean stream) {
        this.key = key;
        this.axisLabel = axisLabel;
        this.description = description;
        this.stream = stream;
    }

    /** The name used by {@code --set metric=} and lesson set-ups. */
    public String key() {
        return key;
    }

    public String axisLabel() {
        return axisLabel;
    }

    public String description() {
        return description;
    }

    /** True for the residual stream's layers 0..L, false for blocks 1..L. */
    public boolean perStreamLayer() {
        return stream;
    }

    /** The first layer index plotted: 0 for the stream, 1 for blocks. */
    public int firstLayer() {
        return stream ? 0 : 1;
    }

    /** Values per plotted layer, first layer first ({@code [L+1]} or {@code [L]}). */
    public double[] values(LmProbe p, LmConfig config) {
        int layers = config.layers();
        return switch (this) {
            case VARIANCE -> p.variance().clone();
            case MEAN_SQUARE -> p.meanSquare().clone();
            case MAX_ABS -> p.maxAbs().clone();
            case FP16_OVERFLOW -> p.fp16Over().clone();
            case SUBLAYER_NORM -> {
                double[] out = new double[layers];
                for (int l = 0; l < layers; l++) {
                    double s = 0;
                    for (double v : p.sublayerNorm()[l]) {
                        s += v;
                    }
                    out[l] = s / p.sublayerNorm()[l].length;
                }
                yield out;
            }
            case GRADIENT_NORM -> perBlock(p, layers, false);
            case UPDATE_RATIO -> perBlock(p, layers, true);
        };
    }

    /** Per block: the root sum of squares of its groups' gradient norms, or its MLP's update ratio. */
    private static double[] perBlock(LmProbe p, int layers, boolean ratio) {
        double[] out = new double[layers];
        if (ratio) {
            java.util.Arrays.fill(out, Double.NaN);
        }
        for (int g = 0; g < p.groups().size(); g++) {
            String name = p.groups().get(g);
            int colon = name.indexOf(':');
            int layer = Integer.parseInt(name.substring(0, colon));
            if (layer < 1 || layer > layers) {
                continue;
            }
            if (ratio) {
                if (name.substring(colon + 1).equals("mlp")) {
                    out[layer - 1] = p.updateRatio()[g];
                }
            } else {
                out[layer - 1] += p.groupGradNorm()[g] * p.groupGradNorm()[g];
            }
        }
        if (!ratio) {
            for (int l = 0; l < layers; l++) {
                out[l] = Math.sqrt(out[l]);
            }
        }
        return out;
    }

    /** Parses a key ({@link #key()}), naming the choices when it is unknown. */
    public static DepthMetric parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (DepthMetric m : values()) {
            if (m.key.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + text + "' (expected one of "
                + java.util.Arrays.stream(values()).map(DepthMetric::key).toList() + ")");
    }
}
