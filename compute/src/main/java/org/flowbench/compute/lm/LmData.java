package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;

/** Where training batches come from: a synthetic task or a character corpus. */
public interface LmData {

    /** Number of token ids. */
    int vocab();

    /** Length of every sequence in a batch. */
    int seq();

    /** {@code batch} sequences drawn with {@code rnd}. */
    LmBatch next(int batch, SeededRandom rnd);

    /** A one-line description for run files and tables. */
    String describe();
}
