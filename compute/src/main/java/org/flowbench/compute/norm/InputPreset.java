package org.flowbench.compute.norm;

import org.flowbench.compute.data.SeededRandom;

import java.util.Locale;

/**
 * Synthetic activations whose batch statistics behave like those of the two settings PowerNorm's
 * Figure 1 compares, plus the micro-batch setting Batch-Channel Norm is for. Each preset makes
 * batches {@code [batch, channels, spatial]} from a seed, reproducibly.
 * <ul>
 *   <li>{@code image}: 32 images of 16 channels at 16 x 16; per channel a fixed mean and scale,
 *       per image and channel an offset (30% of the scale), otherwise independent values;</li>
 *   <li>{@code tokens}: 256 tokens (8 sequences of 32) of 64 channels; tokens drawn from a Zipf
 *       (exponent 1.1) vocabulary of 2000 with a topic per sequence; a token's activation is its
 *       fixed embedding plus a little noise, and 1% of the tokens carry values of 40 in four
 *       outlier channels (as the massive activations of trained transformers);</li>
 *   <li>{@code micro}: the image preset with 2 images per batch.</li>
 * </ul>
 */
public enum InputPreset {
    IMAGE(32, 16, 256),
    TOKENS(256, 64, 1),
    MICRO(2, 16, 256);

    static final int VOCABULARY = 2000;
    static final int TOPICS = 10;
    static final int SEQUENCE = 32;
    static final int[] OUTLIER_CHANNELS = {3, 17, 40, 58};
    static final double OUTLIER_VALUE = 40;

    private final int batch;
    private final int channels;
    private final int spatial;

    InputPreset(int batch, int channels, int spatial) {
        this.batch = batch;
        this.channels = channels;
        this.spatial = spatial;
    }

    public int batch() {
        return batch;
    }

    public int channels() {
        return channels;
    }

    public int spatial() {
        return spatial;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The preset named {@code id} ({@code image}, {@code tokens}, {@code micro}). */
    public static InputPreset byId(String id) {
        for (InputPreset p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown input preset '" + id + "'; choose image, tokens or micro");
    }

    /** A source of batches of this preset; the data set's fixed parts come from {@code seed}. */
    public Source source(long seed) {
        return new Source(this, seed);
    }

    /** Batches of one preset, one after another. */
    public static final class Source {
        private final InputPreset preset;
        private final SeededRandom random;
        private final double[] channelMean;
        private final double[] channelScale;
        private final float[][] embedding;
        private final boolean[] outlierToken;
        private final double[] zipfCumulative;
        private final int[][] topicPermutation;
        private int topic;

        private Source(InputPreset preset, long seed) {
            this.preset = preset;
            SeededRandom fixed = new SeededRandom(seed);
            this.random = fixed.split();
            int c = preset.channels;
            channelMean = new double[c];
            channelScale = new double[c];
            for (int i = 0; i < c; i++) {
                channelMean[i] = fixed.nextGaussian();
                channelScale[i] = Math.exp(0.5 * fixed.nextGaussian());
            }
            if (preset == TOKENS) {
                embedding = new float[VOCABULARY][c];
                outlierToken = new boolean[VOCABULARY];
                for (int t = 0; t < VOCABULARY; t++) {
                    for (int i = 0; i < c; i++) {
                        embedding[t][i] = (float) fixed.nextGaussian();
                    }
                    outlierToken[t] = fixed.nextDouble() < 0.01;
                }
                zipfCumulative = new double[VOCABULARY];
                double total = 0;
                for (int r = 0; r < VOCABULARY; r++) {
                    total += Math.pow(r + 1, -1.1);
                    zipfCumulative[r] = total;
                }
                for (int r = 0; r < VOCABULARY; r++) {
                    zipfCumulative[r] /= total;
                }
                topicPermutation = new int[TOPICS][];
                for (int k = 0; k < TOPICS; k++) {
                    topicPermutation[k] = fixed.permutation(VOCABULARY);
                }
            } else {
                embedding = null;
                outlierToken = null;
                zipfCumulative = null;
                topicPermutation = null;
            }
        }

        public InputPreset preset() {
            return preset;
        }

        /** The next batch, {@code [batch*channels*spatial]}. */
        public float[] next() {
            return preset == TOKENS ? tokens() : images();
        }

        private float[] images() {
            int c = preset.channels;
            int s = preset.spatial;
            float[] x = new float[preset.batch * c * s];
            for (int n = 0; n < preset.batch; n++) {
                for (int ch = 0; ch < c; ch++) {
                    double offset = 0.3 * random.nextGaussian();
                    int base = (n * c + ch) * s;
                    for (int i = 0; i < s; i++) {
                        x[base + i] = (float) (channelMean[ch] + channelScale[ch] * (offset + random.nextGaussian()));
                    }
                }
            }
            return x;
        }

        private int zipfRank() {
            double u = random.nextDouble();
            int lo = 0;
            int hi = VOCABULARY - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (zipfCumulative[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private float[] tokens() {
            int c = preset.channels;
            float[] x = new float[preset.batch * c];
            for (int n = 0; n < preset.batch; n++) {
                if (n % SEQUENCE == 0) {
                    topic = random.nextInt(TOPICS);
                }
                int rank = zipfRank();
                // The 50 most frequent tokens (function words) are shared; the rest depend on the topic.
                int token = rank < 50 ? rank : topicPermutation[topic][rank];
                for (int ch = 0; ch < c; ch++) {
                    x[n * c + ch] = (float) (channelMean[ch] + channelScale[ch] * (embedding[token][ch]
                            + 0.1 * random.nextGaussian()));
                }
                if (outlierToken[token]) {
                    for (int ch : OUTLIER_CHANNELS) {
                        x[n * c + ch] = (float) OUTLIER_VALUE;
                    }
                }
            }
            return x;
        }
    }
}
