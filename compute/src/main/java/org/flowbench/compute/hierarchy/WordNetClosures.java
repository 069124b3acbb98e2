package org.flowbench.compute.hierarchy;

import java.util.List;

/** Choices that make a WordNet closure match the files the reference code ships. */
public final class WordNetClosures {

    /**
     * The hyponyms whose rows facebookresearch/poincare-embeddings drops from the mammal
     * closure. Its wordnet/mammals_filter.txt lists more patterns, but it applies them with
     * pandas' {@code str.match} to "id1 id2", which anchors at the start of the row; the
     * patterns that begin with whitespace can never match there, so only these two take effect.
     * The result is the closure of 1,180 nodes and 6,540 edges.
     */
    public static final List<String> REFERENCE_MAMMAL_EXCLUSIONS = List.of("tusker.n.01", "female_mammal.n.01");

    public static final String MAMMAL_ROOT = "mammal.n.01";

    private WordNetClosures() {
    }

    /** The reference's exclusions for its mammal closure; nothing for other roots. */
    public static List<String> referenceExclusions(String root) {
        return MAMMAL_ROOT.equals(root) ? REFERENCE_MAMMAL_EXCLUSIONS : List.of();
    }
}
