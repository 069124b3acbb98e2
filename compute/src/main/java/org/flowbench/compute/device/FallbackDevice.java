package org.flowbench.compute.device;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A device that runs on a preferred device (an OpenCL GPU) and moves to cpu, once and with a
 * warning, when the preferred device fails: its kernels do not compile, it runs out of memory,
 * or its driver reports an error. Callers keep the buffers they have; after the move they are
 * cpu buffers with the same contents.
 *
 * <p>When the preferred device ran out of memory its data is intact, so every live buffer is
 * copied to cpu and the failed call is repeated there. When it failed while running a kernel,
 * its data cannot be trusted: buffers are marked lost, and using one throws a {@link
 * DeviceFailureException} asking to restart the job (which then runs on cpu).
 */
public final class FallbackDevice implements ComputeDevice {

    private final String requested;
    private final Supplier<? extends ComputeDevice> fallbackFactory;
    private final Consumer<String> warnings;
    private final Set<Handle> live = new LinkedHashSet<>();
    private ComputeDevice active;
    private String fallbackReason;

    /**
     * Opens the preferred device through {@code preferred}; if that fails with a {@link
     * DeviceFailureException} (kernels that do not compile), starts on the fallback right away.
     *
     * @param requested        the device name the user asked for, for messages
     * @param preferred        opens the preferred device
     * @param fallbackFactory  opens the cpu device when needed
     * @param warnings         receives one line when the device falls back
     */
    public FallbackDevice(String requested, Supplier<? extends ComputeDevice> preferred,
                          Supplier<? extends ComputeDevice> fallbackFactory, Consumer<String> warnings) {
        this.requested = requested;
        this.fallbackFactory = fallbackFactory;
        this.warnings = warnings == null ? w -> { } : warnings;
        ComputeDevice opened;
        try {
            opened = preferred.get();
        } catch (DeviceFailureException e) {
            fallbackReason = e.getMessage();
            opened = fallbackFactory.get();
            this.warnings.accept(requested + " is not usable (" + e.getMessage() + "); running on " + opened.name());
        }
        this.active = opened;
    }

    /** Whether this device has moved to the fallback. */
    public synchronized boolean fellBack() {
        return fallbackReason != null;
    }

    /** Why it moved to the fallback, or null. */
    public synchronized String fallbackReason() {
        return fallbackReason;
    }

    /** The device calls go to now. */
    public synchronized ComputeDevice active() {
        return active;
    }

    /** The name the user asked for. */
    public String requested() {
        return requested;
    }

    @Override
    public synchronized String name() {
        return active.name();
    }

    @Override
    public synchronized DeviceKind kind() {
        return active.kind();
    }

    @Override
    public synchronized DeviceInfo info() {
        return active.info();
    }

    // ----------------------------------------------------------------------------------------
    // Moving to the fallback

    private <T> T call(Function<ComputeDevice, T> op) {
        synchronized (this) {
            try {
                return op.apply(active);
            } catch (DeviceFailureException e) {
                if (fallbackReason != null) {
                    throw e;
                }
                moveToFallback(e);
                return op.apply(active);
            }
        }
    }

    private void run(Consumer<ComputeDevice> op) {
        call(d -> {
            op.accept(d);
            return null;
        });
    }

    private void moveToFallback(DeviceFailureException cause) {
        ComputeDevice failed = active;
        ComputeDevice fallback = fallbackFactory.get();
        int lost = 0;
        for (Handle h : live) {
            float[] data = null;
            try {
                data = failed.download(h.inner);
            } catch (RuntimeException e) {
                lost++;
            }
            DeviceBuffer moved = fallback.allocate(h.length);
            if (data != null) {
                fallback.upload(data, moved);
            } else {
                h.lost = true;
            }
            h.inner = moved;
        }
        try {
            failed.close();
        } catch (RuntimeException ignored) {
            // The failed device may not even close cleanly; the fallback is what matters now.
        }
        active = fallback;
        fallbackReason = cause.getMessage();
        warnings.accept(failed.name() + " failed (" + cause.getMessage() + "); continuing on " + fallback.name()
                + (lost > 0 ? ", " + lost + " buffers lost, restart the job" : ""));
    }

