package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;

/**
 * Tokens and targets drawn uniformly and independently over the vocabulary: what the per-layer
 * statistics at initialisation are measured on, since they do not depend on text.
 */
public record RandomTokens(int vocab, int seq) implements LmData {

    public RandomTokens {
        if (vocab < 1 || seq < 1) {
            throw new IllegalArgumentException("random tokens need a vocabulary and a length of at least 1, got "
                    + vocab + " and " + seq);
        }
    }

    /** For each position in order, its token and then its target. */
    @Override
    public LmBatch next(int batch, SeededRandom rnd) {
        int[] tokens = new int[batch * seq];
        int[] targets = new int[batch * seq];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rnd.nextInt(vocab);
            targets[i] = rnd.nextInt(vocab);
        }
        return new LmBatch(tokens, targets, batch, seq);
    }

    @Override
    public String describe() {
        return "uniformly random tokens over " + vocab + " ids";
    }
}
