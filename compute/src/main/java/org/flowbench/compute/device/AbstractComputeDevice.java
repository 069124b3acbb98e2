package org.flowbench.compute.device;

/**
 * Checks every argument of every {@link ComputeDevice} call once, with messages that name the
 * argument, then hands typed buffers to the device's implementation. Devices extend this class
 * and implement the {@code do...} methods, which may assume valid shapes and live buffers.
 *
 * @param <B> the device's buffer type
 */
public abstract class AbstractComputeDevice<B extends AbstractDeviceBuffer> implements ComputeDevice {

    private final Class<B> bufferType;

    protected AbstractComputeDevice(Class<B> bufferType) {
        this.bufferType = bufferType;
    }

    // ----------------------------------------------------------------------------------------
    // Checks

    /** The buffer as this device's type; fails when it is null, foreign or freed. */
    protected final B own(DeviceBuffer buffer, String what) {
        if (buffer == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (buffer.device() != this || !bufferType.isInstance(buffer)) {
            throw new IllegalArgumentException(what + " belongs to device " + buffer.device().name() + ", not " + name());
        }
        if (buffer.isFreed()) {
            throw new IllegalArgumentException(what + " was freed");
        }
        return bufferType.cast(buffer);
    }

    /** Like {@link #own} but null stays null. */
    protected final B ownOrNull(DeviceBuffer buffer, String what) {
        return buffer == null ? null : own(buffer, what);
    }

    /** The buffer as this device's type, holding exactly {@code floats} floats. */
    protected final B own(DeviceBuffer buffer, String what, long floats) {
        B b = own(buffer, what);
        if (b.length() != floats) {
            throw new IllegalArgumentException(what + " has " + b.length() + " floats but the shape needs " + floats);
        }
        return b;
    }

    /** Like {@link #own(DeviceBuffer, String, long)} but null stays null. */
    protected final B ownOrNull(DeviceBuffer buffer, String what, long floats) {
        return buffer == null ? null : own(buffer, what, floats);
    }

    /** Fails, naming {@code what}, when a non-buffer argument is null. */
    private static void present(Object value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null");
        }
    }

