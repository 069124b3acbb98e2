package org.flowbench.compute.device;

/**
 * How every device splits the rows of a batch when it sums over rows (bias, gamma and beta
 * gradients): fixed blocks of {@link #BLOCK_ROWS} rows, each summed in row order, then the block
 * partial sums added in block order. The split depends on the shape only, never on the number of
 * threads, so results are the same from run to run and nearly the same across devices.
 */
public final class Blocking {

    /** Rows per block of a column reduction. */
    public static final int BLOCK_ROWS = 256;

    private Blocking() {
    }

    /** Number of row blocks for {@code rows} rows. */
    public static int blocks(int rows) {
        return (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    }
}
