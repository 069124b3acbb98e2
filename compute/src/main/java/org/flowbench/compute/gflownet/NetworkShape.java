package org.flowbench.compute.gflownet;

import org.flowbench.compute.device.Activation;
import org.flowbench.compute.io.MessageText;
import org.flowbench.compute.nn.MlpArchitecture;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The shape of a GFlowNet's network: the state encoding -> hidden layers with one activation ->
 * a linear output of {@code actions} forward logits (the masked softmax head) followed by one
 * log state flow (the flow head). Its {@link #spec()} is what checkpoints store under
 * {@code architecture}, e.g. {@code gfn-mlp:in=16,actions=3,hidden=256x256,activation=relu}.
 */
public record NetworkShape(int inputs, int actions, int[] hidden, Activation activation)
        implements org.flowbench.compute.nn.DenseLayers {

    public NetworkShape {
        if (inputs < 1 || inputs > HyperGrid.MAX_ENCODING) {
            throw new IllegalArgumentException("network input width must be in [1, " + HyperGrid.MAX_ENCODING + "], got " + inputs);
        }
        if (actions < 1 || actions > MlpArchitecture.MAX_WIDTH - 1) {
            throw new IllegalArgumentException("network actions must be in [1, " + (MlpArchitecture.MAX_WIDTH - 1) + "], got " + actions);
        }
        if (hidden.length > MlpArchitecture.MAX_DEPTH) {
            throw new IllegalArgumentException("at most " + MlpArchitecture.MAX_DEPTH + " hidden layers, got " + hidden.length);
        }
        hidden = hidden.clone();
        for (int w : hidden) {
            if (w < 1 || w > MlpArchitecture.MAX_WIDTH) {
                throw new IllegalArgumentException("hidden widths must be in [1, " + MlpArchitecture.MAX_WIDTH + "], got " + w);
            }
        }
        if (activation == Activation.IDENTITY) {
            throw new IllegalArgumentException("hidden activation must not be identity");
        }
        long count = 0;
        for (int l = 0; l <= hidden.length; l++) {
            long in = l == 0 ? inputs : hidden[l - 1];
            long out = l == hidden.length ? actions + 1L : hidden[l];
            count += (in + 1) * out;
        }
        if (count > MAX_PARAMETERS) {
            throw new IllegalArgumentException("network has " + count + " parameters, more than the " + MAX_PARAMETERS + " allowed");
        }
    }

    /** Largest parameter count (256 MiB of floats): keeps an absurd shape from allocating the heap away. */
    public static final long MAX_PARAMETERS = 1L << 26;

    /** The shape for an environment: its encoding in, its forward actions plus the flow out. */
    public static NetworkShape forEnvironment(GfnEnvironment env, int[] hidden, Activation activation) {
        return new NetworkShape(env.encodingWidth(), env.actionCount(), hidden, activation);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Output width: the logits and the log flow. */
    public int outputs() {
        return actions + 1;
    }

    @Override
    public int layers() {
        return hidden.length + 1;
    }

    @Override
    public int fanIn(int layer) {
        return layer == 0 ? inputs : hidden[layer - 1];
    }

    @Override
    public int fanOut(int layer) {
        return layer == hidden.length ? outputs() : hidden[layer];
    }

    public String spec() {
        String widths = hidden.length == 0 ? "none" : Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining("x"));
        return "gfn-mlp:in=" + inputs + ",actions=" + actions + ",hidden=" + widths + ",activation="
                + activation.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return spec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkShape s && s.spec().equals(spec());
    }

    @Override
    public int hashCode() {
        return spec().hashCode();
    }

    /** Parses {@link #spec()}; every key must be present. */
    public static NetworkShape parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        if (!s.startsWith("gfn-mlp:")) {
            throw new IllegalArgumentException("architecture '" + MessageText.abbreviate(s) + "' is not a GFlowNet network (gfn-mlp:...)");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : s.substring(8).split(",")) {
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("architecture '" + MessageText.abbreviate(s) + "' has a malformed entry");
            }
            fields.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        for (String key : new String[] {"in", "actions", "hidden", "activation"}) {
            if (!fields.containsKey(key)) {
                throw new IllegalArgumentException("architecture '" + MessageText.abbreviate(s) + "' lacks '" + key + "'");
            }
        }
        try {
            return new NetworkShape(Integer.parseInt(fields.get("in")), Integer.parseInt(fields.get("actions")),
                    MlpArchitecture.parseWidths(fields.get("hidden").replace('x', ',')), Activation.parse(fields.get("activation")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("architecture '" + MessageText.abbreviate(s) + "' has a malformed number");
        }
    }
}
