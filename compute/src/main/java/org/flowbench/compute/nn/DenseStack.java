package org.flowbench.compute.nn;

import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The dense layers of a {@link DenseLayers} layout on one {@link ComputeDevice}: each hidden layer
 * is {@code a = f(a_prev W + b)}, the last layer is linear. The forward pass keeps every layer's
 * pre-activation so that {@link #backward} forms the parameter gradients with the device's dense
 * and activation kernels. The networks built on it ({@link VelocityMlp}, the GFlowNet policy) fill
 * the input rows and read the output rows their own way.
 *
 * <p>All parameters sit in one device buffer ({@link #parameters()}) in the layout's flat order;
 * the gradient buffer has the same layout, so an optimizer updates everything with one call. The
 * workspace (input rows, activations, gradients between layers) grows with the largest batch and
 * is never shrunk.
 *
 * <p>Not safe for concurrent use: one thread at a time, like the device it runs on.
 */
public final class DenseStack implements AutoCloseable {

    private final ComputeDevice device;
    private final DenseLayers layout;
    private final DeviceBuffer parameters;
    private final DeviceBuffer gradients;
    private final DeviceBuffer[] weights;
    private final DeviceBuffer[] biases;
    private final DeviceBuffer[] weightGradients;
    private final DeviceBuffer[] biasGradients;

    private int capacity;
    private DeviceBuffer input;            // [capacity*fanIn(0)]
    private DeviceBuffer[] preActivation;  // layer l: [capacity*fanOut(l)]
    private DeviceBuffer[] postActivation; // hidden layer l: [capacity*fanOut(l)]
    private DeviceBuffer gradientA;        // [capacity*maxWidth]
    private DeviceBuffer gradientB;
    private int forwardRows = -1;
    private boolean closed;

    /** Layers holding the given flat parameters ({@code [layout.parameterCount()]}), uploaded to the device. */
    public DenseStack(ComputeDevice device, DenseLayers layout, float[] initial) {
        this.device = Objects.requireNonNull(device, "device");
        this.layout = Objects.requireNonNull(layout, "layout");
        int count = layout.parameterCount();
        if (initial.length != count) {
            throw new IllegalArgumentException("the layers hold " + count + " parameters, got " + initial.length);
        }
        parameters = device.upload(initial);
        gradients = device.allocate(count);
        int layers = layout.layers();
        weights = new DeviceBuffer[layers];
        biases = new DeviceBuffer[layers];
        weightGradients = new DeviceBuffer[layers];
        biasGradients = new DeviceBuffer[layers];
        for (int l = 0; l < layers; l++) {
            int size = layout.fanIn(l) * layout.fanOut(l);
            weights[l] = parameters.slice(layout.weightOffset(l), size);
            biases[l] = parameters.slice(layout.biasOffset(l), layout.fanOut(l));
            weightGradients[l] = gradients.slice(layout.weightOffset(l), size);
            biasGradients[l] = gradients.slice(layout.biasOffset(l), layout.fanOut(l));
        }
    }

    public DenseLayers layout() {
        return layout;
    }

    /** All parameters on the device, in the layout's flat order. */
    public DeviceBuffer parameters() {
        return parameters;
    }

    /** Gradients of the last {@link #backward}, same layout as {@link #parameters()}. */
    public DeviceBuffer gradients() {
        return gradients;
    }

    /** A copy of the parameters on the heap. */
    public float[] parameterValues() {
        return device.download(parameters);
    }

    public void setParameterValues(float[] values) {
        device.upload(values, parameters);
    }

    /** A copy of the gradients on the heap. */
    public float[] gradientValues() {
        return device.download(gradients);
    }

    /** Rows the workspace holds now (0 before the first batch). */
    public int capacity() {
        return capacity;
    }

    /** Makes room for batches of {@code rows} rows (grows the workspace, never shrinks it); growing forgets the last forward pass. */
    public void ensureCapacity(int rows) {
        checkOpen();
        if (rows <= capacity) {
            return;
        }
        freeWorkspace();
        int layers = layout.layers();
        capacity = rows;
        input = device.allocate(rows * layout.fanIn(0));
        preActivation = new DeviceBuffer[layers];
        postActivation = new DeviceBuffer[layers - 1];
        for (int l = 0; l < layers; l++) {
            preActivation[l] = device.allocate(rows * layout.fanOut(l));
            if (l < layers - 1) {
                postActivation[l] = device.allocate(rows * layout.fanOut(l));
            }
        }
        gradientA = device.allocate(rows * layout.maxWidth());
        gradientB = device.allocate(rows * layout.maxWidth());
        forwardRows = -1;
    }

    /**
     * The input rows of the next {@link #forward(int)}, {@code [n*fanIn(0)]}, for a caller that
     * fills them on the device; {@link #ensureCapacity} must have made room for {@code n} rows.
     */
    public DeviceBuffer input(int n) {
        checkRows(n);
        return input.slice(0, n * layout.fanIn(0));
    }

    /**
     * Uploads {@code x // [n*fanIn(0)]} as the input rows and runs {@link #forward(int)}.
     *
     * @return the output rows on the device, {@code [n*fanOut(last)]}, valid until the next forward pass
     */
    public DeviceBuffer forward(float[] x, int n) {
        ensureCapacity(n);
        device.upload(x, 0, input, 0, n * layout.fanIn(0));
        return forward(n);
    }

    /**
     * Runs every layer on the {@code n} input rows already in {@link #input(int)}, keeping the
     * activations for {@link #backward}.
     *
     * @return the output rows on the device, {@code [n*fanOut(last)]}, valid until the next forward pass
     */
    public DeviceBuffer forward(int n) {
        DeviceBuffer current = input(n);
        int layers = layout.layers();
        for (int l = 0; l < layers; l++) {
            int in = layout.fanIn(l);
            int width = layout.fanOut(l);
            DeviceBuffer z = preActivation[l].slice(0, n * width);
            if (l < layers - 1) {
                DeviceBuffer a = postActivation[l].slice(0, n * width);
                device.denseForward(current, weights[l], biases[l], layout.activation(), z, a, n, in, width);
                current = a;
            } else {
                device.denseForward(current, weights[l], biases[l], z, n, in, width);
                current = z;
            }
        }
        forwardRows = n;
        return current;
    }

    /** Forgets the last forward pass, so that a {@link #backward} needs a new one (after evaluating without training). */
    public void discardActivations() {
        forwardRows = -1;
    }

    /**
     * Parameter gradients of a loss whose gradient with respect to the last forward pass's output
     * is {@code outputGradient // [n*fanOut(last)]}; written to {@link #gradients()} (overwritten,
     * not accumulated). {@code n} must be the row count of that forward pass.
     */
    public void backward(float[] outputGradient, int n) {
        checkOpen();
        if (n != forwardRows) {
            throw new IllegalStateException("backward over " + n + " rows needs a forward pass over the same rows first");
        }
        int layers = layout.layers();
        int outputs = layout.fanOut(layers - 1);
        DeviceBuffer dy = gradientA.slice(0, n * outputs);
        device.upload(outputGradient, 0, dy, 0, n * outputs);
        DeviceBuffer spare = gradientB;
        DeviceBuffer held = gradientA;
        for (int l = layers - 1; l >= 0; l--) {
            int in = layout.fanIn(l);
            int width = layout.fanOut(l);
            DeviceBuffer layerInput = l == 0 ? input.slice(0, n * in) : postActivation[l - 1].slice(0, n * in);
            DeviceBuffer dx = l == 0 ? null : spare.slice(0, n * in);
            device.denseBackward(layerInput, weights[l], dy, dx, weightGradients[l], biasGradients[l], n, in, width);
            if (l > 0) {
                device.activateBackward(layout.activation(), preActivation[l - 1].slice(0, n * in),
                        postActivation[l - 1].slice(0, n * in), dx, dx);
                dy = dx;
                DeviceBuffer swap = held;
                held = spare;
                spare = swap;
            }
        }
    }

    /**
     * Flat parameters as named tensors in PyTorch's {@code nn.Sequential(Linear, act, ..., Linear)}
     * layout: {@code net.<2l>.weight [out, in]} and {@code net.<2l>.bias [out]}.
     */
    public static List<Tensor> toTensors(DenseLayers layout, float[] flat) {
        List<Tensor> tensors = new ArrayList<>();
        for (int l = 0; l < layout.layers(); l++) {
            int in = layout.fanIn(l);
            int out = layout.fanOut(l);
            int w = layout.weightOffset(l);
            float[] weight = new float[in * out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    weight[o * in + i] = flat[w + i * out + o];
                }
            }
            tensors.add(new Tensor(weightName(l), new int[] {out, in}, weight));
            tensors.add(new Tensor(biasName(l), new int[] {out}, Arrays.copyOfRange(flat, layout.biasOffset(l),
                    layout.biasOffset(l) + out)));
        }
        return tensors;
    }

    /** Checks that every tensor {@link #toTensors} names is present with the layout's shape. */
    public static void requireTensors(DenseLayers layout, Map<String, Tensor> tensors) {
        for (int l = 0; l < layout.layers(); l++) {
            require(tensors, weightName(l), layout.fanOut(l), layout.fanIn(l));
            require(tensors, biasName(l), layout.fanOut(l));
        }
    }

    /** The flat parameter vector from tensors named as {@link #toTensors} names them; tensors not named there are ignored. */
    public static float[] fromTensors(DenseLayers layout, Map<String, Tensor> tensors) {
        // Every name and shape is checked before the parameter vector is allocated: the layout may come from an
        // untrusted file and claim far more than its tensors hold.
        requireTensors(layout, tensors);
        float[] flat = new float[layout.parameterCount()];
        for (int l = 0; l < layout.layers(); l++) {
            int in = layout.fanIn(l);
            int out = layout.fanOut(l);
            float[] wd = tensors.get(weightName(l)).data();
            int w = layout.weightOffset(l);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    flat[w + i * out + o] = wd[o * in + i];
                }
            }
            System.arraycopy(tensors.get(biasName(l)).data(), 0, flat, layout.biasOffset(l), out);
        }
        return flat;
    }

    private static Tensor require(Map<String, Tensor> tensors, String name, int... shape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + " but the architecture needs " + Arrays.toString(shape));
        }
        return t;
    }

    /** PyTorch's name for layer l's weight: the Linear modules sit at even indices of the Sequential, activations between. */
    public static String weightName(int layer) {
        return "net." + 2 * layer + ".weight";
    }

    public static String biasName(int layer) {
        return "net." + 2 * layer + ".bias";
    }

    private void checkRows(int n) {
        checkOpen();
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException("batch of " + n + " rows does not fit the workspace of " + capacity
                    + " rows (ensureCapacity first)");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("dense layers were closed");
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

    /** Frees the layers' device buffers; the device itself stays open. */
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
