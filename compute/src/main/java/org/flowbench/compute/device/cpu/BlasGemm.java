package org.flowbench.compute.device.cpu;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.presets.openblas_nolapack;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * Matrix products through OpenBLAS's {@code cblas_sgemm}: the BLAS that ND4J ships, called
 * through its JavaCPP binding. ND4J's own gemm dispatches an op per call (an op context, shape
 * buffers, OpenMP workers that keep spinning after it returns), which at the sizes of a training
 * step (a 256 x 128 by 128 x 128 product, about 70 microseconds of arithmetic) costs several times
 * the product itself.
 *
 * <p>OpenBLAS computes on off-heap memory, so the operands are copied into scratch buffers that
 * are kept and grown between calls. A large product is split by rows of C over the device's
 * pool, each part one single-threaded OpenBLAS call: one set of worker threads serves both BLAS
 * and the device's Java loops instead of two sets competing for the same cores. The split
 * depends on the shape and the pool size only, and each element of C is one OpenBLAS dot product
 * either way, so the bytes do not depend on timing.
 */
final class BlasGemm implements AutoCloseable {

    /** Products with fewer multiply-adds than this run as one call (splitting costs more). */
    static final long SPLIT_MACS = 1L << 20;

    private final RowParallel parallel;
    private FloatPointer a;
    private FloatPointer b;
    private FloatPointer c;

    BlasGemm(RowParallel parallel) {
        this.parallel = parallel;
    }

    /**
     * Where finished rows of C go: {@code rows} rows from row {@code firstRow} on, in
     * {@code block[0 .. rows * n)}, a scratch array indexed from 0 that the receiver may change
     * (add a bias, apply an activation) before it copies the rows out. Blocks are small enough to
     * stay in the first-level cache, so such an epilogue costs no extra pass over memory.
     */
    @FunctionalInterface
    interface RowsSink {
        void accept(float[] block, int firstRow, int rows);
    }

    /** Rows per block handed to a {@link RowsSink}: about 32 KiB of floats. */
    static int blockRows(int n) {
        return Math.max(1, 8192 / Math.max(1, n));
    }

    /** A sink that copies the rows into {@code c[cOff ..]} as they are. */
    static RowsSink into(float[] c, int cOff, int n) {
        return (block, firstRow, rows) -> System.arraycopy(block, 0, c, cOff + firstRow * n, rows * n);
    }

    /**
     * {@code C[m x n] = op(A) op(B)}, where A is stored row-major as [m x k] (or [k x m] when
     * {@code transA}) and B as [k x n] (or [n x k] when {@code transB}); the rows of C go to
     * {@code sink}, from several threads at once for a large product (disjoint rows).
     */
    synchronized void gemm(float[] aData, int aOff, boolean transA, float[] bData, int bOff, boolean transB,
                           int m, int n, int k, RowsSink sink) {
        int aLen = Math.multiplyExact(m, k);
        int bLen = Math.multiplyExact(k, n);
        int cLen = Math.multiplyExact(m, n);
        a = ensure(a, aLen);
        b = ensure(b, bLen);
        c = ensure(c, cLen);
        b.position(0).put(bData, bOff, bLen);
        if (transA) {
            // Rows of op(A) are columns of A: every part reads all of A.
            a.position(0).put(aData, aOff, aLen);
        }
        singleThreaded();
        FloatPointer aBase = a.position(0);
        FloatPointer bBase = b.position(0);
        FloatPointer cBase = c.position(0);
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        int opA = transA ? CblasTrans : CblasNoTrans;
        int opB = transB ? CblasTrans : CblasNoTrans;
        long macs = (long) m * n * k;
        int parts = macs < SPLIT_MACS ? 1 : Math.min(parallel.parallelism(), m);
        int blockRows = blockRows(n);
        // Each part copies its own rows in and out, so the copies run in parallel too.
        parallel.forRange(m, (m + parts - 1) / parts, (r0, r1) -> {
            int rows = r1 - r0;
            FloatPointer aRows = new FloatPointer(aBase).position(transA ? r0 : (long) r0 * k);
            if (!transA) {
                aRows.put(aData, aOff + r0 * k, rows * k);
            }
            FloatPointer cRows = new FloatPointer(cBase).position((long) r0 * n);
            cblas_sgemm(CblasRowMajor, opA, opB, rows, n, k, 1f, aRows, lda, bBase, ldb, 0f, cRows, n);
            float[] block = new float[Math.min(blockRows, rows) * n];
            for (int r = r0; r < r1; r += blockRows) {
                int count = Math.min(blockRows, r1 - r);
                cRows.position((long) r * n).get(block, 0, count * n);
                sink.accept(block, r, count);
            }
        });
    }

