package org.flowbench.compute.norm.playground;

import org.flowbench.compute.norm.InputPreset;

import java.util.Locale;

/**
 * The inputs of the playground: {@code image} and {@code tokens} as {@link InputPreset} makes
 * them, and {@code micro}: the image preset's batches cut to their first 1 to 4 images, the
 * micro-batch setting of Batch-Channel Norm.
 */
public enum PlaygroundInput {
    IMAGE(InputPreset.IMAGE), TOKENS(InputPreset.TOKENS), MICRO(InputPreset.IMAGE);

    public static final int MAX_MICRO_BATCH = 4;

    private final InputPreset preset;

    PlaygroundInput(InputPreset preset) {
        this.preset = preset;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PlaygroundInput byId(String id) {
        for (PlaygroundInput p : values()) {
            if (p.id().equals(id == null ? null : id.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + id + "'; choose image, tokens or micro");
    }

    /** Samples per batch: the preset's, or {@code microBatch} for {@code micro}. */
    public int batch(int microBatch) {
        return this == MICRO ? microBatch : preset.batch();
    }

    public int channels() {
        return preset.channels();
    }

    public int spatial() {
        return preset.spatial();
    }

    /** Batches {@code [batch(microBatch) * channels * spatial]}, one after another, from {@code seed}. */
    public java.util.function.Supplier<float[]> source(int microBatch, long seed) {
        InputPreset.Source source = preset.source(seed);
        if (this != MICRO) {
            return source::next;
        }
        int keep = microBatch * preset.channels() * preset.spatial();
        return () -> java.util.Arrays.copyOf(source.next(), keep);
    }
}
