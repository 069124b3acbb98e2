package org.flowbench.compute.lm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each named parameter tensor of a {@link TransformerLm} lives in its one flat parameter
 * buffer (the gradient buffer has the same layout). Matrices are stored {@code [in, out]} (a
 * layer computes {@code y = x w + b}); the token embedding is {@code [vocab, width]}.
 *
 * <p>Names: {@code wte}, {@code wpe}, {@code h.L.attn.norm_in.weight|bias},
 * {@code h.L.attn.qkv.weight|bias}, {@code h.L.attn.proj.weight|bias},
 * {@code h.L.attn.norm_out.weight|bias}, the same under {@code h.L.mlp} with {@code fc} and
 * {@code proj}, {@code ln_f.weight|bias}, {@code head.weight}; L counts blocks from 1.
 */
public final class LmLayout {

    /** What a tensor is, which decides its initialisation and whether weight decay applies. */
    public enum Role {
        EMBEDDING, MATRIX, RESIDUAL_MATRIX, BIAS, GAIN;

        /** AdamW decays matrices and embeddings, never biases and gains. */
        public boolean decays() {
            return this == EMBEDDING || this == MATRIX || this == RESIDUAL_MATRIX;
        }
    }

    /**
     * One tensor.
     *
     * @param layer 0 for the embeddings, 1..L for blocks, L + 1 for the final norm and head
     * @param group {@code embed}, {@code attn}, {@code mlp}, {@code norm} or {@code head}
     * @param fanIn rows of a matrix (its inputs); 1 for vectors
     */
    public record Entry(String name, int[] shape, int offset, int size, int layer, String group, Role role,
                        int fanIn) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byName = new LinkedHashMap<>();
    private int total;

    LmLayout(LmConfig c) {
        int d = c.width();
        add("wte", 0, "embed", Role.EMBEDDING, c.vocab(), d);
        add("wpe", 0, "embed", Role.EMBEDDING, c.context(), d);
        for (int l = 1; l <= c.layers(); l++) {
            if (!c.ffnOnly()) {
                sublayer(c, l, "attn", "qkv", 3 * d, "proj", d);
            }
            sublayer(c, l, "mlp", "fc", c.hidden(), "proj", c.hidden());
        }
        if (c.placement().hasFinalNorm()) {
            norm(c, "ln_f", c.layers() + 1);
        }
        if (!c.tiedHead()) {
            add("head.weight", c.layers() + 1, "head", Role.MATRIX, d, c.vocab());
        }
    }

    private void sublayer(LmConfig c, int l, String group, String first, int firstOut, String second, int secondIn) {
        int d = c.width();
        String p = "h." + l + "." + group + ".";
        if (c.placement().normalisesInput()) {
            norm(c, p + "norm_in", l);
        }
        add(p + first + ".weight", l, group, Role.MATRIX, d, firstOut);
        add(p + first + ".bias", l, group, Role.BIAS, firstOut);
        add(p + second + ".weight", l, group, Role.RESIDUAL_MATRIX, secondIn, d);
        add(p + second + ".bias", l, group, Role.BIAS, d);
        if (c.placement().hasOutputNorm()) {
            norm(c, p + "norm_out", l);
        }
    }

    private void norm(LmConfig c, String prefix, int layer) {
        add(prefix + ".weight", layer, "norm", Role.GAIN, c.width());
        if (c.norm().hasBias()) {
            add(prefix + ".bias", layer, "norm", Role.BIAS, c.width());
        }
    }

    private void add(String name, int layer, String group, Role role, int... shape) {
        int size = 1;
        for (int s : shape) {
            size = Math.multiplyExact(size, s);
        }
        Entry e = new Entry(name, shape.clone(), total, size, layer, group, role, shape.length == 2 ? shape[0] : 1);
        entries.add(e);
        byName.put(name, e);
        total = Math.addExact(total, size);
    }

    /** Every tensor in buffer order. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** The tensor named {@code name}, or null. */
    public Entry get(String name) {
        return byName.get(name);
    }

    /** The tensor named {@code name}; an unknown name is an error naming it. */
    public Entry require(String name) {
        Entry e = byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException("the model has no tensor '" + name + "'");
        }
        return e;
    }

    /** Floats in the parameter buffer. */
    public int total() {
        return total;
    }
}
