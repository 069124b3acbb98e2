package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What every layer shares: its device buffers (freed on close), parameters, mode, and the shape
 * of the last forward pass, which its backward pass must match.
 */
abstract class AbstractNormLayer implements NormLayer {

    protected final ComputeDevice device;
    protected final int channels;
    private final List<DeviceBuffer> owned = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private boolean training = true;
    private int forwardBatch = -1;
    private int forwardSpatial = -1;
    private boolean forwardTraining;
    private boolean closed;

    protected AbstractNormLayer(ComputeDevice device, int channels) {
        if (device == null) {
            throw new IllegalArgumentException("device is null");
        }
        if (channels < 1) {
            throw new IllegalArgumentException("a norm layer needs at least 1 channel, got " + channels);
        }
        this.device = device;
        this.channels = channels;
    }

    static float checkEps(double eps) {
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be positive and finite, got " + eps);
        }
        return (float) eps;
    }

    static double checkFraction(double value, String what) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], got " + value);
        }
        return value;
    }

    static int checkGroups(int channels, int groups) {
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException("groups must be at least 1 and divide the " + channels
                    + " channels, got " + groups);
        }
        return groups;
    }

    /**
     * A copy of {@code values} after checking that it holds one finite value per channel, and
     * none negative when {@code nonNegative} (a variance or quadratic mean).
     */
    protected final double[] checkedRunning(double[] values, String what, boolean nonNegative) {
        if (values == null || values.length != channels) {
            throw new IllegalArgumentException(what + " needs " + channels + " values, got "
                    + (values == null ? "none" : values.length));
        }
        for (int i = 0; i < channels; i++) {
            if (!Double.isFinite(values[i]) || (nonNegative && values[i] < 0)) {
                throw new IllegalArgumentException(what + " of channel " + i + " is " + values[i] + " (expected a "
                        + (nonNegative ? "finite value >= 0" : "finite value") + ")");
            }
        }
        return values.clone();
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    @Override
    public void setTraining(boolean training) {
        this.training = training;
    }

    @Override
    public boolean isTraining() {
        return training;
    }

    /** A zeroed device buffer this layer owns. */
    protected final DeviceBuffer buffer(int floats) {
        DeviceBuffer b = device.allocate(floats);
        owned.add(b);
        return b;
    }

    /** A trainable parameter of {@code floats} values set to {@code init}, with its gradient buffer. */
    protected final Parameter parameter(String name, int floats, float init) {
        DeviceBuffer value = buffer(floats);
        if (init != 0f) {
            device.fill(value, init);
        }
        Parameter p = new Parameter(name, value, buffer(floats));
        parameters.add(p);
        return p;
    }

    /** {@code old} when it holds {@code floats} floats already, else a new owned buffer (old is freed). */
    protected final DeviceBuffer resized(DeviceBuffer old, int floats) {
        if (old != null && old.length() == floats) {
            return old;
        }
        if (old != null) {
            owned.remove(old);
            device.free(old);
        }
        return buffer(floats);
    }

    protected final double[] read(DeviceBuffer b) {
        float[] f = device.download(b);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    protected final void write(double[] values, DeviceBuffer b) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        device.upload(f, b);
    }

    /** Records the shape and mode of a forward pass for the backward pass that follows. */
    protected final void forwardDone(int batch, int spatial) {
        forwardBatch = batch;
        forwardSpatial = spatial;
        forwardTraining = training;
    }

    /** Whether the last forward pass was in training mode; fails when it does not match this backward pass. */
    protected final boolean backwardOf(int batch, int spatial) {
        if (batch != forwardBatch || spatial != forwardSpatial) {
            throw new IllegalStateException(name() + " norm: backward of a " + batch + " x " + channels + " x " + spatial
                    + " batch needs a forward pass of that shape first"
                    + (forwardBatch < 0 ? "" : " (the last was " + forwardBatch + " x " + channels + " x "
                    + forwardSpatial + ")"));
        }
        return forwardTraining;
    }

    /** Values of one channel over batch and spatial. */
    protected static long perChannel(int batch, int spatial) {
        return (long) batch * spatial;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (DeviceBuffer b : owned) {
            device.free(b);
        }
        owned.clear();
    }
}
