package org.flowbench.compute.lm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running statistics of a model's batch or power norms: what their evaluation mode divides
 * by, which the trainable weights do not hold. Each is a {@code [width]} tensor named after its
 * norm position as {@link LmLayout} names the norm's gain ({@code h.L.attn.norm_in},
 * {@code h.L.mlp.norm_out}, {@code ln_f}) with the statistic's name appended:
 * {@code h.1.attn.norm_in.running_mean} and {@code .running_var} for BatchNorm,
 * {@code .running_phi} (the running quadratic mean) for PowerNorm. LayerNorm and RMSNorm keep
 * none, and a run file written before the statistics were stored has none either ({@link #none()}).
 *
 * <p>Values are float32, as PyTorch keeps these buffers; a model rounds its running statistics
 * to float32 after every training step, so a saved model evaluates bit for bit as the live one.
 * Immutable.
 */
public final class LmNormStatistics {

    public static final String RUNNING_MEAN = "running_mean";
    public static final String RUNNING_VAR = "running_var";
    public static final String RUNNING_PHI = "running_phi";

    private static final LmNormStatistics NONE = new LmNormStatistics(Map.of());

    private final Map<String, float[]> tensors;

    private LmNormStatistics(Map<String, float[]> tensors) {
        this.tensors = tensors;
    }

    /** No statistics: a model without batch or power norms, or a file from before they were stored. */
    public static LmNormStatistics none() {
        return NONE;
    }

    /**
     * The statistics {@code values} (name to {@code [width]} floats, copied), which must be
     * exactly those {@link #names} lists for {@code config}, or none at all.
     *
     * @throws IllegalArgumentException naming a missing, unknown or wrongly sized tensor
     */
    public static LmNormStatistics of(LmConfig config, Map<String, float[]> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        List<String> expected = names(config);
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (String name : expected) {
            float[] v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no running statistic '" + name + "'");
            }
            if (v.length != config.width()) {
                throw new IllegalArgumentException("running statistic '" + name + "' has " + v.length
                        + " values, the model's width is " + config.width());
            }
            copy.put(name, v.clone());
        }
        for (String name : values.keySet()) {
            if (!copy.containsKey(name)) {
                throw new IllegalArgumentException("the model has no running statistic '" + name + "'");
            }
        }
        return new LmNormStatistics(Collections.unmodifiableMap(copy));
    }

    /** The names of the statistics a model of {@code config} keeps, in parameter-buffer order. */
    public static List<String> names(LmConfig config) {
        List<String> out = new ArrayList<>();
        List<String> kinds = config.norm().runningStatistics();
        if (kinds.isEmpty()) {
            return out;
        }
        for (String position : positions(new LmLayout(config))) {
            for (String k : kinds) {
                out.add(position + "." + k);
            }
        }
        return out;
    }

    /** The norm positions of a layout: each gain's name without {@code .weight}. */
    static List<String> positions(LmLayout layout) {
        List<String> out = new ArrayList<>();
        for (LmLayout.Entry e : layout.entries()) {
            if (e.role() == LmLayout.Role.GAIN) {
                out.add(e.name().substring(0, e.name().length() - ".weight".length()));
            }
        }
        return out;
    }

    /** Whether no statistic is held. */
    public boolean isEmpty() {
        return tensors.isEmpty();
    }

    /** Statistic names in order, with their values (not copied: callers must not change them). */
    public Map<String, float[]> tensors() {
        return tensors;
    }

    /** The statistics of {@code model}'s norms now. */
    public static LmNormStatistics of(TransformerLm model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.norms().forEach((position, norm) -> norm.runningStatistics()
                .forEach((k, v) -> out.put(position + "." + k, v)));
        return out.isEmpty() ? NONE : new LmNormStatistics(Collections.unmodifiableMap(out));
    }

    /**
     * Sets {@code model}'s running statistics to these; with none, the model keeps its own
     * (the initial ones of a fresh model: mean 0, variance and quadratic mean 1).
     *
     * @throws IllegalArgumentException when the statistics are not those of the model's
     *                                  configuration, or a value is not finite (or a variance negative)
     */
    public void applyTo(TransformerLm model) {
        if (isEmpty()) {
            return;
        }
        List<String> expected = names(model.config());
        if (!expected.equals(List.copyOf(tensors.keySet()))) {
            throw new IllegalArgumentException("running statistics " + tensors.keySet() + " do not match the model's "
                    + expected);
        }
        model.norms().forEach((position, norm) -> {
            Map<String, float[]> mine = new LinkedHashMap<>();
            for (String k : model.config().norm().runningStatistics()) {
                mine.put(k, tensors.get(position + "." + k));
            }
            try {
                norm.setRunningStatistics(mine);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(position + ": " + e.getMessage(), e);
            }
        });
    }
}
