package org.flowbench.compute.lm;

import java.util.Arrays;
import java.util.Locale;

/**
 * The normalization layer each norm position of the model uses. A new kind (batch or power
 * statistics) needs a constant here and a case in {@link NormLayer#create}.
 */
public enum NormKind {
    /** LayerNorm over the features of each token, with gain and bias. */
    LAYER("layer"),
    /** RMSNorm over the features of each token, with gain only. */
    RMS("rms");

    private final String label;

    NormKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether the layer has a bias (beta) besides its gain. */
    public boolean hasBias() {
        return this == LAYER;
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