    // ----------------------------------------------------------------------------------------
    // Buffers

    /** A buffer of this device: an allocation (root) or a view of one. */
    private final class Handle implements DeviceBuffer {
        private final Handle root;
        private final int offset;
        private final int length;
        private DeviceBuffer inner;
        private boolean freed;
        private boolean lost;

        Handle(DeviceBuffer inner) {
            this.root = this;
            this.offset = 0;
            this.length = inner.length();
            this.inner = inner;
        }

        Handle(Handle root, int offset, int length) {
            this.root = root;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public ComputeDevice device() {
            return FallbackDevice.this;
        }

        @Override
        public DeviceBuffer slice(int from, int sliceLength) {
            if (from < 0 || sliceLength < 0 || from > length - sliceLength) {
                throw new IllegalArgumentException("slice [" + from + ", " + ((long) from + sliceLength)
                        + ") is outside a buffer of " + length + " floats");
            }
            return new Handle(root, offset + from, sliceLength);
        }

        @Override
        public boolean isFreed() {
            synchronized (FallbackDevice.this) {
                return root.freed;
            }
        }

        /** The buffer on the active device. */
        DeviceBuffer resolve(String what) {
            if (root.freed) {
                throw new IllegalArgumentException(what + " was freed");
            }
            if (root.lost) {
                throw new DeviceFailureException(what + " was lost when " + requested
                        + " failed; restart the job (it will run on " + active.name() + ")", false);
            }
            return root == this ? inner : root.inner.slice(offset, length);
        }
    }

    private DeviceBuffer in(DeviceBuffer b, String what) {
        if (b == null) {
            return null;
        }
        if (!(b instanceof Handle h) || h.device() != this) {
            throw new IllegalArgumentException(what + " belongs to device " + b.device().name() + ", not " + name());
        }
        return h.resolve(what);
    }

    @Override
    public DeviceBuffer allocate(int floats) {
        synchronized (this) {
            Handle h = new Handle(call(d -> d.allocate(floats)));
            live.add(h);
            return h;
        }
    }

    @Override
    public void upload(float[] src, int srcOffset, DeviceBuffer dst, int dstOffset, int length) {
        run(d -> d.upload(src, srcOffset, in(dst, "upload destination"), dstOffset, length));
    }

    @Override
    public void download(DeviceBuffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        run(d -> d.download(in(src, "download source"), srcOffset, dst, dstOffset, length));
    }

    @Override
    public synchronized void free(DeviceBuffer buffer) {
        if (buffer == null) {
            return;
        }
        if (!(buffer instanceof Handle h) || h.device() != this) {
            throw new IllegalArgumentException("buffer belongs to device " + buffer.device().name() + ", not " + name());
        }
        if (h.root != h) {
            throw new IllegalArgumentException("a slice cannot be freed; free the buffer it was cut from");
        }
        if (h.freed) {
            return;
        }
        h.freed = true;
        live.remove(h);
        active.free(h.inner);
    }

    @Override
    public synchronized void close() {
        List<Handle> all = new ArrayList<>(live);
        for (Handle h : all) {
            h.freed = true;
        }
        live.clear();
        active.close();
    }

    // ----------------------------------------------------------------------------------------
    // Kernels

    @Override
    public void fill(DeviceBuffer x, float value) {
        run(d -> d.fill(in(x, "x"), value));
    }

    @Override
    public void copy(DeviceBuffer src, DeviceBuffer dst) {
        run(d -> d.copy(in(src, "src"), in(dst, "dst")));
    }

    @Override
    public void copyColumns(DeviceBuffer src, int srcCols, int srcCol, DeviceBuffer dst, int dstCols, int dstCol,
                            int rows, int width) {
        run(d -> d.copyColumns(in(src, "src"), srcCols, srcCol, in(dst, "dst"), dstCols, dstCol, rows, width));
    }

