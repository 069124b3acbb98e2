package org.flowbench.compute.gflownet;

import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A GFlowNet's forward policy and state flow: an MLP ({@link NetworkShape}) on a
 * {@link ComputeDevice} whose output row holds the forward logits and the log state flow of one
 * state. The masked softmax over the logits is taken on the host ({@link LogSpace#logSoftmax}),
 * where the masks are. The forward pass keeps every layer's pre-activation so that
 * {@link #backward} forms the parameter gradients with the device's dense and activation kernels.
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
    private final DeviceBuffer parameters;
    private final DeviceBuffer gradients;
    private final DeviceBuffer[] weights;
    private final DeviceBuffer[] biases;
    private final DeviceBuffer[] weightGradients;
    private final DeviceBuffer[] biasGradients;

    private int capacity;
    private DeviceBuffer input;
    private DeviceBuffer[] preActivation;
    private DeviceBuffer[] postActivation;
    private DeviceBuffer gradientA;
    private DeviceBuffer gradientB;
    private int forwardRows = -1;
    private boolean closed;

    private PolicyNetwork(ComputeDevice device, NetworkShape shape, float[] initial) {
        this.device = Objects.requireNonNull(device, "device");
        this.shape = Objects.requireNonNull(shape, "shape");
        int count = shape.parameterCount();
        if (initial.length != count) {
            throw new IllegalArgumentException("network " + shape.spec() + " has " + count + " parameters, got " + initial.length);
        }
        parameters = device.upload(initial);
        gradients = device.allocate(count);
        int layers = shape.layers();
        weights = new DeviceBuffer[layers];
        biases = new DeviceBuffer[layers];
        weightGradients = new DeviceBuffer[layers];
        biasGradients = new DeviceBuffer[layers];
        for (int l = 0; l < layers; l++) {
            int size = shape.fanIn(l) * shape.fanOut(l);
            weights[l] = parameters.slice(shape.weightOffset(l), size);
            biases[l] = parameters.slice(shape.biasOffset(l), shape.fanOut(l));
            weightGradients[l] = gradients.slice(shape.weightOffset(l), size);
            biasGradients[l] = gradients.slice(shape.biasOffset(l), shape.fanOut(l));
        }
    }

    /** PyTorch's {@code nn.Linear} default initialisation, uniform in +-1/sqrt(fan_in), from one seeded stream. */
    public static PolicyNetwork create(ComputeDevice device, NetworkShape shape, long seed) {
        return new PolicyNetwork(device, shape, initialParameters(shape, seed));
    }

    public static PolicyNetwork withParameters(ComputeDevice device, NetworkShape shape, float[] parameters) {
        return new PolicyNetwork(device, shape, parameters);
    }

    public static float[] initialParameters(NetworkShape shape, long seed) {
        return org.flowbench.compute.nn.DenseLayers.pytorchInitialParameters(shape, seed);
    }

    public NetworkShape shape() {
        return shape;
    }

    public ComputeDevice device() {
        return device;
    }

    public DeviceBuffer parameters() {
        return parameters;
    }

    public DeviceBuffer gradients() {
        return gradients;
    }

    public float[] parameterValues() {
        return device.download(parameters);
    }

    public void setParameterValues(float[] values) {
        device.upload(values, parameters);
    }

    public float[] gradientValues() {
        return device.download(gradients);
    }

    private void ensureCapacity(int rows) {
        if (rows <= capacity) {
            return;
        }
        freeWorkspace();
        int layers = shape.layers();
        capacity = rows;
        input = device.allocate(rows * shape.inputs());
        preActivation = new DeviceBuffer[layers];
        postActivation = new DeviceBuffer[layers - 1];
        for (int l = 0; l < layers; l++) {
            preActivation[l] = device.allocate(rows * shape.fanOut(l));
            if (l < layers - 1) {
                postActivation[l] = device.allocate(rows * shape.fanOut(l));
            }
        }
        gradientA = device.allocate(rows * shape.maxWidth());
        gradientB = device.allocate(rows * shape.maxWidth());
        forwardRows = -1;
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
        ensureCapacity(n);
        device.upload(x, 0, input, 0, n * shape.inputs());
        DeviceBuffer current = input.slice(0, n * shape.inputs());
        int layers = shape.layers();
        for (int l = 0; l < layers; l++) {
            int in = shape.fanIn(l);
            int width = shape.fanOut(l);
            DeviceBuffer z = preActivation[l].slice(0, n * width);
            if (l < layers - 1) {
                DeviceBuffer a = postActivation[l].slice(0, n * width);
                device.denseForward(current, weights[l], biases[l], shape.activation(), z, a, n, in, width);
                current = a;
            } else {
                device.denseForward(current, weights[l], biases[l], z, n, in, width);
                current = z;
            }
        }
        device.download(current, 0, out, 0, n * shape.outputs());
        forwardRows = n;
    }

    /** Forward in chunks of {@link #CHUNK} rows, for evaluating many states; leaves nothing for backward. */
    public void evaluate(float[] x, int n, float[] out) {
        int inW = shape.inputs();
        int outW = shape.outputs();
        if (n <= CHUNK) {
            forward(x, n, out);
            forwardRows = -1;
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
        forwardRows = -1;
    }

    /**
     * Parameter gradients given {@code dOut // [n*(actions+1)]}, the loss gradient with respect to
     * the last forward pass's output; written to {@link #gradients()} (overwritten).
     */
    public void backward(float[] dOut, int n) {
        checkOpen();
        if (n != forwardRows) {
            throw new IllegalStateException("backward over " + n + " rows needs a forward pass over the same rows first");
        }
        int layers = shape.layers();
        DeviceBuffer dy = gradientA.slice(0, n * shape.outputs());
        device.upload(dOut, 0, dy, 0, n * shape.outputs());
        DeviceBuffer spare = gradientB;
        DeviceBuffer held = gradientA;
        for (int l = layers - 1; l >= 0; l--) {
            int in = shape.fanIn(l);
            int width = shape.fanOut(l);
            DeviceBuffer layerInput = l == 0 ? input.slice(0, n * in) : postActivation[l - 1].slice(0, n * in);
            DeviceBuffer dx = l == 0 ? null : spare.slice(0, n * in);
            device.denseBackward(layerInput, weights[l], dy, dx, weightGradients[l], biasGradients[l], n, in, width);
            if (l > 0) {
                device.activateBackward(shape.activation(), preActivation[l - 1].slice(0, n * in),
                        postActivation[l - 1].slice(0, n * in), dx, dx);
                dy = dx;
                DeviceBuffer swap = held;
                held = spare;
                spare = swap;
            }
        }
    }

    /** The parameters as {@code net.<2l>.weight [out, in]} and {@code net.<2l>.bias [out]}, PyTorch's Sequential names. */
    public List<Tensor> toTensors() {
        return toTensors(shape, parameterValues());
    }

    public static List<Tensor> toTensors(NetworkShape shape, float[] flat) {
        List<Tensor> tensors = new ArrayList<>();
        for (int l = 0; l < shape.layers(); l++) {
            int in = shape.fanIn(l);
            int out = shape.fanOut(l);
            int w = shape.weightOffset(l);
            float[] weight = new float[in * out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    weight[o * in + i] = flat[w + i * out + o];
                }
            }
            tensors.add(new Tensor(weightName(l), new int[] {out, in}, weight));
            tensors.add(new Tensor(biasName(l), new int[] {out}, Arrays.copyOfRange(flat, shape.biasOffset(l),
                    shape.biasOffset(l) + out)));
        }
        return tensors;
    }

    /** The flat parameters from tensors named as {@link #toTensors} names them; shapes are checked first. */
    public static float[] fromTensors(NetworkShape shape, Map<String, Tensor> tensors) {
        // Every tensor is checked against the shape before the parameter vector is allocated.
        for (int l = 0; l < shape.layers(); l++) {
            require(tensors, weightName(l), shape.fanOut(l), shape.fanIn(l));
            require(tensors, biasName(l), shape.fanOut(l));
        }
        float[] flat = new float[shape.parameterCount()];
        for (int l = 0; l < shape.layers(); l++) {
            int in = shape.fanIn(l);
            int out = shape.fanOut(l);
            Tensor weight = require(tensors, weightName(l), out, in);
            Tensor bias = require(tensors, biasName(l), out);
            int w = shape.weightOffset(l);
            float[] wd = weight.data();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    flat[w + i * out + o] = wd[o * in + i];
                }
            }
            System.arraycopy(bias.data(), 0, flat, shape.biasOffset(l), out);
        }
        return flat;
    }

    private static Tensor require(Map<String, Tensor> tensors, String name, int... dims) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'");
        }
        if (!Arrays.equals(t.shape(), dims)) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + " but the architecture needs " + Arrays.toString(dims));
        }
        return t;
    }

    public static String weightName(int layer) {
        return "net." + 2 * layer + ".weight";
    }

    public static String biasName(int layer) {
        return "net." + 2 * layer + ".bias";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("network was closed");
        }
    }

    private void freeWorkspace() {
        if (capacity == 0) {
            return;
        }
        device.free(input);
        for (DeviceBuffer b : preActivation) {
            device.free(b);
        }
        for (DeviceBuffer b : postActivation) {
            device.free(b);
        }
        device.free(gradientA);
        device.free(gradientB);
        capacity = 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        freeWorkspace();
        device.free(parameters);
        device.free(gradients);
        closed = true;
    }
}