    private static void positive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }

    private static long product(int a, int b, String what) {
        long p = (long) a * b;
        if (p > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " of " + a + " x " + b + " floats is larger than one buffer can hold");
        }
        return p;
    }

    /**
     * Floats of a [rows, cols] matrix named {@code what}: rows and cols (named {@code colsName}) at
     * least 1 and their product within one buffer, checked in that order.
     */
    private static long matrixFloats(int rows, int cols, String colsName, String what) {
        positive(rows, "rows");
        positive(cols, colsName);
        return product(rows, cols, what);
    }

    private static void finite(float value, String what) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be finite, got " + value);
        }
    }

    private static void positiveEps(float eps) {
        if (!(eps > 0) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be positive and finite, got " + eps);
        }
    }

    private static void distinct(DeviceBuffer a, DeviceBuffer b, String what) {
        if (a != null && b != null) {
            AbstractDeviceBuffer x = (AbstractDeviceBuffer) a;
            AbstractDeviceBuffer y = (AbstractDeviceBuffer) b;
            boolean overlap = x.root() == y.root() && x.offset() < y.offset() + y.length()
                    && y.offset() < x.offset() + x.length();
            if (overlap) {
                throw new IllegalArgumentException(what);
            }
        }
    }

    /** {@link #distinct} of {@code out} and each of {@code inputs} in turn, all with one message. */
    @SafeVarargs
    private static <T extends AbstractDeviceBuffer> void distinctFromAll(T out, String what, T... inputs) {
        for (T input : inputs) {
            distinct(out, input, what);
        }
    }

    /** An element-wise output may be exactly an input, but must not partly overlap it. */
    private static void sameOrDisjoint(DeviceBuffer out, DeviceBuffer in, String what) {
        if (out != null && in != null) {
            AbstractDeviceBuffer o = (AbstractDeviceBuffer) out;
            AbstractDeviceBuffer i = (AbstractDeviceBuffer) in;
            boolean same = o.root() == i.root() && o.offset() == i.offset() && o.length() == i.length();
            if (!same) {
                distinct(o, i, what + " partly overlaps the output");
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Buffers

    @Override
    public final DeviceBuffer allocate(int floats) {
        if (floats < 0) {
            throw new IllegalArgumentException("cannot allocate " + floats + " floats");
        }
        return doAllocate(floats);
    }

    @Override
    public final void upload(float[] src, int srcOffset, DeviceBuffer dst, int dstOffset, int length) {
        B d = own(dst, "upload destination");
        checkRange(src.length, srcOffset, length, "upload source");
        checkRange(d.length(), dstOffset, length, "upload destination");
        if (length > 0) {
            doUpload(src, srcOffset, d, dstOffset, length);
        }
    }

    @Override
    public final void download(DeviceBuffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        B s = own(src, "download source");
        checkRange(s.length(), srcOffset, length, "download source");
        checkRange(dst.length, dstOffset, length, "download destination");
        if (length > 0) {
            doDownload(s, srcOffset, dst, dstOffset, length);
        }
    }

    private static void checkRange(int capacity, int offset, int length, String what) {
        if (offset < 0 || length < 0 || offset > capacity - length) {
            throw new IllegalArgumentException(what + ": range [" + offset + ", " + ((long) offset + length)
                    + ") is outside its " + capacity + " floats");
        }
    }

    @Override
    public final void free(DeviceBuffer buffer) {
        if (buffer == null) {
            return;
        }
        if (buffer.device() != this || !bufferType.isInstance(buffer)) {
            throw new IllegalArgumentException("buffer belongs to device " + buffer.device().name() + ", not " + name());
        }
        B b = bufferType.cast(buffer);
        if (!b.isRoot()) {
            throw new IllegalArgumentException("a slice cannot be freed; free the buffer it was cut from");
        }
        if (b.markFreed()) {
            doFree(b);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Element-wise

    @Override
    public final void fill(DeviceBuffer x, float value) {
        B b = own(x, "x");
        if (b.length() > 0) {
            doFill(b, value);
        }
    }

    @Override
    public final void copy(DeviceBuffer src, DeviceBuffer dst) {
        B d = own(dst, "dst");
        B s = own(src, "src", d.length());
        sameOrDisjoint(d, s, "src");
        if (d.length() > 0 && s != d) {
            doCopy(s, d);
        }
    }

    @Override
    public final void copyColumns(DeviceBuffer src, int srcCols, int srcCol, DeviceBuffer dst, int dstCols, int dstCol,
                                  int rows, int width) {
        positive(rows, "rows");
        positive(width, "width");
        positive(srcCols, "srcCols");
        positive(dstCols, "dstCols");
        if (srcCol < 0 || srcCol > srcCols - width) {
            throw new IllegalArgumentException("columns [" + srcCol + ", " + (srcCol + width) + ") are outside the "
                    + srcCols + " source columns");
        }
        if (dstCol < 0 || dstCol > dstCols - width) {
            throw new IllegalArgumentException("columns [" + dstCol + ", " + (dstCol + width) + ") are outside the "
                    + dstCols + " destination columns");
        }
        B s = own(src, "src", product(rows, srcCols, "src"));
        B d = own(dst, "dst", product(rows, dstCols, "dst"));
        distinct(s, d, "copyColumns needs different source and destination buffers");
        doCopyColumns(s, srcCols, srcCol, d, dstCols, dstCol, rows, width);
    }

    @Override
    public final void axpby(float a, DeviceBuffer x, float b, DeviceBuffer y, DeviceBuffer out) {
        finite(a, "a");
        finite(b, "b");
        elementwise(x, "x", y, "y", out, (xb, yb, o) -> doAxpby(a, xb, b, yb, o));
    }

    @Override
    public final void multiply(DeviceBuffer x, DeviceBuffer y, DeviceBuffer out) {
        elementwise(x, "x", y, "y", out, this::doMultiply);
    }

    /** An element-wise op of two checked inputs into a checked output. */
    @FunctionalInterface
    private interface ElementwiseOp<B> {
        void run(B x, B y, B out);
    }

    /**
     * Checks an element-wise op's output and its two inputs (each as long as the output, and each
     * the output itself or apart from it), then runs it unless the output is empty.
     */
    private void elementwise(DeviceBuffer x, String xName, DeviceBuffer y, String yName, DeviceBuffer out,
                             ElementwiseOp<B> op) {
        B o = own(out, "out");
        B xb = own(x, xName, o.length());
        B yb = own(y, yName, o.length());
        sameOrDisjoint(o, xb, xName);
        sameOrDisjoint(o, yb, yName);
        if (o.length() > 0) {
            op.run(xb, yb, o);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Dense

    @Override
    public final void denseForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, DeviceBuffer y,
                                   int rows, int in, int out) {
        dense(x, w, bias, null, null, y, rows, in, out);
    }

    @Override
    public final void denseForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, Activation f, DeviceBuffer z,
                                   DeviceBuffer y, int rows, int in, int out) {
        present(f, "activation");
        dense(x, w, bias, f, z, y, rows, in, out);
    }

    @Override
    public final void denseForwardResidual(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, DeviceBuffer residual,
                                           DeviceBuffer z, DeviceBuffer y, int rows, int in, int out) {
        denseShape(rows, in, out);
        B rb = own(residual, "residual", product(rows, out, "residual"));
        B yb = own(y, "y", product(rows, out, "y"));
        B zb = ownOrNull(z, "z", product(rows, out, "z"));
        distinct(yb, rb, "y must not overlap residual");
        distinct(zb, rb, "z must not overlap residual");
        // The product's own checks (x, w, bias against y and z), without running it.
        B xb = own(x, "x", product(rows, in, "x"));
        B wb = own(w, "w", product(in, out, "w"));
        B bb = ownOrNull(bias, "bias", out);
        for (B input : java.util.Arrays.asList(xb, wb, bb)) {
            distinct(yb, input, "y must not overlap x, w or bias");
            distinct(zb, input, "z must not overlap x, w or bias");
        }
        distinct(yb, zb, "y must not overlap z");
        doDenseForwardResidual(xb, wb, bb, rb, zb, yb, rows, in, out);
    }

    /** A dense layer's sides, x [rows, in] times w [in, out], each at least 1. */
    private static void denseShape(int rows, int in, int out) {
        positive(rows, "rows");
        positive(in, "in");
        positive(out, "out");
    }

    /** Checks a dense layer's operands, then runs it plain ({@code f} null) or with its activation. */
    private void dense(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, Activation f, DeviceBuffer z, DeviceBuffer y,
                       int rows, int in, int out) {
        denseShape(rows, in, out);
        B xb = own(x, "x", product(rows, in, "x"));
        B wb = own(w, "w", product(in, out, "w"));
        B bb = ownOrNull(bias, "bias", out);
        B yb = own(y, "y", product(rows, out, "y"));
        B zb = ownOrNull(z, "z", product(rows, out, "z"));
        distinct(yb, xb, "y must not overlap x");
        distinct(yb, wb, "y must not overlap w");
        distinct(yb, bb, "y must not overlap bias");
        distinct(yb, zb, "y must not overlap z");
        distinct(zb, xb, "z must not overlap x");
        distinct(zb, wb, "z must not overlap w");
        distinct(zb, bb, "z must not overlap bias");
        if (f == null) {
            doDenseForward(xb, wb, bb, yb, rows, in, out);
        } else {
            doDenseForward(xb, wb, bb, f, zb, yb, rows, in, out);
        }
    }

    @Override
    public final void denseBackward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer dy, DeviceBuffer dx, DeviceBuffer dw,
                                    DeviceBuffer db, int rows, int in, int out) {
        denseShape(rows, in, out);
        B xb = own(x, "x", product(rows, in, "x"));
        B wb = own(w, "w", product(in, out, "w"));
        B dyb = own(dy, "dy", product(rows, out, "dy"));
        B dxb = ownOrNull(dx, "dx", product(rows, in, "dx"));
        B dwb = ownOrNull(dw, "dw", product(in, out, "dw"));
        B dbb = ownOrNull(db, "db", out);
        for (B input : java.util.Arrays.asList(xb, wb, dyb)) {
            distinct(dxb, input, "dx must not overlap x, w or dy");
            distinct(dwb, input, "dw must not overlap x, w or dy");
            distinct(dbb, input, "db must not overlap x, w or dy");
        }
        if (dxb != null || dwb != null || dbb != null) {
            doDenseBackward(xb, wb, dyb, dxb, dwb, dbb, rows, in, out);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Activations

    @Override
    public final void activate(Activation f, DeviceBuffer x, DeviceBuffer y) {
        present(f, "activation");
        B yb = own(y, "y");
        B xb = own(x, "x", yb.length());
        sameOrDisjoint(yb, xb, "x");
        if (yb.length() > 0) {
            doActivate(f, xb, yb);
        }
    }

    @Override
    public final void activateBackward(Activation f, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx) {
        activationGradient(f, x, false, null, dy, dx);
    }

    @Override
    public final void activateBackward(Activation f, DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
        activationGradient(f, x, true, y, dy, dx);
    }

    /** Checks an activation gradient's operands ({@code y} only {@code withOutput}), then runs it. */
    private void activationGradient(Activation f, DeviceBuffer x, boolean withOutput, DeviceBuffer y, DeviceBuffer dy,
                                    DeviceBuffer dx) {
        present(f, "activation");
        B dxb = own(dx, "dx");
        B xb = own(x, "x", dxb.length());
        B yb = withOutput ? own(y, "y", dxb.length()) : null;
        B dyb = own(dy, "dy", dxb.length());
        distinct(dxb, xb, "dx must not overlap x (it may be dy)");
        distinct(dxb, yb, "dx must not overlap y (it may be dy)");
        sameOrDisjoint(dxb, dyb, "dy");
        if (dxb.length() == 0) {
            return;
        }
        if (withOutput) {
            doActivateBackward(f, xb, yb, dyb, dxb);
        } else {
            doActivateBackward(f, xb, dyb, dxb);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Norms

    /** Floats of a norm's input x [rows, cols], checked with its eps (rows, cols, eps, then the size). */
    private static long normRowsFloats(int rows, int cols, float eps) {
        positive(rows, "rows");
        positive(cols, "cols");
        positiveEps(eps);
        return product(rows, cols, "x");
    }

    @Override
    public final void layerNormForward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y,
                                       DeviceBuffer mean, DeviceBuffer rstd, int rows, int cols, float eps) {
        long n = normRowsFloats(rows, cols, eps);
        B xb = own(x, "x", n);
        B gb = ownOrNull(gamma, "gamma", cols);
        B bb = ownOrNull(beta, "beta", cols);
        B yb = own(y, "y", n);
        B mb = own(mean, "mean", rows);
        B rb = own(rstd, "rstd", rows);
        distinct(mb, rb, "mean and rstd must be different buffers");
        sameOrDisjoint(yb, xb, "x");
        doLayerNormForward(xb, gb, bb, yb, mb, rb, rows, cols, eps);
    }

    @Override
    public final void layerNormBackward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer mean, DeviceBuffer rstd,
                                        DeviceBuffer dy, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta,
                                        int rows, int cols) {
        long n = matrixFloats(rows, cols, "cols", "x");
        B xb = own(x, "x", n);
        B gb = ownOrNull(gamma, "gamma", cols);
        B mb = own(mean, "mean", rows);
        B rb = own(rstd, "rstd", rows);
        B dyb = own(dy, "dy", n);
        B dxb = ownOrNull(dx, "dx", n);
        B dgb = ownOrNull(dgamma, "dgamma", cols);
        B dbb = ownOrNull(dbeta, "dbeta", cols);
        distinct(dxb, xb, "dx must not overlap x (it may be dy)");
        if (dxb != null || dgb != null || dbb != null) {
            doLayerNormBackward(xb, gb, mb, rb, dyb, dxb, dgb, dbb, rows, cols);
        }
    }

    @Override
    public final void rmsNormForward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer y, DeviceBuffer rrms,
                                     int rows, int cols, float eps) {
        long n = normRowsFloats(rows, cols, eps);
        B xb = own(x, "x", n);
        B gb = ownOrNull(gamma, "gamma", cols);
        B yb = own(y, "y", n);
        B rb = own(rrms, "rrms", rows);
        sameOrDisjoint(yb, xb, "x");
        doRmsNormForward(xb, gb, yb, rb, rows, cols, eps);
    }

    @Override
    public final void rmsNormBackward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer rrms, DeviceBuffer dy,
                                      DeviceBuffer dx, DeviceBuffer dgamma, int rows, int cols) {
        long n = matrixFloats(rows, cols, "cols", "x");
        B xb = own(x, "x", n);
        B gb = ownOrNull(gamma, "gamma", cols);
        B rb = own(rrms, "rrms", rows);
        B dyb = own(dy, "dy", n);
        B dxb = ownOrNull(dx, "dx", n);
        B dgb = ownOrNull(dgamma, "dgamma", cols);
        distinct(dxb, xb, "dx must not overlap x (it may be dy)");
        if (dxb != null || dgb != null) {
            doRmsNormBackward(xb, gb, rb, dyb, dxb, dgb, rows, cols);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Reductions

    @Override
    public final void reduceRows(RowReduction reduction, DeviceBuffer x, DeviceBuffer out, int rows, int cols) {
        present(reduction, "reduction");
        B xb = own(x, "x", matrixFloats(rows, cols, "cols", "x"));
        B ob = own(out, "out", rows);
        distinct(ob, xb, "out must not overlap x");
        doReduceRows(reduction, xb, ob, rows, cols);
    }

    // ----------------------------------------------------------------------------------------
    // ODE updates

    @Override
    public final void eulerStep(DeviceBuffer x, DeviceBuffer v, float h, DeviceBuffer out) {
        finite(h, "h");
        elementwise(x, "x", v, "v", out, (xb, vb, o) -> doAxpby(1f, xb, h, vb, o));
    }

    @Override
    public final void heunStep(DeviceBuffer x, DeviceBuffer v1, DeviceBuffer v2, float h, DeviceBuffer out) {
        finite(h, "h");
        B o = own(out, "out");
        B xb = own(x, "x", o.length());
        B a = own(v1, "v1", o.length());
        B b = own(v2, "v2", o.length());
        sameOrDisjointAll(o, xb, a, b);
        if (o.length() > 0) {
            doHeunStep(xb, a, b, h, o);
        }
    }

    @Override
    public final void rk4Step(DeviceBuffer x, DeviceBuffer k1, DeviceBuffer k2, DeviceBuffer k3, DeviceBuffer k4,
                              float h, DeviceBuffer out) {
        finite(h, "h");
        B o = own(out, "out");
        B xb = own(x, "x", o.length());
        B a = own(k1, "k1", o.length());
        B b = own(k2, "k2", o.length());
        B c = own(k3, "k3", o.length());
        B d = own(k4, "k4", o.length());
        sameOrDisjointAll(o, xb, a, b, c, d);
        if (o.length() > 0) {
            doRk4Step(xb, a, b, c, d, h, o);
        }
    }

    /** {@link #sameOrDisjoint} of an ODE update's output and each of its inputs, named together. */
    @SafeVarargs
    private static <T extends AbstractDeviceBuffer> void sameOrDisjointAll(T out, T... inputs) {
        for (T input : inputs) {
            sameOrDisjoint(out, input, "an input");
        }
    }

    // ----------------------------------------------------------------------------------------
    // Adam

    @Override
    public final void adamStep(DeviceBuffer params, DeviceBuffer grads, DeviceBuffer m, DeviceBuffer v,
                               float lr, float beta1, float beta2, float eps, int step) {
        adam(params, grads, m, v, null, 1f, lr, beta1, beta2, eps, step);
    }

    @Override
    public final void adamWStep(DeviceBuffer params, DeviceBuffer grads, DeviceBuffer m, DeviceBuffer v,
                                DeviceBuffer decays, float keep, float lr, float beta1, float beta2, float eps,
                                int step) {
        if (decays == null) {
            throw new IllegalArgumentException("decays must not be null (adamStep is AdamW without decay)");
        }
        if (!Float.isFinite(keep)) {
            throw new IllegalArgumentException("keep (1 - lr * weight decay) must be finite, got " + keep);
        }
        adam(params, grads, m, v, decays, keep, lr, beta1, beta2, eps, step);
    }

    private void adam(DeviceBuffer params, DeviceBuffer grads, DeviceBuffer m, DeviceBuffer v, DeviceBuffer decays,
                      float keep, float lr, float beta1, float beta2, float eps, int step) {
        if (!(lr >= 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and not negative, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        positiveEps(eps);
        positive(step, "step");
        B p = own(params, "params");
        B g = own(grads, "grads", p.length());
        B mb = own(m, "m", p.length());
        B vb = own(v, "v", p.length());
        distinct(mb, vb, "m and v must be different buffers");
        distinct(p, mb, "params and m must be different buffers");
        distinct(p, vb, "params and v must be different buffers");
        B mask = null;
        if (decays != null) {
            mask = own(decays, "decays", p.length());
            distinct(p, mask, "params and decays must be different buffers");
            distinct(mb, mask, "m and decays must be different buffers");
            distinct(vb, mask, "v and decays must be different buffers");
        }
        if (p.length() > 0) {
            // Bias corrections in double: beta^t underflows gracefully and 1 - beta^t keeps its digits.
            float c1 = (float) (1.0 - Math.pow(beta1, step));
            float c2 = (float) (1.0 - Math.pow(beta2, step));
            doAdamStep(p, g, mb, vb, mask, keep, lr, beta1, beta2, eps, c1, c2);
        }
    }

    @Override
    public String toString() {
        return name();
    }

    // ----------------------------------------------------------------------------------------
    // What a device implements

    protected abstract B doAllocate(int floats);

    protected abstract void doUpload(float[] src, int srcOffset, B dst, int dstOffset, int length);

    protected abstract void doDownload(B src, int srcOffset, float[] dst, int dstOffset, int length);

    protected abstract void doFree(B buffer);

    protected abstract void doFill(B x, float value);

    protected abstract void doCopy(B src, B dst);

    protected abstract void doCopyColumns(B src, int srcCols, int srcCol, B dst, int dstCols, int dstCol,
                                          int rows, int width);

    protected abstract void doAxpby(float a, B x, float b, B y, B out);

    protected abstract void doMultiply(B x, B y, B out);

    protected abstract void doDenseForward(B x, B w, B bias, B y, int rows, int in, int out);

    /** Dense layer added to a residual; by default the product into z (or y) and an axpby. {@code z} may be null. */
    protected void doDenseForwardResidual(B x, B w, B bias, B residual, B z, B y, int rows, int in, int out) {
        B layer = z != null ? z : y;
        doDenseForward(x, w, bias, layer, rows, in, out);
        doAxpby(1f, residual, 1f, layer, y);
    }

    /** Dense layer then activation; by default two passes. {@code z} may be null. */
    protected void doDenseForward(B x, B w, B bias, Activation f, B z, B y, int rows, int in, int out) {
        if (z != null) {
            doDenseForward(x, w, bias, z, rows, in, out);
            doActivate(f, z, y);
        } else {
            doDenseForward(x, w, bias, y, rows, in, out);
            doActivate(f, y, y);
        }
    }

    protected abstract void doDenseBackward(B x, B w, B dy, B dx, B dw, B db, int rows, int in, int out);

    protected abstract void doActivate(Activation f, B x, B y);

    protected abstract void doActivateBackward(Activation f, B x, B dy, B dx);

    /** Backward with the forward output at hand; by default the output is not needed. */
    protected void doActivateBackward(Activation f, B x, B y, B dy, B dx) {
        doActivateBackward(f, x, dy, dx);
    }

    protected abstract void doLayerNormForward(B x, B gamma, B beta, B y, B mean, B rstd, int rows, int cols, float eps);

    protected abstract void doLayerNormBackward(B x, B gamma, B mean, B rstd, B dy, B dx, B dgamma, B dbeta,
                                                int rows, int cols);

    protected abstract void doRmsNormForward(B x, B gamma, B y, B rrms, int rows, int cols, float eps);

    protected abstract void doRmsNormBackward(B x, B gamma, B rrms, B dy, B dx, B dgamma, int rows, int cols);

    protected abstract void doReduceRows(RowReduction reduction, B x, B out, int rows, int cols);

    protected abstract void doHeunStep(B x, B v1, B v2, float h, B out);

    protected abstract void doRk4Step(B x, B k1, B k2, B k3, B k4, float h, B out);

    /**
     * Adam with the bias corrections {@code c1 = 1 - beta1^t}, {@code c2 = 1 - beta2^t}
     * precomputed; where {@code decays} (null: nowhere) is non-zero, p is first multiplied by keep.
     */
    protected abstract void doAdamStep(B params, B grads, B m, B v, B decays, float keep, float lr, float beta1,
                                       float beta2, float eps, float c1, float c2);

    // Channel statistics and batch-style normalisation.

    /** Floats of a [batch, channels, spatial] tensor, checked to fit one buffer. */
    private static long tensorFloats(int batch, int channels, int spatial) {
        positive(batch, "batch");
        positive(channels, "channels");
        positive(spatial, "spatial");
        long n = (long) batch * channels * spatial;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a tensor of " + batch + " x " + channels + " x " + spatial
                    + " floats is larger than one buffer can hold");
        }
        return n;
    }

    @Override
    public final void channelMoments(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer var, int batch, int channels,
                                     int spatial) {
        long n = tensorFloats(batch, channels, spatial);
        B xb = own(x, "x", n);
        B mb = own(mean, "mean", channels);
        B vb = own(var, "var", channels);
        distinct(mb, vb, "mean and var must be different buffers");
        distinct(mb, xb, "mean must not overlap x");
        distinct(vb, xb, "var must not overlap x");
        doChannelMoments(xb, mb, vb, batch, channels, spatial);
    }

    @Override
    public final void channelNormalize(DeviceBuffer x, DeviceBuffer center, DeviceBuffer scale, DeviceBuffer shift,
                                       DeviceBuffer y, int batch, int channels, int spatial) {
        long n = tensorFloats(batch, channels, spatial);
        B xb = own(x, "x", n);
        B cb = ownOrNull(center, "center", channels);
        B sb = own(scale, "scale", channels);
        B hb = ownOrNull(shift, "shift", channels);
        B yb = own(y, "y", n);
        sameOrDisjoint(yb, xb, "x");
        distinct(yb, cb, "y must not overlap center");
        distinct(yb, sb, "y must not overlap scale");
        distinct(yb, hb, "y must not overlap shift");
        doChannelNormalize(xb, cb, sb, hb, yb, batch, channels, spatial);
    }

    @Override
    public final void channelGradientSums(DeviceBuffer x, DeviceBuffer center, DeviceBuffer dy, DeviceBuffer sumDy,
                                          DeviceBuffer sumDyX, int batch, int channels, int spatial) {
        long n = tensorFloats(batch, channels, spatial);
        B xb = own(x, "x", n);
        B cb = ownOrNull(center, "center", channels);
        B dyb = own(dy, "dy", n);
        B sdb = ownOrNull(sumDy, "sumDy", channels);
        B sxb = ownOrNull(sumDyX, "sumDyX", channels);
        distinct(sdb, sxb, "sumDy and sumDyX must be different buffers");
        for (B input : java.util.Arrays.asList(xb, cb, dyb)) {
            distinct(sdb, input, "sumDy must not overlap x, center or dy");
            distinct(sxb, input, "sumDyX must not overlap x, center or dy");
        }
        if (sdb != null || sxb != null) {
            doChannelGradientSums(xb, cb, dyb, sdb, sxb, batch, channels, spatial);
        }
    }

    @Override
    public final void channelNormalizeBackward(DeviceBuffer x, DeviceBuffer center, DeviceBuffer dy,
                                               DeviceBuffer dyScale, DeviceBuffer xScale, DeviceBuffer shift,
                                               DeviceBuffer dx, int batch, int channels, int spatial) {
        long n = tensorFloats(batch, channels, spatial);
        B xb = own(x, "x", n);
        B cb = ownOrNull(center, "center", channels);
        B dyb = own(dy, "dy", n);
        B ab = own(dyScale, "dyScale", channels);
        B bb = ownOrNull(xScale, "xScale", channels);
        B hb = ownOrNull(shift, "shift", channels);
        B dxb = own(dx, "dx", n);
        sameOrDisjoint(dxb, xb, "x");
        sameOrDisjoint(dxb, dyb, "dy");
        distinctFromAll(dxb, "dx must not overlap center, dyScale, xScale or shift", cb, ab, bb, hb);
        doChannelNormalizeBackward(xb, cb, dyb, ab, bb, hb, dxb, batch, channels, spatial);
    }

    /** Checks an EvoNorm call's kind, groups and statistics; returns the number of rows. */
    private static int evoNormRows(EvoNormKind kind, int batch, int channels, int groups) {
        present(kind, "EvoNorm kind");
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException("groups must be at least 1 and divide the " + channels
                    + " channels, got " + groups);
        }
        return Math.multiplyExact(batch, groups);
    }

    /** EvoNorm's inputs, which both passes read; {@code channelStat} is null for S0. */
    private record EvoNormInputs<T>(long floats, T x, T v, T rowStat, T channelStat) {
    }

    /** Checks an EvoNorm call's shape, kind and groups, then its inputs in that order. */
    private EvoNormInputs<B> evoNormInputs(EvoNormKind kind, DeviceBuffer x, DeviceBuffer v, DeviceBuffer rowStat,
                                           DeviceBuffer channelStat, int batch, int channels, int spatial,
                                           int groups) {
        long n = tensorFloats(batch, channels, spatial);
        int rows = evoNormRows(kind, batch, channels, groups);
        B xb = own(x, "x", n);
        B vb = own(v, "v", channels);
        B rb = own(rowStat, "rowStat", rows);
        B cb = kind == EvoNormKind.B0 ? own(channelStat, "channelStat", channels) : null;
        return new EvoNormInputs<>(n, xb, vb, rb, cb);
    }

    @Override
    public final void evoNormForward(EvoNormKind kind, DeviceBuffer x, DeviceBuffer v, DeviceBuffer rowStat,
                                     DeviceBuffer channelStat, DeviceBuffer u, int batch, int channels, int spatial,
                                     int groups) {
        EvoNormInputs<B> in = evoNormInputs(kind, x, v, rowStat, channelStat, batch, channels, spatial, groups);
        B ub = own(u, "u", in.floats());
        distinctFromAll(ub, "u must not overlap x, v, rowStat or channelStat", in.x(), in.v(), in.rowStat(),
                in.channelStat());
        doEvoNormForward(kind, in.x(), in.v(), in.rowStat(), in.channelStat(), ub, batch, channels, spatial, groups);
    }

    @Override
    public final void evoNormBackward(EvoNormKind kind, DeviceBuffer x, DeviceBuffer v, DeviceBuffer rowStat,
                                      DeviceBuffer channelStat, DeviceBuffer g, DeviceBuffer dx, DeviceBuffer dvTerm,
                                      DeviceBuffer rowTerm, DeviceBuffer channelTerm, int batch, int channels,
                                      int spatial, int groups) {
        EvoNormInputs<B> in = evoNormInputs(kind, x, v, rowStat, channelStat, batch, channels, spatial, groups);
        long n = in.floats();
        B gb = own(g, "g", n);
        B dxb = own(dx, "dx", n);
        B dvb = own(dvTerm, "dvTerm", n);
        B rtb = own(rowTerm, "rowTerm", n);
        B ctb = kind == EvoNormKind.B0 ? ownOrNull(channelTerm, "channelTerm", n) : null;
        if (kind == EvoNormKind.S0 && channelTerm != null) {
            throw new IllegalArgumentException("channelTerm must be null for EvoNorm-S0 (it has no batch statistic)");
        }
        sameOrDisjoint(dxb, gb, "g");
        java.util.List<B> outputs = java.util.Arrays.asList(dxb, dvb, rtb, ctb);
        for (int i = 0; i < outputs.size(); i++) {
            distinctFromAll(outputs.get(i), "the gradient terms must not overlap x, v, rowStat or channelStat",
                    in.x(), in.v(), in.rowStat(), in.channelStat());
            for (int j = i + 1; j < outputs.size(); j++) {
                distinct(outputs.get(i), outputs.get(j), "dx, dvTerm, rowTerm and channelTerm must be different buffers");
            }
            if (i > 0) {
                distinct(outputs.get(i), gb, "dvTerm, rowTerm and channelTerm must not overlap g");
            }
        }
        doEvoNormBackward(kind, in.x(), in.v(), in.rowStat(), in.channelStat(), gb, dxb, dvb, rtb, ctb, batch, channels,
                spatial, groups);
    }

    protected abstract void doChannelMoments(B x, B mean, B var, int batch, int channels, int spatial);

    protected abstract void doChannelNormalize(B x, B center, B scale, B shift, B y, int batch, int channels,
                                               int spatial);

    /** At least one of {@code sumDy} and {@code sumDyX} is not null. */
    protected abstract void doChannelGradientSums(B x, B center, B dy, B sumDy, B sumDyX, int batch, int channels,
                                                  int spatial);

    protected abstract void doChannelNormalizeBackward(B x, B center, B dy, B dyScale, B xScale, B shift, B dx,
                                                       int batch, int channels, int spatial);

    /** {@code channelStat} is null for S0. */
    protected abstract void doEvoNormForward(EvoNormKind kind, B x, B v, B rowStat, B channelStat, B u, int batch,
                                             int channels, int spatial, int groups);

    /** {@code channelStat} and {@code channelTerm} are null for S0; channelTerm may be null for B0. */
    protected abstract void doEvoNormBackward(EvoNormKind kind, B x, B v, B rowStat, B channelStat, B g, B dx,
                                              B dvTerm, B rowTerm, B channelTerm, int batch, int channels,
                                              int spatial, int groups);

    // Transformer ops: attention heads, batched products, causal softmax, cross-entropy, embeddings.

    @Override
    public final void splitHeads(DeviceBuffer src, DeviceBuffer dst, int batch, int seq, int parts, int heads,
                                 int headDim) {
        permuteHeads(src, dst, batch, seq, parts, heads, headDim, true);
    }

    @Override
    public final void mergeHeads(DeviceBuffer src, DeviceBuffer dst, int batch, int seq, int parts, int heads,
                                 int headDim) {
        permuteHeads(src, dst, batch, seq, parts, heads, headDim, false);
    }

    private void permuteHeads(DeviceBuffer src, DeviceBuffer dst, int batch, int seq, int parts, int heads,
                              int headDim, boolean split) {
        positive(batch, "batch");
        positive(seq, "seq");
        positive(parts, "parts");
        positive(heads, "heads");
        positive(headDim, "headDim");
        long n = (long) batch * seq * parts * heads * headDim;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("heads of " + n + " floats are larger than one buffer can hold");
        }
        B s = own(src, "src", n);
        B d = own(dst, "dst", n);
        distinct(s, d, "src and dst must not overlap");
        doPermuteHeads(s, d, batch, seq, parts, heads, headDim, split);
    }

    @Override
    public final void batchedMatmul(DeviceBuffer a, boolean transA, DeviceBuffer b, boolean transB, DeviceBuffer c,
                                    int batch, int m, int k, int n, float alpha) {
        positive(batch, "batch");
        positive(m, "m");
        positive(k, "k");
        positive(n, "n");
        finite(alpha, "alpha");
        B ab = own(a, "a", product(batch, (int) product(m, k, "a"), "a"));
        B bb = own(b, "b", product(batch, (int) product(k, n, "b"), "b"));
        B cb = own(c, "c", product(batch, (int) product(m, n, "c"), "c"));
        distinct(cb, ab, "c must not overlap a");
        distinct(cb, bb, "c must not overlap b");
        doBatchedMatmul(ab, transA, bb, transB, cb, batch, m, k, n, alpha);
    }

    @Override
    public final void causalSoftmax(DeviceBuffer scores, DeviceBuffer probs, int rows, int seq) {
        long len = matrixFloats(rows, seq, "seq", "scores");
        B s = own(scores, "scores", len);
        B p = own(probs, "probs", len);
        sameOrDisjoint(p, s, "scores");
        doCausalSoftmax(s, p, rows, seq);
    }

    @Override
    public final void softmaxBackward(DeviceBuffer probs, DeviceBuffer dprobs, DeviceBuffer dscores, int rows,
                                      int cols) {
        long len = matrixFloats(rows, cols, "cols", "probs");
        B p = own(probs, "probs", len);
        B dp = own(dprobs, "dprobs", len);
        B ds = own(dscores, "dscores", len);
        distinct(ds, p, "dscores must not overlap probs (it may be dprobs)");
        sameOrDisjoint(ds, dp, "dprobs");
        doSoftmaxBackward(p, dp, ds, rows, cols);
    }

    @Override
    public final void crossEntropy(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer losses,
                                   DeviceBuffer dlogits, int rows, int classes, float gradScale) {
        positive(rows, "rows");
        positive(classes, "classes");
        finite(gradScale, "gradScale");
        long len = product(rows, classes, "logits");
        B lg = own(logits, "logits", len);
        B t = own(targets, "targets", rows);
        B ls = own(losses, "losses", rows);
        B dl = ownOrNull(dlogits, "dlogits", len);
        distinct(ls, lg, "losses must not overlap logits");
        distinct(ls, t, "losses must not overlap targets");
        distinct(dl, t, "dlogits must not overlap targets");
        distinct(dl, ls, "dlogits must not overlap losses");
        sameOrDisjoint(dl, lg, "logits");
        doCrossEntropy(lg, t, ls, dl, rows, classes, gradScale);
    }

    @Override
    public final void flowAttentionForward(DeviceBuffer qkv, DeviceBuffer out, DeviceBuffer saved, int bh, int seq,
                                           int headDim) {
        long slab = flowAttentionSlab(bh, seq, headDim);
        B q = own(qkv, "qkv", 3 * slab);
        B o = own(out, "out", slab);
        B s = own(saved, "saved", flowAttentionSavedLength(bh, seq, headDim));
        distinct(o, q, "out must not overlap qkv");
        distinct(o, s, "out must not overlap saved");
        distinct(s, q, "saved must not overlap qkv");
        doFlowAttentionForward(q, o, s, bh, seq, headDim);
    }

    @Override
    public final void flowAttentionBackward(DeviceBuffer qkv, DeviceBuffer saved, DeviceBuffer dout,
                                            DeviceBuffer dqkv, int bh, int seq, int headDim) {
        long slab = flowAttentionSlab(bh, seq, headDim);
        B q = own(qkv, "qkv", 3 * slab);
        B s = own(saved, "saved", flowAttentionSavedLength(bh, seq, headDim));
        B d = own(dout, "dout", slab);
        B dq = own(dqkv, "dqkv", 3 * slab);
        distinct(dq, q, "dqkv must not overlap qkv");
        distinct(dq, s, "dqkv must not overlap saved");
        distinct(dq, d, "dqkv must not overlap dout");
        doFlowAttentionBackward(q, s, d, dq, bh, seq, headDim);
    }

    /** Floats of one of q, k, v; their three together must fit one buffer. */
    private static long flowAttentionSlab(int bh, int seq, int headDim) {
        positive(bh, "bh");
        positive(seq, "seq");
        positive(headDim, "headDim");
        long slab = (long) bh * seq * headDim;
        if (3 * slab > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("flow attention of " + bh + " x " + seq + " x " + headDim
                    + " heads is larger than one buffer can hold");
        }
        return slab;
    }

    private static long flowAttentionSavedLength(int bh, int seq, int headDim) {
        long saved = ComputeDevice.flowAttentionSavedFloats(bh, seq, headDim);
        if (saved > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the saved sums of flow attention of " + bh + " x " + seq + " x "
                    + headDim + " heads are larger than one buffer can hold");
        }
        return saved;
    }

    @Override
    public final void gatherRows(DeviceBuffer table, DeviceBuffer indices, DeviceBuffer out, int rows, int cols,
                                 int tableRows, boolean accumulate) {
        positive(rows, "rows");
        positive(cols, "cols");
        positive(tableRows, "tableRows");
        B tb = own(table, "table", product(tableRows, cols, "table"));
        B ib = own(indices, "indices", rows);
        B ob = own(out, "out", product(rows, cols, "out"));
        distinct(ob, tb, "out must not overlap table");
        distinct(ob, ib, "out must not overlap indices");
        doGatherRows(tb, ib, ob, rows, cols, tableRows, accumulate);
    }

    @Override
    public final void scatterAddRows(DeviceBuffer dout, DeviceBuffer indices, DeviceBuffer dtable, int rows,
                                     int cols, int tableRows) {
        positive(rows, "rows");
        positive(cols, "cols");
        positive(tableRows, "tableRows");
        B db = own(dout, "dout", product(rows, cols, "dout"));
        B ib = own(indices, "indices", rows);
        B tb = own(dtable, "dtable", product(tableRows, cols, "dtable"));
        distinct(tb, db, "dtable must not overlap dout");
        distinct(tb, ib, "dtable must not overlap indices");
        doScatterAddRows(db, ib, tb, rows, cols, tableRows);
    }

    /** {@link #splitHeads} when {@code split}, else {@link #mergeHeads}. */
    protected abstract void doPermuteHeads(B src, B dst, int batch, int seq, int parts, int heads, int headDim,
                                           boolean split);

    protected abstract void doBatchedMatmul(B a, boolean transA, B b, boolean transB, B c, int batch, int m, int k,
                                            int n, float alpha);

    protected abstract void doCausalSoftmax(B scores, B probs, int rows, int seq);

    protected abstract void doSoftmaxBackward(B probs, B dprobs, B dscores, int rows, int cols);

    /** {@link #flowAttentionForward}, shapes checked. */
    protected abstract void doFlowAttentionForward(B qkv, B out, B saved, int bh, int seq, int headDim);

    /** {@link #flowAttentionBackward}, shapes checked. */
    protected abstract void doFlowAttentionBackward(B qkv, B saved, B dout, B dqkv, int bh, int seq, int headDim);

    protected abstract void doCrossEntropy(B logits, B targets, B losses, B dlogits, int rows, int classes,
                                           float gradScale);

    protected abstract void doGatherRows(B table, B indices, B out, int rows, int cols, int tableRows,
                                         boolean accumulate);

    protected abstract void doScatterAddRows(B dout, B indices, B dtable, int rows, int cols, int tableRows);
}
