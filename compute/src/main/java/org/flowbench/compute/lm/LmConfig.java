package org.flowbench.compute.lm;

import org.flowbench.compute.device.Activation;

/**
 * The shape and options of a {@link TransformerLm}.
 *
 * @param vocab     number of token ids (characters of the corpus or task alphabet, or a checkpoint's tokens)
 * @param context   longest sequence; position embeddings have this many rows
 * @param width     d, features of the residual stream
 * @param heads     attention heads; must divide width
 * @param layers    L, number of blocks
 * @param placement where the norms sit
 * @param norm      which norm layer
 * @param ffnOnly   blocks without attention (the model Xiong et al. analyse)
 * @param tiedHead  whether the head reuses the token embedding (logits = x wte^T)
 * @param init      how weights are drawn
 * @param initScale factor on every initial standard deviation
 * @param activation the MLP's activation (GELU; ReLU for Xiong et al.'s analysis)
 * @param attention how the attention sublayers mix tokens (softmax or flow)
 */
public record LmConfig(int vocab, int context, int width, int heads, int layers, Placement placement, NormKind norm,
                       boolean ffnOnly, boolean tiedHead, Init init, float initScale, Activation activation,
                       AttentionKind attention) {

    /** The MLP's hidden width is this many times the model width. */
    public static final int MLP_RATIO = 4;
    /** Largest width, heads or context accepted, so no size can exhaust memory by itself. */
    public static final int MAX_DIM = 8192;
    /** Largest vocabulary accepted: GPT-2's 50,257 tokens fit, with room for larger BPE vocabularies. */
    public static final int MAX_VOCAB = 1 << 17;
    /** Most blocks accepted. */
    public static final int MAX_LAYERS = 512;

    /** How initial weights are drawn. */
    public enum Init {
        /**
         * GPT-2: every matrix and both embeddings N(0, 0.02^2), residual output projections
         * N(0, (0.02 / sqrt(2 L))^2); biases 0, gains 1.
         */
        GPT2,
        /**
         * Xiong et al.'s analysis: matrices N(0, 1/fan_in) (Xavier for square layers), token and
         * position embeddings N(0, 1/2) each so the embedding sum has unit variance per feature.
         */
        FAN_IN;

        public static Init parse(String text) {
            String t = text.strip().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
            for (Init i : values()) {
                if (i.name().toLowerCase(java.util.Locale.ROOT).equals(t)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("unknown init '" + text + "' (expected gpt2 or fan_in)");
        }
    }

    /** Checks every field, throwing one line naming the bad one. */
    public LmConfig {
        inRange(vocab, 1, MAX_VOCAB, "vocab");
        inRange(context, 1, MAX_DIM, "context");
        inRange(width, 1, MAX_DIM, "width");
        inRange(heads, 1, MAX_DIM, "heads");
        inRange(layers, 1, MAX_LAYERS, "layers");
        if (width % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide width (" + width + ")");
        }
        if (placement == null || norm == null || init == null || activation == null || attention == null) {
            throw new IllegalArgumentException("placement, norm, init, activation and attention must be given");
        }
        if (!(initScale > 0) || !Float.isFinite(initScale)) {
            throw new IllegalArgumentException("init scale must be positive and finite, got " + initScale);
        }
        long params = parameterCount(vocab, context, width, layers, ffnOnly, tiedHead);
        if (params > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("a model of " + params + " parameters is too large for one device buffer");
        }
    }

    /** A model with softmax attention. */
    public LmConfig(int vocab, int context, int width, int heads, int layers, Placement placement, NormKind norm,
                    boolean ffnOnly, boolean tiedHead, Init init, float initScale, Activation activation) {
        this(vocab, context, width, heads, layers, placement, norm, ffnOnly, tiedHead, init, initScale, activation,
                AttentionKind.SOFTMAX);
    }

    private static void inRange(int v, int lo, int hi, String what) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(what + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    private static long parameterCount(long vocab, long context, long d, long layers, boolean ffnOnly, boolean tied) {
        long block = (long) d * MLP_RATIO * d * 2 + (long) d * MLP_RATIO + d;
        if (!ffnOnly) {
            block += 4L * d * d + 4L * d;
        }
        return (vocab + context) * d + layers * (block + 8L * d) + (tied ? 0 : vocab * d) + 2L * d;
    }

    /** A GPT-2-style model with LayerNorm, GELU, untied head. */
    public static LmConfig of(int vocab, int context, int width, int heads, int layers, Placement placement) {
        return new LmConfig(vocab, context, width, heads, layers, placement, NormKind.LAYER, false, false, Init.GPT2,
                1f, Activation.GELU);
    }

    public int headDim() {
        return width / heads;
    }

    public int hidden() {
        return MLP_RATIO * width;
    }

    /** Sublayers per block: 1 (MLP) when FFN-only, else 2 (attention, MLP). */
    public int sublayersPerBlock() {
        return ffnOnly ? 1 : 2;
    }

    public LmConfig withPlacement(Placement p) {
        return new LmConfig(vocab, context, width, heads, layers, p, norm, ffnOnly, tiedHead, init, initScale,
                activation, attention);
    }

    public LmConfig withLayers(int l) {
        return new LmConfig(vocab, context, width, heads, l, placement, norm, ffnOnly, tiedHead, init, initScale,
                activation, attention);
    }

    public LmConfig withAttention(AttentionKind a) {
        return new LmConfig(vocab, context, width, heads, layers, placement, norm, ffnOnly, tiedHead, init, initScale,
                activation, a);
    }

    /** A compact description stored in run files: every field, key=value. */
    public String describe() {
        return "vocab=" + vocab + " context=" + context + " width=" + width + " heads=" + heads + " layers=" + layers
                + " placement=" + placement.label() + " norm=" + norm.label() + " ffn_only=" + ffnOnly
                + " tied_head=" + tiedHead + " init=" + init.name().toLowerCase(java.util.Locale.ROOT)
                + " init_scale=" + initScale + " activation=" + activation.name().toLowerCase(java.util.Locale.ROOT)
                + " attention=" + attention.label();
    }

    /**
     * Parses {@link #describe()}'s output; an unknown or missing key is one line naming it. A
     * description without {@code attention} (written before flow attention existed) means softmax.
     */
    public static LmConfig parse(String text) {
        java.util.Map<String, String> kv = new java.util.HashMap<>();
        for (String part : text.strip().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("model description: '" + part + "' is not key=value");
            }
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        try {
            return new LmConfig(Integer.parseInt(need(kv, "vocab")), Integer.parseInt(need(kv, "context")),
                    Integer.parseInt(need(kv, "width")), Integer.parseInt(need(kv, "heads")),
                    Integer.parseInt(need(kv, "layers")), Placement.parse(need(kv, "placement")),
                    NormKind.parse(need(kv, "norm")), Boolean.parseBoolean(need(kv, "ffn_only")),
                    Boolean.parseBoolean(need(kv, "tied_head")), Init.parse(need(kv, "init")),
                    Float.parseFloat(need(kv, "init_scale")), Activation.parse(need(kv, "activation")),
                    AttentionKind.parse(kv.getOrDefault("attention", AttentionKind.SOFTMAX.label())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model description: a number does not parse: " + e.getMessage());
        }
    }

    private static String need(java.util.Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) {
            throw new IllegalArgumentException("model description: key '" + key + "' is missing");
        }
        return v;
    }
}
