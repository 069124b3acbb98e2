package org.flowbench.compute.lm;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The normalization layer each norm position of the model uses. A new kind needs a constant here
 * and a case in {@link NormLayer#create}.
 */
public enum NormKind {
    /** LayerNorm over the features of each token, with gain and bias. */
    LAYER("layer"),
    /** RMSNorm over the features of each token, with gain only. */
    RMS("rms"),
    /**
     * BatchNorm over the tokens of the batch (every position of every sequence), per feature,
     * with gain and bias; running statistics in evaluation mode. The batch statistics mix
     * positions, so in training a token's output depends on later tokens of the batch.
     */
    BATCH("batch"),
    /**
     * PowerNorm (Shen et al. 2020) over the tokens of the batch, per feature, with gain and bias,
     * as its official implementation configures it (group scaling of each token, running quadratic
     * mean, approximate backward pass in training; see org.flowbench.compute.norm.PowerNorm).
     */
    POWER("power");

    private final String label;

    NormKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether the layer has a bias (beta) besides its gain. */
    public boolean hasBias() {
        return this != RMS;
    }

    /** Whether the layer keeps statistics over the batch, so training and evaluation differ. */
    public boolean usesBatchStatistics() {
        return this == BATCH || this == POWER;
    }

    /**
     * The running statistics the layer's evaluation mode uses, by the name a saved model gives
     * each (PyTorch's buffer names: BatchNorm's {@code running_mean} and {@code running_var},
     * the official PowerNorm's {@code running_phi}); none for the per-token norms.
     */
    public List<String> runningStatistics() {
        return switch (this) {
            case LAYER, RMS -> List.of();
            case BATCH -> List.of(LmNormStatistics.RUNNING_MEAN, LmNormStatistics.RUNNING_VAR);
            case POWER -> List.of(LmNormStatistics.RUNNING_PHI);
        };
    }

    public static NormKind parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (NormKind k : values()) {
            if (k.label.equals(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown norm kind '" + text + "' (expected one of "
                + Arrays.stream(values()).map(NormKind::label).toList() + ")");
    }
}
