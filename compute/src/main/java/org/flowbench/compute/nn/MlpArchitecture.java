package org.flowbench.compute.nn;

import org.flowbench.compute.device.Activation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static org.flowbench.compute.io.MessageText.abbreviate;

/**
 * The shape of a velocity MLP: input [x (inputDim), time features] -> hidden layers with one
 * activation -> linear output (outputDim). Its {@link #spec()} is what checkpoints store under
 * {@code architecture}, e.g. {@code mlp:in=2,out=2,time=sin4,hidden=64x64x64,activation=selu}.
 */
public record MlpArchitecture(int inputDim, int outputDim, TimeEmbedding time, int[] hidden, Activation activation)
        implements DenseLayers {

    /** Bound on any layer width: keeps a typo from allocating gigabytes. */
    public static final int MAX_WIDTH = 8192;
    public static final int MAX_DEPTH = 64;
    /** Largest parameter count: one float array on the heap or the device (so every offset fits an int). */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8;

    public MlpArchitecture {
        if (inputDim < 1 || inputDim > MAX_WIDTH || outputDim < 1 || outputDim > MAX_WIDTH) {
            throw new IllegalArgumentException("input and output dimensions must be in [1, " + MAX_WIDTH + "]");
        }
        if (hidden.length > MAX_DEPTH) {
            throw new IllegalArgumentException("at most " + MAX_DEPTH + " hidden layers, got " + hidden.length);
        }
        hidden = hidden.clone();
        for (int w : hidden) {
            if (w < 1 || w > MAX_WIDTH) {
                throw new IllegalArgumentException("hidden widths must be in [1, " + MAX_WIDTH + "], got " + w);
            }
        }
        if (activation == Activation.IDENTITY) {
            throw new IllegalArgumentException("hidden activation must not be identity");
        }
        // Counted in long: 64 layers of width 8192 hold more parameters than an int counts.
        long count = 0;
        int fanIn = inputDim + time.dimension();
        for (int l = 0; l <= hidden.length; l++) {
            int fanOut = l == hidden.length ? outputDim : hidden[l];
            count += (long) (fanIn + 1) * fanOut;
            fanIn = fanOut;
        }
        if (count > MAX_PARAMETERS) {
            throw new IllegalArgumentException("an MLP of " + hidden.length + " hidden layers up to " + Arrays.stream(hidden).max().orElse(0)
                    + " wide has " + count + " parameters, more than the " + MAX_PARAMETERS + " one model may hold");
        }
    }

    /** The 2D velocity field of the labs with the given hidden widths and activation, sin4 time features. */
    public static MlpArchitecture plane(int[] hidden, Activation activation) {
        return new MlpArchitecture(2, 2, TimeEmbedding.sinusoidal(4), hidden, activation);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Number of dense layers (hidden plus output). */
    @Override
    public int layers() {
        return hidden.length + 1;
    }

    /** Input width of dense layer l. */
    @Override
    public int fanIn(int layer) {
        return layer == 0 ? inputDim + time.dimension() : hidden[layer - 1];
    }

    /** Output width of dense layer l. */
    @Override
    public int fanOut(int layer) {
        return layer == hidden.length ? outputDim : hidden[layer];
    }

    public String spec() {
        String widths = hidden.length == 0 ? "none" : Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining("x"));
        return "mlp:in=" + inputDim + ",out=" + outputDim + ",time=" + time.spec() + ",hidden=" + widths
                + ",activation=" + activation.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return spec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpArchitecture a && a.spec().equals(spec());
    }

    @Override
    public int hashCode() {
        return spec().hashCode();
    }

    /** Parses {@link #spec()}; every key must be present. */
    public static MlpArchitecture parse(String spec) {
        String s = spec.strip();
        if (!s.startsWith("mlp:")) {
            throw new IllegalArgumentException("architecture '" + abbreviate(s) + "' is not an MLP description (mlp:...)");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : s.substring(4).split(",")) {
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("architecture '" + abbreviate(s) + "' has a malformed entry '" + abbreviate(part) + "'");
            }
            fields.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        for (String key : new String[] {"in", "out", "time", "hidden", "activation"}) {
            if (!fields.containsKey(key)) {
                throw new IllegalArgumentException("architecture '" + abbreviate(s) + "' lacks '" + key + "'");
            }
        }
        return new MlpArchitecture(integer(fields.get("in"), s), integer(fields.get("out"), s),
                TimeEmbedding.parse(fields.get("time")), parseWidths(fields.get("hidden").replace('x', ',')),
                Activation.parse(fields.get("activation")));
    }

    /** Parses hidden widths written {@code 64,64,64} (or {@code none} for a single linear layer). */
    public static int[] parseWidths(String text) {
        String s = text.strip();
        if (s.equalsIgnoreCase("none") || s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(",");
        if (parts.length > MAX_DEPTH) {
            throw new IllegalArgumentException("at most " + MAX_DEPTH + " hidden layers, got " + parts.length);
        }
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            widths[i] = integer(parts[i], text);
            if (widths[i] < 1 || widths[i] > MAX_WIDTH) {
                throw new IllegalArgumentException("hidden widths must be in [1, " + MAX_WIDTH + "], got " + widths[i]);
            }
        }
        return widths;
    }

    private static int integer(String s, String whole) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + abbreviate(s.strip()) + "' in '" + abbreviate(whole) + "' is not a whole number");
        }
    }
}
