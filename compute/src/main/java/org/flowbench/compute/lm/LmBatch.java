package org.flowbench.compute.lm;

/**
 * A batch of {@code batch} sequences of {@code seq} token ids and, at each position, the id to
 * predict there or -1 where no loss is taken.
 */
public record LmBatch(int[] tokens, int[] targets, int batch, int seq) {

    public LmBatch {
        if (tokens.length != (long) batch * seq || targets.length != tokens.length) {
            throw new IllegalArgumentException("a batch of " + batch + " x " + seq + " needs that many tokens and targets");
        }
    }
}