    @Override
    public void axpby(float a, DeviceBuffer x, float b, DeviceBuffer y, DeviceBuffer out) {
        run(d -> d.axpby(a, in(x, "x"), b, in(y, "y"), in(out, "out")));
    }

    @Override
    public void multiply(DeviceBuffer x, DeviceBuffer y, DeviceBuffer out) {
        run(d -> d.multiply(in(x, "x"), in(y, "y"), in(out, "out")));
    }

    @Override
    public void denseForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, DeviceBuffer y, int rows, int in,
                             int out) {
        run(d -> d.denseForward(in(x, "x"), in(w, "w"), in(bias, "bias"), in(y, "y"), rows, in, out));
    }

    @Override
    public void denseForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, Activation f, DeviceBuffer z,
                             DeviceBuffer y, int rows, int in, int out) {
        run(d -> d.denseForward(in(x, "x"), in(w, "w"), in(bias, "bias"), f, in(z, "z"), in(y, "y"), rows, in, out));
    }

    @Override
    public void denseForwardResidual(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, DeviceBuffer residual,
                                     DeviceBuffer z, DeviceBuffer y, int rows, int in, int out) {
        run(d -> d.denseForwardResidual(in(x, "x"), in(w, "w"), in(bias, "bias"), in(residual, "residual"), in(z, "z"),
                in(y, "y"), rows, in, out));
    }

    @Override
    public void denseBackward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer dy, DeviceBuffer dx, DeviceBuffer dw,
                              DeviceBuffer db, int rows, int in, int out) {
        run(d -> d.denseBackward(in(x, "x"), in(w, "w"), in(dy, "dy"), in(dx, "dx"), in(dw, "dw"), in(db, "db"),
                rows, in, out));
    }

    @Override
    public void activate(Activation f, DeviceBuffer x, DeviceBuffer y) {
        run(d -> d.activate(f, in(x, "x"), in(y, "y")));
    }

    @Override
    public void activateBackward(Activation f, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx) {
        run(d -> d.activateBackward(f, in(x, "x"), in(dy, "dy"), in(dx, "dx")));
    }

    @Override
    public void activateBackward(Activation f, DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
        run(d -> d.activateBackward(f, in(x, "x"), in(y, "y"), in(dy, "dy"), in(dx, "dx")));
    }

    @Override
    public void layerNormForward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y,
                                 DeviceBuffer mean, DeviceBuffer rstd, int rows, int cols, float eps) {
        run(d -> d.layerNormForward(in(x, "x"), in(gamma, "gamma"), in(beta, "beta"), in(y, "y"), in(mean, "mean"),
                in(rstd, "rstd"), rows, cols, eps));
    }

    @Override
    public void layerNormBackward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer mean, DeviceBuffer rstd,
                                  DeviceBuffer dy, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta,
                                  int rows, int cols) {
        run(d -> d.layerNormBackward(in(x, "x"), in(gamma, "gamma"), in(mean, "mean"), in(rstd, "rstd"),
                in(dy, "dy"), in(dx, "dx"), in(dgamma, "dgamma"), in(dbeta, "dbeta"), rows, cols));
    }

    @Override
    public void rmsNormForward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer y, DeviceBuffer rrms,
                               int rows, int cols, float eps) {
        run(d -> d.rmsNormForward(in(x, "x"), in(gamma, "gamma"), in(y, "y"), in(rrms, "rrms"), rows, cols, eps));
    }

    @Override
    public void rmsNormBackward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer rrms, DeviceBuffer dy,
                                DeviceBuffer dx, DeviceBuffer dgamma, int rows, int cols) {
        run(d -> d.rmsNormBackward(in(x, "x"), in(gamma, "gamma"), in(rrms, "rrms"), in(dy, "dy"), in(dx, "dx"),
                in(dgamma, "dgamma"), rows, cols));
    }

    @Override
    public void reduceRows(RowReduction reduction, DeviceBuffer x, DeviceBuffer out, int rows, int cols) {
        run(d -> d.reduceRows(reduction, in(x, "x"), in(out, "out"), rows, cols));
    }

    @Override
    public void eulerStep(DeviceBuffer x, DeviceBuffer v, float h, DeviceBuffer out) {
        run(d -> d.eulerStep(in(x, "x"), in(v, "v"), h, in(out, "out")));
    }

    @Override
    public void heunStep(DeviceBuffer x, DeviceBuffer v1, DeviceBuffer v2, float h, DeviceBuffer out) {
        run(d -> d.heunStep(in(x, "x"), in(v1, "v1"), in(v2, "v2"), h, in(out, "out")));
    }

    @Override
    public void rk4Step(DeviceBuffer x, DeviceBuffer k1, DeviceBuffer k2, DeviceBuffer k3, DeviceBuffer k4, float h,
                        DeviceBuffer out) {
        run(d -> d.rk4Step(in(x, "x"), in(k1, "k1"), in(k2, "k2"), in(k3, "k3"), in(k4, "k4"), h, in(out, "out")));
    }

    @Override
    public void finish() {
        run(ComputeDevice::finish);
    }

    @Override
    public void adamWStep(DeviceBuffer params, DeviceBuffer grads, DeviceBuffer m, DeviceBuffer v, DeviceBuffer decays,
                          float keep, float lr, float beta1, float beta2, float eps, int step) {
        run(d -> d.adamWStep(in(params, "params"), in(grads, "grads"), in(m, "m"), in(v, "v"), in(decays, "decays"),
                keep, lr, beta1, beta2, eps, step));
    }

    @Override
    public void adamStep(DeviceBuffer params, DeviceBuffer grads, DeviceBuffer m, DeviceBuffer v, float lr,
                         float beta1, float beta2, float eps, int step) {
        run(d -> d.adamStep(in(params, "params"), in(grads, "grads"), in(m, "m"), in(v, "v"), lr, beta1, beta2, eps,
                step));
    }

    @Override
    public String toString() {
        return name();
    }

    // Channel statistics and batch-style normalisation.

    @Override
    public void channelMoments(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer var, int batch, int channels,
                               int spatial) {
        run(d -> d.channelMoments(in(x, "x"), in(mean, "mean"), in(var, "var"), batch, channels, spatial));
    }

    @Override
    public void channelNormalize(DeviceBuffer x, DeviceBuffer center, DeviceBuffer scale, DeviceBuffer shift,
                                 DeviceBuffer y, int batch, int channels, int spatial) {
        run(d -> d.channelNormalize(in(x, "x"), in(center, "center"), in(scale, "scale"), in(shift, "shift"),
                in(y, "y"), batch, channels, spatial));
    }

    @Override
    public void channelGradientSums(DeviceBuffer x, DeviceBuffer center, DeviceBuffer dy, DeviceBuffer sumDy,
                                    DeviceBuffer sumDyX, int batch, int channels, int spatial) {
        run(d -> d.channelGradientSums(in(x, "x"), in(center, "center"), in(dy, "dy"), in(sumDy, "sumDy"),
                in(sumDyX, "sumDyX"), batch, channels, spatial));
    }

    @Override
    public void channelNormalizeBackward(DeviceBuffer x, DeviceBuffer center, DeviceBuffer dy, DeviceBuffer dyScale,
                                         DeviceBuffer xScale, DeviceBuffer shift, DeviceBuffer dx,
                                         int batch, int channels, int spatial) {
        run(d -> d.channelNormalizeBackward(in(x, "x"), in(center, "center"), in(dy, "dy"), in(dyScale, "dyScale"),
                in(xScale, "xScale"), in(shift, "shift"), in(dx, "dx"), batch, channels, spatial));
    }

    @Override
    public void evoNormForward(EvoNormKind kind, DeviceBuffer x, DeviceBuffer v, DeviceBuffer rowStat,
                               DeviceBuffer channelStat, DeviceBuffer u, int batch, int channels, int spatial,
                               int groups) {
        run(d -> d.evoNormForward(kind, in(x, "x"), in(v, "v"), in(rowStat, "rowStat"),
                in(channelStat, "channelStat"), in(u, "u"), batch, channels, spatial, groups));
    }

    @Override
    public void evoNormBackward(EvoNormKind kind, DeviceBuffer x, DeviceBuffer v, DeviceBuffer rowStat,
                                DeviceBuffer channelStat, DeviceBuffer g, DeviceBuffer dx, DeviceBuffer dvTerm,
                                DeviceBuffer rowTerm, DeviceBuffer channelTerm, int batch, int channels, int spatial,
                                int groups) {
        run(d -> d.evoNormBackward(kind, in(x, "x"), in(v, "v"), in(rowStat, "rowStat"),
                in(channelStat, "channelStat"), in(g, "g"), in(dx, "dx"), in(dvTerm, "dvTerm"),
                in(rowTerm, "rowTerm"), in(channelTerm, "channelTerm"), batch, channels, spatial, groups));
    }

    // Transformer ops: attention heads, batched products, causal softmax, cross-entropy, embeddings.

    @Override
    public void splitHeads(DeviceBuffer src, DeviceBuffer dst, int batch, int seq, int parts, int heads, int headDim) {
        run(d -> d.splitHeads(in(src, "src"), in(dst, "dst"), batch, seq, parts, heads, headDim));
    }

    @Override
    public void mergeHeads(DeviceBuffer src, DeviceBuffer dst, int batch, int seq, int parts, int heads, int headDim) {
        run(d -> d.mergeHeads(in(src, "src"), in(dst, "dst"), batch, seq, parts, heads, headDim));
    }

    @Override
    public void batchedMatmul(DeviceBuffer a, boolean transA, DeviceBuffer b, boolean transB, DeviceBuffer c,
                              int batch, int m, int k, int n, float alpha) {
        run(d -> d.batchedMatmul(in(a, "a"), transA, in(b, "b"), transB, in(c, "c"), batch, m, k, n, alpha));
    }

    @Override
    public void causalSoftmax(DeviceBuffer scores, DeviceBuffer probs, int rows, int seq) {
        run(d -> d.causalSoftmax(in(scores, "scores"), in(probs, "probs"), rows, seq));
    }

    @Override
    public void softmaxBackward(DeviceBuffer probs, DeviceBuffer dprobs, DeviceBuffer dscores, int rows, int cols) {
        run(d -> d.softmaxBackward(in(probs, "probs"), in(dprobs, "dprobs"), in(dscores, "dscores"), rows, cols));
    }

    @Override
    public void flowAttentionForward(DeviceBuffer qkv, DeviceBuffer out, DeviceBuffer saved, int bh, int seq,
                                     int headDim) {
        run(d -> d.flowAttentionForward(in(qkv, "qkv"), in(out, "out"), in(saved, "saved"), bh, seq, headDim));
    }

    @Override
    public void flowAttentionBackward(DeviceBuffer qkv, DeviceBuffer saved, DeviceBuffer dout, DeviceBuffer dqkv,
                                      int bh, int seq, int headDim) {
        run(d -> d.flowAttentionBackward(in(qkv, "qkv"), in(saved, "saved"), in(dout, "dout"), in(dqkv, "dqkv"), bh,
                seq, headDim));
    }

    @Override
    public void crossEntropy(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer losses, DeviceBuffer dlogits,
                             int rows, int classes, float gradScale) {
        run(d -> d.crossEntropy(in(logits, "logits"), in(targets, "targets"), in(losses, "losses"),
                in(dlogits, "dlogits"), rows, classes, gradScale));
    }

    @Override
    public void gatherRows(DeviceBuffer table, DeviceBuffer indices, DeviceBuffer out, int rows, int cols,
                           int tableRows, boolean accumulate) {
        run(d -> d.gatherRows(in(table, "table"), in(indices, "indices"), in(out, "out"), rows, cols, tableRows,
                accumulate));
    }

    @Override
    public void scatterAddRows(DeviceBuffer dout, DeviceBuffer indices, DeviceBuffer dtable, int rows, int cols,
                               int tableRows) {
        run(d -> d.scatterAddRows(in(dout, "dout"), in(indices, "indices"), in(dtable, "dtable"), rows, cols,
                tableRows));
    }
}
