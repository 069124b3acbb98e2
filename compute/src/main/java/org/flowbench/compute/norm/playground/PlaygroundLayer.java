package org.flowbench.compute.norm.playground;

import java.util.Locale;

/** The layers of the playground, with what each normalises over. */
public enum PlaygroundLayer {
    BATCHNORM("BatchNorm", "per channel, over the batch and the positions", true, true),
    GROUPNORM("GroupNorm", "per sample, over a group of channels and the positions", false, false),
    LAYERNORM("LayerNorm", "per sample, over every channel and position", false, false),
    RMSNORM("RMSNorm", "per sample, over every channel and position, without centring", false, false),
    POWERNORM("PowerNorm", "per channel, a running quadratic mean over batches, without centring", true, false),
    UNIFIED("Unified Normalization", "per channel, a window of batch quadratic means, without centring", true, true),
    EVONORM_B0("EvoNorm-B0", "per channel over the batch, and per sample and channel over the positions", true, false),
    EVONORM_S0("EvoNorm-S0", "per sample, over a group of channels and the positions", false, false),
    BATCH_CHANNEL("Batch-Channel Norm", "per channel with estimated statistics, then per sample over a group", true,
            false),
    WEIGHT_STANDARDIZATION("Weight Standardization", "the dense weight, each output row over its inputs", false,
            false);

    private final String label;
    private final String axes;
    private final boolean batchDependent;
    private final boolean folds;

    PlaygroundLayer(String label, String axes, boolean batchDependent, boolean folds) {
        this.label = label;
        this.axes = axes;
        this.batchDependent = batchDependent;
        this.folds = folds;
    }

    public String label() {
        return label;
    }

    /** What the layer normalises over, in words. */
    public String axes() {
        return axes;
    }

    /** Whether the layer's statistics depend on the batch (and so it keeps running statistics). */
    public boolean batchDependent() {
        return batchDependent;
    }

    /** Whether its inference folds into the dense layer before it (the playground folds BatchNorm and Unified Normalization). */
    public boolean folds() {
        return folds;
    }

    /** {@code batchnorm}, {@code groupnorm}, ..., {@code evonorm-b0}, {@code batch-channel}, {@code weight-standardization}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The layer named {@code id}; short names {@code bn, gn, ln, rms, power, un, b0, s0, bcn, ws} work too. */
    public static PlaygroundLayer byId(String id) {
        String key = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (PlaygroundLayer l : values()) {
            if (l.id().equals(key)) {
                return l;
            }
        }
        switch (key) {
            case "bn", "batch": return BATCHNORM;
            case "gn", "group": return GROUPNORM;
            case "ln", "layer": return LAYERNORM;
            case "rms": return RMSNORM;
            case "power", "pn": return POWERNORM;
            case "un", "unifiednorm": return UNIFIED;
            case "b0": return EVONORM_B0;
            case "s0": return EVONORM_S0;
            case "bcn", "batchchannel": return BATCH_CHANNEL;
            case "ws": return WEIGHT_STANDARDIZATION;
            default:
                throw new IllegalArgumentException("unknown layer '" + id + "'; choose batchnorm, groupnorm, layernorm, "
                        + "rmsnorm, powernorm, unified, evonorm-b0, evonorm-s0, batch-channel or weight-standardization");
        }
    }
}
