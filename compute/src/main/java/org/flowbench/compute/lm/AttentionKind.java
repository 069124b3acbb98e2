package org.flowbench.compute.lm;

import java.util.Arrays;
import java.util.Locale;

/** How a block's attention sublayer mixes the tokens. */
public enum AttentionKind {
    /** Scaled dot-product attention with a causal softmax over the keys: quadratic in the context. */
    SOFTMAX("softmax"),
    /**
     * Flowformer's causal flow attention (Wu et al. 2022, {@link FlowAttention}): linear in the
     * context, no attention matrix.
     */
    FLOW("flow");

    private final String label;

    AttentionKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static AttentionKind parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (AttentionKind k : values()) {
            if (k.label.equals(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown attention '" + text + "' (expected one of "
                + Arrays.stream(values()).map(AttentionKind::label).toList() + ")");
    }
}
