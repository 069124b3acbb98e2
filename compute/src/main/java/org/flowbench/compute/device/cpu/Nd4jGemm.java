package org.flowbench.compute.device.cpu;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products through ND4J's OpenBLAS sgemm on Java float arrays. ND4J computes on
 * off-heap memory, so the operands are copied into three scratch buffers that are kept and grown
 * (allocating and page-faulting fresh off-heap memory on every call costs more than the copy);
 * the copies are bulk native copies, a few percent of a gemm of the sizes the labs use.
 */
final class Nd4jGemm implements AutoCloseable {

    private DataBuffer a;
    private DataBuffer b;
    private DataBuffer c;
    private DataBuffer bias;

    /**
     * {@code C[m x n] = op(A) op(B)}, where A is stored row-major as [m x k] (or [k x m] when
     * {@code transA}) and B as [k x n] (or [n x k] when {@code transB}).
     */
    synchronized void gemm(float[] aData, int aOff, boolean transA, float[] bData, int bOff, boolean transB,
                           float[] cData, int cOff, int m, int n, int k) {
        gemm(aData, aOff, transA, bData, bOff, transB, null, 0, cData, cOff, m, n, k);
    }

    /** The same product plus a bias row {@code [n]} added to every row of C. */
    synchronized void gemm(float[] aData, int aOff, boolean transA, float[] bData, int bOff, boolean transB,
                           float[] biasData, int biasOff, float[] cData, int cOff, int m, int n, int k) {
        long aLen = (long) m * k;
        long bLen = (long) k * n;
        long cLen = (long) m * n;
        a = ensure(a, aLen);
        b = ensure(b, bLen);
        c = ensure(c, cLen);
        ((FloatPointer) a.pointer()).position(0).put(aData, aOff, (int) aLen);
        ((FloatPointer) b.pointer()).position(0).put(bData, bOff, (int) bLen);
        INDArray va = transA ? view(a, k, m) : view(a, m, k);
        INDArray vb = transB ? view(b, n, k) : view(b, k, n);
        INDArray vc = view(c, m, n);
        Nd4j.gemm(va, vb, vc, transA, transB, 1.0, 0.0);
        if (biasData != null) {
            // The bias is added natively on the product, before it is copied back.
            bias = ensure(bias, n);
            ((FloatPointer) bias.pointer()).position(0).put(biasData, biasOff, n);
            vc.addiRowVector(view(bias, 1, n));
        }
        ((FloatPointer) c.pointer()).position(0).get(cData, cOff, (int) cLen);
    }

    private static INDArray view(DataBuffer buffer, int rows, int cols) {
        return Nd4j.create(buffer, new long[] {rows, cols}, new long[] {cols, 1}, 0, 'c');
    }

    private static DataBuffer ensure(DataBuffer buffer, long floats) {
        if (buffer != null && buffer.length() >= floats) {
            return buffer;
        }
        if (buffer != null) {
            buffer.close();
        }
        // Grow by half again so a slowly growing batch does not reallocate on every call.
        long capacity = Math.min(Integer.MAX_VALUE,
                Math.max(floats, buffer == null ? 0 : buffer.length() + buffer.length() / 2));
        return Nd4j.createBuffer(DataType.FLOAT, Math.max(1, capacity), false);
    }

    @Override
    public synchronized void close() {
        for (DataBuffer buffer : new DataBuffer[] {a, b, c, bias}) {
            if (buffer != null && buffer.closeable()) {
                buffer.close();
            }
        }
        a = null;
        b = null;
        c = null;
        bias = null;
    }
}
