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
     * {@code C[m x n] = op(A) op(B)}, where A is stored row-major as [m x k] (or [k x m] when
     * {@code transA}) and B as [k x n] (or [n x k] when {@code transB}).
     */
    void gemm(float[] aData, int aOff, boolean transA, float[] bData, int bOff, boolean transB,
              float[] cData, int cOff, int m, int n, int k) {
        gemm(aData, aOff, transA, bData, bOff, transB, null, 0, cData, cOff, m, n, k);
    }

    /** The same product plus a bias row {@code [n]} added to every row of C. */
    synchronized void gemm(float[] aData, int aOff, boolean transA, float[] bData, int bOff, boolean transB,
                           float[] biasData, int biasOff, float[] cData, int cOff, int m, int n, int k) {
        int aLen = Math.multiplyExact(m, k);
        int bLen = Math.multiplyExact(k, n);
        int cLen = Math.multiplyExact(m, n);
        a = ensure(a, aLen);
        b = ensure(b, bLen);
        c = ensure(c, cLen);
        a.position(0).put(aData, aOff, aLen);
        b.position(0).put(bData, bOff, bLen);
        float beta = 0f;
        if (biasData != null) {
            // C starts as the bias rows and OpenBLAS adds the product to it (beta = 1).
            for (int r = 0; r < m; r++) {
                c.position((long) r * n).put(biasData, biasOff, n);
            }
            beta = 1f;
        }
        singleThreaded();
        FloatPointer aBase = a.position(0);
        FloatPointer bBase = b.position(0);
        FloatPointer cBase = c.position(0);
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        int opA = transA ? CblasTrans : CblasNoTrans;
        int opB = transB ? CblasTrans : CblasNoTrans;
        float betaFinal = beta;
        long macs = (long) m * n * k;
        int parts = macs < SPLIT_MACS ? 1 : Math.min(parallel.parallelism(), m);
        parallel.forRange(m, (m + parts - 1) / parts, (r0, r1) -> {
            // Row r of op(A) starts at row r of A, or at column r when A is stored transposed.
            FloatPointer aRows = new FloatPointer(aBase).position(transA ? r0 : (long) r0 * k);
            FloatPointer cRows = new FloatPointer(cBase).position((long) r0 * n);
            cblas_sgemm(CblasRowMajor, opA, opB, r1 - r0, n, k, 1f, aRows, lda, bBase, ldb, betaFinal, cRows, n);
        });
        c.position(0).get(cData, cOff, cLen);
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
