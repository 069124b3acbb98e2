package org.flowbench.compute.nn;

import java.util.Locale;

/**
 * How a time t in [0, 1] enters the network. {@code sin K} gives 2K features
 * sin(pi 2^k t), cos(pi 2^k t) for k = 0..K-1: the slowest pair covers [0, 1] in half a period so
 * the network can tell every t apart, the fastest lets it bend quickly in t. {@code raw} feeds t
 * itself as one feature, the layout of torchcfm's {@code MLP(time_varying=True)}, so models
 * trained there load here.
 */
public record TimeEmbedding(int frequencies) {

    /** Largest number of frequencies (2^k overflows nothing useful beyond this). */
    public static final int MAX_FREQUENCIES = 16;

    public static final TimeEmbedding RAW = new TimeEmbedding(0);

    public TimeEmbedding {
        if (frequencies < 0 || frequencies > MAX_FREQUENCIES) {
            throw new IllegalArgumentException("time embedding frequencies must be in [0, " + MAX_FREQUENCIES + "], got " + frequencies);
        }
    }

    public static TimeEmbedding sinusoidal(int frequencies) {
        if (frequencies < 1) {
            throw new IllegalArgumentException("a sinusoidal time embedding needs at least one frequency, got " + frequencies);
        }
        return new TimeEmbedding(frequencies);
    }

    /** Number of input features the embedding adds. */
    public int dimension() {
        return frequencies == 0 ? 1 : 2 * frequencies;
    }

    /** Writes the features of t into {@code out[offset..offset + dimension())}. */
    public void embed(float t, float[] out, int offset) {
        if (frequencies == 0) {
            out[offset] = t;
            return;
        }
        double angle = Math.PI * t;
        for (int k = 0; k < frequencies; k++) {
            out[offset + 2 * k] = (float) Math.sin(angle);
            out[offset + 2 * k + 1] = (float) Math.cos(angle);
            angle *= 2;
        }
    }

    /** {@code raw} or {@code sinK}. */
    public String spec() {
        return frequencies == 0 ? "raw" : "sin" + frequencies;
    }

    public static TimeEmbedding parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("raw")) {
            return RAW;
        }
        if (s.startsWith("sin")) {
            try {
                return sinusoidal(Integer.parseInt(s.substring(3).replace(":", "")));
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("unknown time embedding '" + text + "' (expected raw or sinK, e.g. sin4)");
    }
}
