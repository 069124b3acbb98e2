package org.flowbench.compute.device.cpu;

import org.flowbench.compute.device.AbstractComputeDevice;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.Blocking;
import org.flowbench.compute.device.DeviceFailureException;
import org.flowbench.compute.device.DeviceInfo;
import org.flowbench.compute.device.DeviceKind;
import org.flowbench.compute.device.RowReduction;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The {@code cpu} device: buffers are Java float arrays, matrix products of layers wider than
 * {@value #THIN} units go through OpenBLAS sgemm (the BLAS ND4J ships, see {@link BlasGemm}),
 * everything else is Java loops; both are split over one fork-join pool of one thread per core.
 * Always available.
 *
 * <p>Work is split into row ranges that depend on the shape only, and sums over rows use the
 * fixed {@link Blocking} blocks, so the same call on the same data gives the same bytes whatever
 * the number of threads.
 */
public final class CpuDevice extends AbstractComputeDevice<CpuBuffer> {

    /** The name of the cpu device. */
    public static final String NAME = "cpu";

    /**
     * Batched products whose matrices have at least this many multiply-adds go through OpenBLAS,
     * one call per matrix (an attention head's 64 x 32 by 32 x 64 product is 131072); smaller
     * ones run the Java loop, whose cost per call is lower.
     */
    static final long BATCHED_BLAS_MACS = 1L << 12;

    /** Layers with at most this many inputs or outputs use plain loops instead of sgemm. */
    static final int THIN = 8;

    /** Products smaller than this many multiply-adds use plain loops (the ND4J call costs more). */
    static final long SMALL_GEMM = 1L << 16;

    private static final int ELEMENT_GRAIN = 1 << 16;
    /** Elements per task for loops with an exponential or tanh per element (a few ns each). */
    private static final int TRANSCENDENTAL_GRAIN = 1 << 13;
    private static final int ROW_ELEMENTS = 1 << 14;

    private final RowParallel parallel;
    private final BlasGemm gemm;
    private final DeviceInfo info;
    private final Set<CpuBuffer> live = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private volatile boolean closed;

    /** A cpu device with one thread per available processor. */
    public CpuDevice() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A cpu device with the given number of threads for the Java loops. */
    public CpuDevice(int threads) {
        super(CpuBuffer.class);
        if (threads < 1) {
            throw new IllegalArgumentException("the cpu device needs at least 1 thread, got " + threads);
        }
        this.parallel = new RowParallel(threads);
        this.gemm = new BlasGemm(parallel);
        this.info = describe(threads);
    }

    /** What a cpu device with {@code threads} threads reports, without opening one. */
    public static DeviceInfo describe(int threads) {
        long heap = Runtime.getRuntime().maxMemory();
        return new DeviceInfo(NAME, DeviceKind.CPU, "CPU",
                "Java " + System.getProperty("java.version") + (Simd.available() ? " Vector API" : " plain")
                        + " loops + OpenBLAS sgemm on " + System.getProperty("os.arch"),
                threads, heap, Math.min(heap, 4L * Integer.MAX_VALUE));
    }

    /**
     * Sets how many threads OpenBLAS itself uses, for baselines that measure the machine's sgemm
     * through ND4J on every core. The device runs OpenBLAS on one thread and sets that back on
     * its next product (see {@link BlasGemm}).
     */
    public static void setOpenBlasThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("OpenBLAS needs at least 1 thread, got " + threads);
        }
        BlasGemm.setThreads(threads);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DeviceKind kind() {
        return DeviceKind.CPU;
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the cpu device was closed");
        }
    }

    // ----------------------------------------------------------------------------------------
    // Buffers

    @Override
    protected CpuBuffer doAllocate(int floats) {
        open();
        float[] data;
        try {
            data = new float[floats];
        } catch (OutOfMemoryError e) {
            throw new DeviceFailureException("cpu: not enough Java heap for a buffer of " + floats + " floats", true, e);
        }
        CpuBuffer buffer = new CpuBuffer(this, data);
        live.add(buffer);
        return buffer;
    }

    @Override
    protected void doUpload(float[] src, int srcOffset, CpuBuffer dst, int dstOffset, int length) {
        System.arraycopy(src, srcOffset, dst.data, dst.offset() + dstOffset, length);
    }

    @Override
    protected void doDownload(CpuBuffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        System.arraycopy(src.data, src.offset() + srcOffset, dst, dstOffset, length);
    }

    @Override
    protected void doFree(CpuBuffer buffer) {
        live.remove(buffer);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (live) {
            for (CpuBuffer b : live.toArray(new CpuBuffer[0])) {
                free(b);
            }
            live.clear();
        }
        parallel.close();
        gemm.close();
    }

    // ----------------------------------------------------------------------------------------
    // Element-wise

    private void elements(int n, RowParallel.Range body) {
        elements(n, ELEMENT_GRAIN, body);
    }

    private void elements(int n, int grain, RowParallel.Range body) {
        open();
        parallel.forRange(n, grain, body);
    }

    @Override
    protected void doFill(CpuBuffer x, float value) {
        int o = x.offset();
        elements(x.length(), (from, to) -> Arrays.fill(x.data, o + from, o + to, value));
    }

    @Override
    protected void doCopy(CpuBuffer src, CpuBuffer dst) {
        open();
        System.arraycopy(src.data, src.offset(), dst.data, dst.offset(), dst.length());
    }

    @Override
    protected void doCopyColumns(CpuBuffer src, int srcCols, int srcCol, CpuBuffer dst, int dstCols, int dstCol,
                                 int rows, int width) {
        open();
        float[] s = src.data;
        float[] d = dst.data;
        int so = src.offset() + srcCol;
        int dOff = dst.offset() + dstCol;
        parallel.forRange(rows, RowParallel.rowGrain(width, ROW_ELEMENTS), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                System.arraycopy(s, so + r * srcCols, d, dOff + r * dstCols, width);
            }
        });
    }

    /** Whether all buffers start at the same offset of their arrays, so the aligned loops apply. */
    private static boolean aligned(CpuBuffer... buffers) {
        int o = buffers[0].offset();
        for (CpuBuffer b : buffers) {
            if (b.offset() != o) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void doAxpby(float a, CpuBuffer x, float b, CpuBuffer y, CpuBuffer out) {
        if (aligned(x, y, out)) {
            int o = out.offset();
            elements(out.length(), (from, to) -> Elementwise.axpbyAligned(a, b, x.data, y.data, out.data, o, from, to));
        } else {
            elements(out.length(), (from, to) -> Elementwise.axpby(a, b, x.data, x.offset(), y.data, y.offset(),
                    out.data, out.offset(), from, to));
        }
    }

    @Override
    protected void doMultiply(CpuBuffer x, CpuBuffer y, CpuBuffer out) {
        if (aligned(x, y, out)) {
            int o = out.offset();
            elements(out.length(), (from, to) -> Elementwise.multiplyAligned(x.data, y.data, out.data, o, from, to));
        } else {
            elements(out.length(), (from, to) -> Elementwise.multiply(x.data, x.offset(), y.data, y.offset(),
                    out.data, out.offset(), from, to));
        }
    }

    @Override
    protected void doHeunStep(CpuBuffer x, CpuBuffer v1, CpuBuffer v2, float h, CpuBuffer out) {
        float halfH = 0.5f * h;
        if (aligned(x, v1, v2, out)) {
            int o = out.offset();
            elements(out.length(), (from, to) -> Elementwise.heunAligned(halfH, x.data, v1.data, v2.data, out.data, o,
                    from, to));
        } else {
            elements(out.length(), (from, to) -> Elementwise.heun(halfH, x.data, x.offset(), v1.data, v1.offset(),
                    v2.data, v2.offset(), out.data, out.offset(), from, to));
        }
    }

    @Override
    protected void doRk4Step(CpuBuffer x, CpuBuffer k1, CpuBuffer k2, CpuBuffer k3, CpuBuffer k4, float h,
                             CpuBuffer out) {
        float sixthH = h / 6f;
        if (aligned(x, k1, k2, k3, k4, out)) {
            int o = out.offset();
            elements(out.length(), (from, to) -> Elementwise.rk4Aligned(sixthH, x.data, k1.data, k2.data, k3.data,
                    k4.data, out.data, o, from, to));
        } else {
            elements(out.length(), (from, to) -> Elementwise.rk4(sixthH, x.data, x.offset(), k1.data, k1.offset(),
                    k2.data, k2.offset(), k3.data, k3.offset(), k4.data, k4.offset(), out.data, out.offset(), from, to));
        }
    }

    @Override
    protected void doAdamStep(CpuBuffer params, CpuBuffer grads, CpuBuffer m, CpuBuffer v, CpuBuffer decays,
                              float keep, float lr, float beta1, float beta2, float eps, float c1, float c2) {
        if (decays != null) {
            elements(params.length(), (from, to) -> Elementwise.decay(params.data, params.offset(), decays.data,
                    decays.offset(), keep, from, to));
        }
        if (aligned(params, grads, m, v)) {
            int o = params.offset();
            elements(params.length(), (from, to) -> Elementwise.adamAligned(params.data, grads.data, m.data, v.data, o,
                    lr, beta1, beta2, eps, c1, c2, from, to));
        } else {
            elements(params.length(), (from, to) -> Elementwise.adam(params.data, params.offset(), grads.data,
                    grads.offset(), m.data, m.offset(), v.data, v.offset(), lr, beta1, beta2, eps, c1, c2, from, to));
        }
    }

    // ----------------------------------------------------------------------------------------
    // Activations

    @Override
    protected void doActivate(Activation f, CpuBuffer x, CpuBuffer y) {
        if (aligned(x, y)) {
            int o = y.offset();
            elements(y.length(), activationGrain(f), (from, to) ->
                    Elementwise.activateAligned(f, x.data, y.data, o, from, to));
            return;
        }
        int xo = x.offset();
        int yo = y.offset();
        elements(y.length(), activationGrain(f), (from, to) ->
                CpuKernels.activate(f, x.data, xo + from, y.data, yo + from, to - from));
    }

    @Override
    protected void doActivateBackward(Activation f, CpuBuffer x, CpuBuffer dy, CpuBuffer dx) {
        int xo = x.offset();
        int dyo = dy.offset();
        int dxo = dx.offset();
        elements(dx.length(), activationGrain(f), (from, to) -> CpuKernels.activateBackward(f, x.data,
                xo + from, dy.data, dyo + from, dx.data, dxo + from, to - from));
    }

    @Override
    protected void doActivateBackward(Activation f, CpuBuffer x, CpuBuffer y, CpuBuffer dy, CpuBuffer dx) {
        if (f != Activation.SELU && f != Activation.TANH) {
            doActivateBackward(f, x, dy, dx);
            return;
        }
        int xo = x.offset();
        int yo = y.offset();
        int dyo = dy.offset();
        int dxo = dx.offset();
        elements(dx.length(), (from, to) -> CpuKernels.activateBackwardFromOutput(f, x.data, xo + from, y.data,
                yo + from, dy.data, dyo + from, dx.data, dxo + from, to - from));
    }

    private static int activationGrain(Activation f) {
        return f == Activation.RELU || f == Activation.IDENTITY ? ELEMENT_GRAIN : TRANSCENDENTAL_GRAIN;
    }

    // ----------------------------------------------------------------------------------------
    // Dense

    private static boolean useGemm(int rows, int in, int out) {
        return in > THIN && (long) rows * in * out >= SMALL_GEMM;
    }

    @Override
    protected void doDenseForward(CpuBuffer x, CpuBuffer w, CpuBuffer bias, CpuBuffer y, int rows, int in, int out) {
        open();
        float[] yd = y.data;
        int yo = y.offset();
        if (useGemm(rows, in, out)) {
            gemm.gemm(x.data, x.offset(), false, w.data, w.offset(), false, rows, out, in,
                    layerOutput(bias, out, null, null, y));
        } else {
            float[] bd = bias == null ? null : bias.data;
            int bo = bias == null ? 0 : bias.offset();
            if (out < CpuKernels.NARROW) {
                float[][] wRows = CpuKernels.transposedRows(w.data, w.offset(), in, out);
                parallel.forRange(rows, RowParallel.rowGrain(in * out, ROW_ELEMENTS), (r0, r1) ->
                        CpuKernels.denseRowsNarrow(x.data, x.offset(), wRows, bd, bo, yd, yo, r0, r1, in, out));
            } else {
                float[][] wRows = CpuKernels.weightRows(w.data, w.offset(), in, out);
                parallel.forRange(rows, RowParallel.rowGrain(in * out, ROW_ELEMENTS), (r0, r1) ->
                        CpuKernels.denseRows(x.data, x.offset(), wRows, bd, bo, yd, yo, r0, r1, in, out));
            }
        }
    }

    @Override
    protected void doDenseForward(CpuBuffer x, CpuBuffer w, CpuBuffer bias, Activation f, CpuBuffer z, CpuBuffer y,
                                  int rows, int in, int out) {
        if (!useGemm(rows, in, out)) {
            // Thin layers: a separate activation pass is faster than one per short row.
            super.doDenseForward(x, w, bias, f, z, y, rows, in, out);
            return;
        }
        open();
        gemm.gemm(x.data, x.offset(), false, w.data, w.offset(), false, rows, out, in, layerOutput(bias, out, f, z, y));
    }

    /**
     * What happens to a block of product rows while it is in cache: the bias added (from a copy
     * repeated for a whole block, so the loop indexes both arrays alike and vectorises), the
     * pre-activation stored in {@code z}, the activation applied in place and the result stored
     * in {@code y}. {@code bias}, {@code f} and {@code z} may be null.
     */
    private static BlasGemm.RowsSink layerOutput(CpuBuffer bias, int n, Activation f, CpuBuffer z, CpuBuffer y) {
        float[] biasBlock = null;
        if (bias != null) {
            int blockRows = BlasGemm.blockRows(n);
            biasBlock = new float[blockRows * n];
            for (int r = 0; r < blockRows; r++) {
                System.arraycopy(bias.data, bias.offset(), biasBlock, r * n, n);
            }
        }
        float[] repeatedBias = biasBlock;
        return (block, firstRow, rows) -> {
            int len = rows * n;
            if (repeatedBias != null) {
                for (int i = 0; i < len; i++) {
                    block[i] += repeatedBias[i];
                }
            }
            if (z != null) {
                System.arraycopy(block, 0, z.data, z.offset() + firstRow * n, len);
            }
            if (f != null) {
                Elementwise.activateAligned(f, block, block, 0, 0, len);
            }
            System.arraycopy(block, 0, y.data, y.offset() + firstRow * n, len);
        };
    }

    @Override
    protected void doDenseBackward(CpuBuffer x, CpuBuffer w, CpuBuffer dy, CpuBuffer dx, CpuBuffer dw, CpuBuffer db,
                                   int rows, int in, int out) {
        open();
        boolean big = useGemm(rows, in, out);
        if (dx != null) {
            if (big) {
                gemm.gemm(dy.data, dy.offset(), false, w.data, w.offset(), true, rows, in, out,
                        BlasGemm.into(dx.data, dx.offset(), in));
            } else if (out < CpuKernels.NARROW) {
                float[][] wRows = CpuKernels.transposedRows(w.data, w.offset(), in, out);
                parallel.forRange(rows, RowParallel.rowGrain(in * out, ROW_ELEMENTS), (r0, r1) ->
                        CpuKernels.denseInputGradientRowsNarrow(wRows, dy.data, dy.offset(), dx.data, dx.offset(),
                                r0, r1, in, out));
            } else {
                parallel.forRange(rows, RowParallel.rowGrain(in * out, ROW_ELEMENTS), (r0, r1) ->
                        CpuKernels.denseInputGradientRows(w.data, w.offset(), dy.data, dy.offset(), dx.data, dx.offset(),
                                r0, r1, in, out));
            }
        }
        if (dw != null) {
            if (big) {
                gemm.gemm(x.data, x.offset(), true, dy.data, dy.offset(), false, in, out, rows,
                        BlasGemm.into(dw.data, dw.offset(), out));
            } else {
                int cells = in * out;
                columnBlocks(rows, cells, dw.data, dw.offset(), (partial, off, r0, r1) ->
                        CpuKernels.denseWeightGradientRows(x.data, x.offset(), dy.data, dy.offset(), partial, off,
                                r0, r1, in, out));
            }
        }
        if (db != null) {
            columnBlocks(rows, out, db.data, db.offset(), (partial, off, r0, r1) ->
                    CpuKernels.addRows(dy.data, dy.offset(), partial, off, r0, r1, out));
        }
    }

    /** Adds the contribution of rows [r0, r1) into {@code partial[off..off+width)}. */
    @FunctionalInterface
    private interface BlockSum {
        void add(float[] partial, int off, int r0, int r1);
    }

    /**
     * A sum over rows of {@code width} values per row, by {@link Blocking} blocks: each block's
     * partial in row order, then the partials in block order, into {@code result[resultOff..]}.
     */
    private void columnBlocks(int rows, int width, float[] result, int resultOff, BlockSum body) {
        int blocks = Blocking.blocks(rows);
        float[] partials = new float[Math.multiplyExact(blocks, width)];
        parallel.forRange(blocks, Math.max(1, ROW_ELEMENTS / (Blocking.BLOCK_ROWS * width)), (b0, b1) -> {
            for (int blk = b0; blk < b1; blk++) {
                int r0 = blk * Blocking.BLOCK_ROWS;
                body.add(partials, blk * width, r0, Math.min(rows, r0 + Blocking.BLOCK_ROWS));
            }
        });
        sumBlocks(partials, blocks, width, result, resultOff);
    }

    private static void sumBlocks(float[] partials, int blocks, int width, float[] result, int resultOff) {
        System.arraycopy(partials, 0, result, resultOff, width);
        for (int blk = 1; blk < blocks; blk++) {
            int p = blk * width;
            for (int j = 0; j < width; j++) {
                result[resultOff + j] += partials[p + j];
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Norms

    /** A copy of {@code b} indexed from 0, or its own array when it already starts at 0; null stays null. */
    private static float[] zeroBased(CpuBuffer b) {
        if (b == null) {
            return null;
        }
        return b.offset() == 0 && b.data.length == b.length() ? b.data : Arrays.copyOfRange(b.data, b.offset(),
                b.offset() + b.length());
    }

    // Norms work row by row in scratch rows indexed from 0 (see CpuKernels.layerNormInPlace): a row
    // is copied in, normalised there and copied out, all within the first-level cache.

    @Override
    protected void doLayerNormForward(CpuBuffer x, CpuBuffer gamma, CpuBuffer beta, CpuBuffer y, CpuBuffer mean,
                                      CpuBuffer rstd, int rows, int cols, float eps) {
        open();
        float[] g = zeroBased(gamma);
        float[] b = zeroBased(beta);
        if (Simd.available()) {
            parallel.forRange(rows, RowParallel.rowGrain(cols, ROW_ELEMENTS), (r0, r1) -> {
                float[] stats = new float[2];
                for (int r = r0; r < r1; r++) {
                    VectorKernels.layerNorm(x.data, x.offset() + r * cols, g, b, y.data, y.offset() + r * cols, cols,
                            eps, stats);
                    mean.data[mean.offset() + r] = stats[0];
                    rstd.data[rstd.offset() + r] = stats[1];
                }
            });
            return;
        }
        parallel.forRange(rows, RowParallel.rowGrain(cols, ROW_ELEMENTS), (r0, r1) -> {
            float[] t = new float[cols];
            float[] u = new float[cols];
            float[] w = new float[cols / 2 + 1];
            float[] stats = new float[2];
            for (int r = r0; r < r1; r++) {
                System.arraycopy(x.data, x.offset() + r * cols, t, 0, cols);
                CpuKernels.layerNormInPlace(t, g, b, cols, eps, stats, u, w);
                System.arraycopy(t, 0, y.data, y.offset() + r * cols, cols);
                mean.data[mean.offset() + r] = stats[0];
                rstd.data[rstd.offset() + r] = stats[1];
            }
        });
    }

    @Override
    protected void doLayerNormBackward(CpuBuffer x, CpuBuffer gamma, CpuBuffer mean, CpuBuffer rstd, CpuBuffer dy,
                                       CpuBuffer dx, CpuBuffer dgamma, CpuBuffer dbeta, int rows, int cols) {
        open();
        float[] g = zeroBased(gamma);
        int blocks = Blocking.blocks(rows);
        float[] dgPartials = dgamma == null ? null : new float[Math.multiplyExact(blocks, cols)];
        float[] dbPartials = dbeta == null ? null : new float[Math.multiplyExact(blocks, cols)];
        // One task per group of blocks: each row's input gradient and each block's gamma/beta partials.
        parallel.forRange(blocks, Math.max(1, ROW_ELEMENTS / (Blocking.BLOCK_ROWS * cols)), (b0, b1) -> {
            float[] tx = new float[cols];
            float[] tdy = new float[cols];
            float[] pg = dgamma == null ? null : new float[cols];
            float[] pb = dbeta == null ? null : new float[cols];
            for (int blk = b0; blk < b1; blk++) {
                int r0 = blk * Blocking.BLOCK_ROWS;
                int r1 = Math.min(rows, r0 + Blocking.BLOCK_ROWS);
                for (int r = r0; r < r1; r++) {
                    System.arraycopy(x.data, x.offset() + r * cols, tx, 0, cols);
                    System.arraycopy(dy.data, dy.offset() + r * cols, tdy, 0, cols);
                    float mu = mean.data[mean.offset() + r];
                    float rs = rstd.data[rstd.offset() + r];
                    if (Simd.available()) {
                        VectorKernels.layerNormBackwardInPlace(tx, g, mu, rs, tdy, pg, pb, dx != null, cols);
                    } else {
                        CpuKernels.layerNormBackwardInPlace(tx, g, mu, rs, tdy, pg, pb, dx != null, cols);
                    }
                    if (dx != null) {
                        System.arraycopy(tdy, 0, dx.data, dx.offset() + r * cols, cols);
                    }
                }
                movePartial(pg, dgPartials, blk * cols);
                movePartial(pb, dbPartials, blk * cols);
            }
        });
        if (dgamma != null) {
            sumBlocks(dgPartials, blocks, cols, dgamma.data, dgamma.offset());
        }
        if (dbeta != null) {
            sumBlocks(dbPartials, blocks, cols, dbeta.data, dbeta.offset());
        }
    }

    /** Stores a block's partial and clears it for the next block. */
    private static void movePartial(float[] partial, float[] partials, int at) {
        if (partial != null) {
            System.arraycopy(partial, 0, partials, at, partial.length);
            Arrays.fill(partial, 0f);
        }
    }

    @Override
    protected void doRmsNormForward(CpuBuffer x, CpuBuffer gamma, CpuBuffer y, CpuBuffer rrms, int rows, int cols,
                                    float eps) {
        open();
        float[] g = zeroBased(gamma);
        parallel.forRange(rows, RowParallel.rowGrain(cols, ROW_ELEMENTS), (r0, r1) -> {
            float[] t = new float[cols];
            float[] u = new float[cols];
            float[] w = new float[cols / 2 + 1];
            for (int r = r0; r < r1; r++) {
                System.arraycopy(x.data, x.offset() + r * cols, t, 0, cols);
                rrms.data[rrms.offset() + r] = CpuKernels.rmsNormInPlace(t, g, cols, eps, u, w);
                System.arraycopy(t, 0, y.data, y.offset() + r * cols, cols);
            }
        });
    }

    @Override
    protected void doRmsNormBackward(CpuBuffer x, CpuBuffer gamma, CpuBuffer rrms, CpuBuffer dy, CpuBuffer dx,
                                     CpuBuffer dgamma, int rows, int cols) {
        open();
        float[] g = zeroBased(gamma);
        int blocks = Blocking.blocks(rows);
        float[] dgPartials = dgamma == null ? null : new float[Math.multiplyExact(blocks, cols)];
        parallel.forRange(blocks, Math.max(1, ROW_ELEMENTS / (Blocking.BLOCK_ROWS * cols)), (b0, b1) -> {
            float[] tx = new float[cols];
            float[] tdy = new float[cols];
            float[] pg = dgamma == null ? null : new float[cols];
            for (int blk = b0; blk < b1; blk++) {
                int r0 = blk * Blocking.BLOCK_ROWS;
                int r1 = Math.min(rows, r0 + Blocking.BLOCK_ROWS);
                for (int r = r0; r < r1; r++) {
                    System.arraycopy(x.data, x.offset() + r * cols, tx, 0, cols);
                    System.arraycopy(dy.data, dy.offset() + r * cols, tdy, 0, cols);
                    CpuKernels.rmsNormBackwardInPlace(tx, g, rrms.data[rrms.offset() + r], tdy, pg, dx != null, cols);
                    if (dx != null) {
                        System.arraycopy(tdy, 0, dx.data, dx.offset() + r * cols, cols);
                    }
                }
                movePartial(pg, dgPartials, blk * cols);
            }
        });
        if (dgamma != null) {
            sumBlocks(dgPartials, blocks, cols, dgamma.data, dgamma.offset());
        }
    }

    // ----------------------------------------------------------------------------------------
    // Reductions

    @Override
    protected void doReduceRows(RowReduction reduction, CpuBuffer x, CpuBuffer out, int rows, int cols) {
        open();
        float[] xd = x.data;
        float[] od = out.data;
        int xo = x.offset();
        int oo = out.offset();
        parallel.forRange(rows, RowParallel.rowGrain(cols, ROW_ELEMENTS), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = xo + r * cols;
                od[oo + r] = switch (reduction) {
                    case SUM -> rowSum(xd, off, cols);
                    case MEAN -> rowSum(xd, off, cols) / cols;
                    case VARIANCE -> CpuKernels.sumSquaredDeviations(xd, off, cols, rowSum(xd, off, cols) / cols)
                            / cols;
                    case MAX_ABS -> CpuKernels.maxAbs(xd, off, cols);
                };
            }
        });
    }

    private static float rowSum(float[] a, int off, int n) {
        return Simd.available() ? VectorKernels.sum(a, off, n) : CpuKernels.sum(a, off, n);
    }

    // Channel statistics and batch-style normalisation.

    /** A per-channel vector indexed from 0, or zeros when absent. */
    private static float[] channelVector(CpuBuffer b, int channels) {
        return b == null ? new float[channels] : zeroBased(b);
    }

    /**
     * A sum of {@code width} values per batch row of {@code rowFloats} floats, by {@link Blocking} blocks of batch rows (each block in
     * row order, then the blocks in order), into {@code result}, which is indexed from 0.
     */
    private void channelBlocks(int batch, int width, int rowFloats, float[] result, BlockSum body) {
        int blocks = Blocking.blocks(batch);
        float[] partials = new float[Math.multiplyExact(blocks, width)];
        long perBlock = (long) Blocking.BLOCK_ROWS * rowFloats;
        parallel.forRange(blocks, (int) Math.max(1, ROW_ELEMENTS / perBlock), (b0, b1) -> {
            for (int blk = b0; blk < b1; blk++) {
                int n0 = blk * Blocking.BLOCK_ROWS;
                body.add(partials, blk * width, n0, Math.min(batch, n0 + Blocking.BLOCK_ROWS));
            }
        });
        sumBlocks(partials, blocks, width, result, 0);
    }

    @Override
    protected void doChannelMoments(CpuBuffer x, CpuBuffer mean, CpuBuffer var, int batch, int channels,
                                    int spatial) {
        open();
        float count = (float) ((long) batch * spatial);
        float[] m = new float[channels];
        channelBlocks(batch, channels, channels * spatial, m, (partial, off, n0, n1) ->
                CpuKernels.channelPartial(x.data, x.offset(), null, partial, off, n0, n1, channels, spatial));
        for (int c = 0; c < channels; c++) {
            m[c] /= count;
        }
        float[] v = new float[channels];
        channelBlocks(batch, channels, channels * spatial, v, (partial, off, n0, n1) ->
                CpuKernels.channelPartial(x.data, x.offset(), m, partial, off, n0, n1, channels, spatial));
        for (int c = 0; c < channels; c++) {
            v[c] /= count;
        }
        System.arraycopy(m, 0, mean.data, mean.offset(), channels);
        System.arraycopy(v, 0, var.data, var.offset(), channels);
    }

    @Override
    protected void doChannelNormalize(CpuBuffer x, CpuBuffer center, CpuBuffer scale, CpuBuffer shift, CpuBuffer y,
                                      int batch, int channels, int spatial) {
        open();
        float[] m = channelVector(center, channels);
        float[] s = channelVector(scale, channels);
        float[] h = channelVector(shift, channels);
        parallel.forRange(batch, RowParallel.rowGrain(channels * spatial, ROW_ELEMENTS), (n0, n1) ->
                CpuKernels.channelNormalizeRows(x.data, x.offset(), m, s, h, y.data, y.offset(), n0, n1, channels,
                        spatial));
    }

    @Override
    protected void doChannelGradientSums(CpuBuffer x, CpuBuffer center, CpuBuffer dy, CpuBuffer sumDy,
                                         CpuBuffer sumDyX, int batch, int channels, int spatial) {
        open();
        float[] m = channelVector(center, channels);
        // One pass for both sums: the partials of a block are [sumDy | sumDyX].
        boolean both = sumDy != null && sumDyX != null;
        int width = both ? 2 * channels : channels;
        float[] total = new float[width];
        channelBlocks(batch, width, channels * spatial, total, (partial, off, n0, n1) ->
                CpuKernels.channelGradientPartial(x.data, x.offset(), m, dy.data, dy.offset(),
                        sumDy == null ? null : partial, off, sumDyX == null ? null : partial, both ? off + channels : off,
                        n0, n1, channels, spatial));
        if (sumDy != null) {
            System.arraycopy(total, 0, sumDy.data, sumDy.offset(), channels);
        }
        if (sumDyX != null) {
            System.arraycopy(total, both ? channels : 0, sumDyX.data, sumDyX.offset(), channels);
        }
    }

    @Override
    protected void doChannelNormalizeBackward(CpuBuffer x, CpuBuffer center, CpuBuffer dy, CpuBuffer dyScale,
                                              CpuBuffer xScale, CpuBuffer shift, CpuBuffer dx,
                                              int batch, int channels, int spatial) {
        open();
        float[] m = channelVector(center, channels);
        float[] a = channelVector(dyScale, channels);
        float[] b = channelVector(xScale, channels);
        float[] h = channelVector(shift, channels);
        parallel.forRange(batch, RowParallel.rowGrain(channels * spatial, ROW_ELEMENTS), (n0, n1) ->
                CpuKernels.channelBackwardRows(x.data, x.offset(), m, dy.data, dy.offset(), a, b, h, dx.data,
                        dx.offset(), n0, n1, channels, spatial));
    }

    @Override
    protected void doEvoNormForward(org.flowbench.compute.device.EvoNormKind kind, CpuBuffer x, CpuBuffer v,
                                    CpuBuffer rowStat, CpuBuffer channelStat, CpuBuffer u, int batch, int channels,
                                    int spatial, int groups) {
        open();
        float[] vv = zeroBased(v);
        float[] rs = zeroBased(rowStat);
        float[] cs = channelVector(channelStat, channels);
        int rowLength = channels / groups * spatial;
        parallel.forRange(batch, RowParallel.rowGrain(channels * spatial, ROW_ELEMENTS / 8), (n0, n1) ->
                CpuKernels.evoNormRows(kind == org.flowbench.compute.device.EvoNormKind.B0, x.data, x.offset(), vv,
                        rs, cs, u.data, u.offset(), n0, n1, channels, spatial, rowLength));
    }

    @Override
    protected void doEvoNormBackward(org.flowbench.compute.device.EvoNormKind kind, CpuBuffer x, CpuBuffer v,
                                     CpuBuffer rowStat, CpuBuffer channelStat, CpuBuffer g, CpuBuffer dx,
                                     CpuBuffer dvTerm, CpuBuffer rowTerm, CpuBuffer channelTerm, int batch,
                                     int channels, int spatial, int groups) {
        open();
        float[] vv = zeroBased(v);
        float[] rs = zeroBased(rowStat);
        float[] cs = channelVector(channelStat, channels);
        int rowLength = channels / groups * spatial;
        parallel.forRange(batch, RowParallel.rowGrain(channels * spatial, ROW_ELEMENTS / 8), (n0, n1) ->
                CpuKernels.evoNormBackwardRows(kind == org.flowbench.compute.device.EvoNormKind.B0, x.data,
                        x.offset(), vv, rs, cs, g.data, g.offset(), dx.data, dx.offset(), dvTerm.data,
                        dvTerm.offset(), rowTerm.data, rowTerm.offset(),
                        channelTerm == null ? null : channelTerm.data, channelTerm == null ? 0 : channelTerm.offset(),
                        n0, n1, channels, spatial, rowLength));
    }

    // Transformer ops: attention heads, batched products, causal softmax, cross-entropy, embeddings.

    @Override
    protected void doPermuteHeads(CpuBuffer src, CpuBuffer dst, int batch, int seq, int parts, int heads,
                                  int headDim, boolean split) {
        open();
        float[] sd = src.data;
        float[] dd = dst.data;
        int so = src.offset();
        int dOff = dst.offset();
        int width = parts * heads * headDim;
        // One task per (batch, token): headDim-long runs are copied between the two layouts.
        parallel.forRange(batch * seq, RowParallel.rowGrain(width, ROW_ELEMENTS), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int b = r / seq;
                int t = r - b * seq;
                for (int p = 0; p < parts; p++) {
                    for (int h = 0; h < heads; h++) {
                        int tokenSide = r * width + (p * heads + h) * headDim;
                        int headSide = (((p * batch + b) * heads + h) * seq + t) * headDim;
                        if (split) {
                            System.arraycopy(sd, so + tokenSide, dd, dOff + headSide, headDim);
                        } else {
                            System.arraycopy(sd, so + headSide, dd, dOff + tokenSide, headDim);
                        }
                    }
                }
            }
        });
    }

    @Override
    protected void doBatchedMatmul(CpuBuffer a, boolean transA, CpuBuffer b, boolean transB, CpuBuffer c, int batch,
                                   int m, int k, int n, float alpha) {
        open();
        if ((long) m * n * k >= BATCHED_BLAS_MACS) {
            gemm.batched(a.data, a.offset(), transA, b.data, b.offset(), transB, c.data, c.offset(), batch, m, k, n,
                    alpha);
            return;
        }
        int rowsPerTask = Math.max(1, (1 << 16) / Math.max(1, k * n));
        parallel.forRange(batch * m, rowsPerTask, (g0, g1) -> {
            float[] acc = new float[n];
            // A transposed b is transposed once per matrix a task touches, so the product's inner loop is contiguous.
            float[] bT = transB ? new float[k * n] : null;
            int g = g0;
            while (g < g1) {
                int i = g / m;
                int r0 = g - i * m;
                int r1 = Math.min(m, r0 + (g1 - g));
                float[] bData = b.data;
                int bOff = b.offset() + i * k * n;
                if (transB) {
                    CpuKernels.transpose(b.data, bOff, n, k, bT);
                    bData = bT;
                    bOff = 0;
                }
                CpuKernels.matmulRows(a.data, a.offset() + i * m * k, transA, bData, bOff, c.data,
                        c.offset() + i * m * n, m, k, n, alpha, r0, r1, acc);
                g += r1 - r0;
            }
        });
    }

    @Override
    protected void doCausalSoftmax(CpuBuffer scores, CpuBuffer probs, int rows, int seq) {
        open();
        parallel.forRange(rows, RowParallel.rowGrain(seq, TRANSCENDENTAL_GRAIN), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                CpuKernels.causalSoftmaxRow(scores.data, scores.offset() + r * seq, probs.data,
                        probs.offset() + r * seq, r % seq + 1, seq);
            }
        });
    }

    @Override
    protected void doSoftmaxBackward(CpuBuffer probs, CpuBuffer dprobs, CpuBuffer dscores, int rows, int cols) {
        open();
        parallel.forRange(rows, RowParallel.rowGrain(cols, ROW_ELEMENTS), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                CpuKernels.softmaxBackwardRow(probs.data, probs.offset() + r * cols, dprobs.data,
                        dprobs.offset() + r * cols, dscores.data, dscores.offset() + r * cols, cols);
            }
        });
    }

    @Override
    protected void doFlowAttentionForward(CpuBuffer qkv, CpuBuffer out, CpuBuffer saved, int bh, int seq,
                                          int headDim) {
        open();
        int slab = bh * seq * headDim;
        int w = FlowAttentionKernels.rowWidth(headDim);
        // One head per task: its scans run in a fixed order, so the bytes do not depend on the split.
        parallel.forRange(bh, 1, (b0, b1) -> {
            float[] state = new float[headDim * headDim];
            float[] wv = new float[headDim];
            float[] acc = new float[headDim];
            for (int b = b0; b < b1; b++) {
                int x = qkv.offset() + b * seq * headDim;
                FlowAttentionKernels.forward(qkv.data, x, x + slab, x + 2 * slab, out.data,
                        out.offset() + b * seq * headDim, saved.data, saved.offset() + b * seq * w, seq, headDim,
                        state, wv, acc);
            }
        });
    }

    @Override
    protected void doFlowAttentionBackward(CpuBuffer qkv, CpuBuffer saved, CpuBuffer dout, CpuBuffer dqkv, int bh,
                                           int seq, int headDim) {
        open();
        int slab = bh * seq * headDim;
        int w = FlowAttentionKernels.rowWidth(headDim);
        parallel.forRange(bh, 1, (b0, b1) -> {
            float[] state = new float[headDim * headDim];
            float[] dy = new float[headDim];
            float[] dv = new float[headDim];
            float[] acc = new float[4 * headDim];
            for (int b = b0; b < b1; b++) {
                int head = b * seq * headDim;
                int dx = dqkv.offset() + head;
                FlowAttentionKernels.backward(qkv.data, qkv.offset() + 2 * slab + head, saved.data,
                        saved.offset() + b * seq * w, dout.data, dout.offset() + head, dqkv.data, dx, dx + slab,
                        dx + 2 * slab, seq, headDim, state, dy, dv, acc);
            }
        });
    }

    @Override
    protected void doCrossEntropy(CpuBuffer logits, CpuBuffer targets, CpuBuffer losses, CpuBuffer dlogits, int rows,
                                  int classes, float gradScale) {
        open();
        parallel.forRange(rows, RowParallel.rowGrain(classes, TRANSCENDENTAL_GRAIN), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                losses.data[losses.offset() + r] = CpuKernels.crossEntropyRow(logits.data,
                        logits.offset() + r * classes, targets.data[targets.offset() + r],
                        dlogits == null ? null : dlogits.data, dlogits == null ? 0 : dlogits.offset() + r * classes,
                        classes, gradScale);
            }
        });
    }

    @Override
    protected void doGatherRows(CpuBuffer table, CpuBuffer indices, CpuBuffer out, int rows, int cols,
                                int tableRows, boolean accumulate) {
        open();
        parallel.forRange(rows, RowParallel.rowGrain(cols, ROW_ELEMENTS), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                float index = indices.data[indices.offset() + r];
                int o = out.offset() + r * cols;
                boolean inRange = index >= 0 && index < tableRows;
                int t = inRange ? table.offset() + (int) index * cols : 0;
                for (int j = 0; j < cols; j++) {
                    float v = inRange ? table.data[t + j] : 0f;
                    out.data[o + j] = accumulate ? out.data[o + j] + v : v;
                }
            }
        });
    }

    @Override
    protected void doScatterAddRows(CpuBuffer dout, CpuBuffer indices, CpuBuffer dtable, int rows, int cols,
                                    int tableRows) {
        open();
        // Split over table rows, each summing its rows in index order: no races, fixed order.
        parallel.forRange(tableRows, RowParallel.rowGrain(rows, ROW_ELEMENTS), (v0, v1) -> {
            Arrays.fill(dtable.data, dtable.offset() + v0 * cols, dtable.offset() + v1 * cols, 0f);
            for (int r = 0; r < rows; r++) {
                float index = indices.data[indices.offset() + r];
                if (index >= v0 && index < v1) {
                    int t = dtable.offset() + (int) index * cols;
                    int d = dout.offset() + r * cols;
                    for (int j = 0; j < cols; j++) {
                        dtable.data[t + j] += dout.data[d + j];
                    }
                }
            }
        });
    }
}