    /**
     * A batch of products {@code C_i = alpha op(A_i) op(B_i)}, i in [0, batch), each matrix
     * stored back to back: A_i row-major [m x k] (or [k x m] when {@code transA}), B_i [k x n]
     * (or [n x k] when {@code transB}), C_i [m x n]. Parts of the batch run on the device's pool,
     * each copying its own matrices in and out; every C_i is one OpenBLAS call whatever the
     * split, so the bytes do not depend on the pool size.
     */
    synchronized void batched(float[] aData, int aOff, boolean transA, float[] bData, int bOff, boolean transB,
                              float[] cData, int cOff, int batch, int m, int k, int n, float alpha) {
        int aSize = Math.multiplyExact(m, k);
        int bSize = Math.multiplyExact(k, n);
        int cSize = Math.multiplyExact(m, n);
        a = ensure(a, Math.multiplyExact((long) batch, aSize));
        b = ensure(b, Math.multiplyExact((long) batch, bSize));
        c = ensure(c, Math.multiplyExact((long) batch, cSize));
        singleThreaded();
        FloatPointer aBase = a.position(0);
        FloatPointer bBase = b.position(0);
        FloatPointer cBase = c.position(0);
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        int opA = transA ? CblasTrans : CblasNoTrans;
        int opB = transB ? CblasTrans : CblasNoTrans;
        long macs = (long) batch * m * n * k;
        int parts = macs < SPLIT_MACS ? 1 : Math.min(parallel.parallelism(), batch);
        parallel.forRange(batch, (batch + parts - 1) / parts, (i0, i1) -> {
            int count = i1 - i0;
            FloatPointer aPart = new FloatPointer(aBase).position((long) i0 * aSize);
            FloatPointer bPart = new FloatPointer(bBase).position((long) i0 * bSize);
            FloatPointer cPart = new FloatPointer(cBase).position((long) i0 * cSize);
            aPart.put(aData, aOff + i0 * aSize, count * aSize);
            bPart.put(bData, bOff + i0 * bSize, count * bSize);
            for (int i = i0; i < i1; i++) {
                cblas_sgemm(CblasRowMajor, opA, opB, m, n, k, alpha, aPart.position((long) i * aSize), lda,
                        bPart.position((long) i * bSize), ldb, 0f, cPart.position((long) i * cSize), n);
            }
            cPart.position((long) i0 * cSize).get(cData, cOff + i0 * cSize, count * cSize);
        });
    }

    /** OpenBLAS threads off: the parallelism is the device pool's (see the class comment). */
    private static void singleThreaded() {
        if (openblas_nolapack.blas_get_num_threads() != 1) {
            openblas_nolapack.blas_set_num_threads(1);
        }
    }

    static void setThreads(int threads) {
        Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
        openblas_nolapack.blas_set_num_threads(threads);
    }

    private static FloatPointer ensure(FloatPointer buffer, long floats) {
        if (buffer != null && buffer.capacity() >= floats) {
            return buffer;
        }
        long grown = Math.max(Math.max(1, floats), buffer == null ? 0 : buffer.capacity() + buffer.capacity() / 2);
        if (buffer != null) {
            buffer.close();
        }
        // Grow by half again so a slowly growing batch does not reallocate on every call.
        return new FloatPointer(Math.min(Integer.MAX_VALUE, grown));
    }

    @Override
    public synchronized void close() {
        for (FloatPointer p : new FloatPointer[] {a, b, c}) {
            if (p != null) {
                p.close();
            }
        }
        a = null;
        b = null;
        c = null;
    }
}
