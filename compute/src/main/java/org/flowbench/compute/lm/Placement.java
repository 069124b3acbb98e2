package org.flowbench.compute.lm;

import java.util.Arrays;
import java.util.Locale;

/** Where the normalization sits around each sublayer F (attention or MLP) of a block. */
public enum Placement {
    /** x &lt;- x + F(x); no norm anywhere, not even before the head. */
    NONE("none"),
    /** x &lt;- N(x + F(x)) (the original Transformer); no final norm, the stream is normalised already. */
    POST("post"),
    /** x &lt;- x + F(N(x)) (GPT-2); a final norm before the head. */
    PRE("pre"),
    /** x &lt;- x + N_out(F(N_in(x))) (Kim et al. 2025); a final norm before the head. */
    PERI("peri"),
    /**
     * Pre-LN with LayerNorm Scaling (Sun et al. 2025): x &lt;- x + F(N(x) / sqrt(l)) in block
     * l = 1..L; a final norm before the head.
     */
    PRE_SCALED("pre-scaled");

    private final String label;

    Placement(String label) {
        this.label = label;
    }

    /** The command-line spelling: none, post, pre, peri, pre-scaled. */
    public String label() {
        return label;
    }

    /** Whether each sublayer normalises its input. */
    public boolean normalisesInput() {
        return this == PRE || this == PERI || this == PRE_SCALED;
    }

    /** Whether each sublayer has a second norm: after F (Peri-LN) or after the residual add (Post-LN). */
    public boolean hasOutputNorm() {
        return this == PERI || this == POST;
    }

    /** Whether a norm sits between the last block and the head. */
    public boolean hasFinalNorm() {
        return normalisesInput();
    }

    /** The factor on the input norm's output in block {@code layer} (1-based). */
    public float inputScale(int layer) {
        return this == PRE_SCALED ? (float) (1.0 / Math.sqrt(layer)) : 1f;
    }

    /** Parses a label case-insensitively, naming the choices when it is unknown. */
    public static Placement parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Placement p : values()) {
            if (p.label.equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown placement '" + text + "' (expected one of "
                + Arrays.stream(values()).map(Placement::label).toList() + ")");
    }
}
