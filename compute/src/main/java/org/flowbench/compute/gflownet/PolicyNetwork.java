package org.flowbench.compute.gflownet;

import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.nn.DenseLayers;
import org.flowbench.compute.nn.DenseStack;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A GFlowNet's forward policy and state flow: an MLP ({@link NetworkShape}, run as a
 * {@link DenseStack}) on a {@link ComputeDevice} whose output row holds the forward logits and the
 * log state flow of one state. The masked softmax over the logits is taken on the host
 * ({@link LogSpace#logSoftmax}), where the masks are. The forward pass keeps every layer's
 * pre-activation so that {@link #backward} forms the parameter gradients with the device's dense
 * and activation kernels.
 *
 * <p>All parameters sit in one device buffer, layer after layer: weights {@code [in*out]} (row i
 * holds the weights from input i) then bias {@code [out]}; the gradient buffer has the same
 * layout, so one Adam call updates everything. Not safe for concurrent use.
 */
public final class PolicyNetwork implements AutoCloseable {

    /** Rows per device call when evaluating many states; bounds workspace memory. */
    public static final int CHUNK = 4096;

    private final ComputeDevice device;
    private final NetworkShape shape;
    private final DenseStack layers;
    private boolean closed;

    private PolicyNetwork(ComputeDevice device, NetworkShape shape, float[] initial) {
        this.device = Objects.requireNonNull(device, "device");
        this.shape = Objects.requireNonNull(shape, "shape");
        int count = shape.parameterCount();
        if (initial.length != count) {
            throw new IllegalArgumentException("network " + shape.spec() + " has " + count + " parameters, got " + initial.length);
        }
        layers = new DenseStack(device, shape, initial);
    }

    /** PyTorch's {@code nn.Linear} default initialisation, uniform in +-1/sqrt(fan_in), from one seeded stream. */
    public static PolicyNetwork create(ComputeDevice device, NetworkShape shape, long seed) {
        return new PolicyNetwork(device, shape, initialParameters(shape, seed));
    }

    public static PolicyNetwork withParameters(ComputeDevice device, NetworkShape shape, float[] parameters) {
        return new PolicyNetwork(device, shape, parameters);
    }

    public static float[] initialParameters(NetworkShape shape, long seed) {
        return DenseLayers.pytorchInitialParameters(shape, seed);
    }

    public NetworkShape shape() {
        return shape;
    }

    public ComputeDevice device() {
        return device;
    }

    public DeviceBuffer parameters() {
        return layers.parameters();
    }

    public DeviceBuffer gradients() {
        return layers.gradients();
    }

    public float[] parameterValues() {
        return layers.parameterValues();
    }

    public void setParameterValues(float[] values) {
        layers.setParameterValues(values);
    }

    public float[] gradientValues() {
        return layers.gradientValues();
    }

    /**
     * Forward pass over {@code n} encoded states, keeping activations for {@link #backward}.
     *
     * @param x   {@code [n*inputs]}
     * @param out {@code [n*(actions+1)]}, written: logits then log flow per row
     */
    public void forward(float[] x, int n, float[] out) {
        checkOpen();
        if (n < 1) {
            throw new IllegalArgumentException("batch must have at least one row, got " + n);
        }
        device.download(layers.forward(x, n), 0, out, 0, n * shape.outputs());
    }

    /** Forward in chunks of {@link #CHUNK} rows, for evaluating many states; leaves nothing for backward. */
    public void evaluate(float[] x, int n, float[] out) {
        int inW = shape.inputs();
        int outW = shape.outputs();
        if (n <= CHUNK) {
            forward(x, n, out);
            layers.discardActivations();
            return;
        }
        float[] xc = new float[CHUNK * inW];
        float[] oc = new float[CHUNK * outW];
        for (int start = 0; start < n; start += CHUNK) {
            int rows = Math.min(CHUNK, n - start);
            System.arraycopy(x, start * inW, xc, 0, rows * inW);
            forward(xc, rows, oc);
            System.arraycopy(oc, 0, out, start * outW, rows * outW);
        }
        layers.discardActivations();
    }

    /**
     * Parameter gradients given {@code dOut // [n*(actions+1)]}, the loss gradient with respect to
     * the last forward pass's output; written to {@link #gradients()} (overwritten).
     */
    public void backward(float[] dOut, int n) {
        checkOpen();
        layers.backward(dOut, n);
    }

    /** The parameters as {@code net.<2l>.weight [out, in]} and {@code net.<2l>.bias [out]}, PyTorch's Sequential names. */
    public List<Tensor> toTensors() {
        return toTensors(shape, parameterValues());
    }

    public static List<Tensor> toTensors(NetworkShape shape, float[] flat) {
        return DenseStack.toTensors(shape, flat);
    }

    /** The flat parameters from tensors named as {@link #toTensors} names them; shapes are checked first. */
    public static float[] fromTensors(NetworkShape shape, Map<String, Tensor> tensors) {
        return DenseStack.fromTensors(shape, tensors);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("network was closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        layers.close();
        closed = true;
    }
}
