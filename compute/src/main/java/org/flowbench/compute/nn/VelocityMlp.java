package org.flowbench.compute.nn;

import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.ode.DeviceVelocityField;
import org.flowbench.compute.ode.VelocityField;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A multilayer perceptron v(x, t) whose parameters and activations live on one
 * {@link ComputeDevice}. Each hidden layer is {@code a = f(a_prev W + b)}; the last layer is
 * linear. The forward pass keeps every layer's pre-activation so that {@link #backward} can form
 * parameter gradients with the device's dense and activation kernels.
 *
 * <p>All parameters sit in one device buffer ({@link #parameters()}), layer after layer: weights
 * {@code [in*out]} (row i holds the weights from input i) then bias {@code [out]}; the gradient
 * buffer has the same layout, so an optimizer updates everything with one call.
 *
 * <p>It integrates on the host ({@link VelocityField}) or with the particles resident on the
 * device ({@link DeviceVelocityField}).
 *
 * <p>Not safe for concurrent use: one thread at a time, like the device it runs on.
 */
public final class VelocityMlp implements VelocityField, DeviceVelocityField, AutoCloseable {

    /** Rows evaluated per device call when integrating; bounds workspace memory for large samples. */
    public static final int INFERENCE_CHUNK = 4096;

    private final ComputeDevice device;
    private final MlpArchitecture architecture;
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
    private float[] hostInput;
    private DeviceBuffer timeBlock;        // [capacity*time.dimension()]
    private float[] hostTimeBlock;
    private int forwardRows = -1;
    private boolean closed;

    private VelocityMlp(ComputeDevice device, MlpArchitecture architecture, float[] initial) {
        this.device = Objects.requireNonNull(device, "device");
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        int count = architecture.parameterCount();
        if (initial.length != count) {
            throw new IllegalArgumentException("architecture " + architecture.spec() + " has " + count
                    + " parameters, got " + initial.length);
        }
        this.parameters = device.upload(initial);
        this.gradients = device.allocate(count);
        int layers = architecture.layers();
        weights = new DeviceBuffer[layers];
        biases = new DeviceBuffer[layers];
        weightGradients = new DeviceBuffer[layers];
        biasGradients = new DeviceBuffer[layers];
        for (int l = 0; l < layers; l++) {
            int in = architecture.fanIn(l);
            int out = architecture.fanOut(l);
            weights[l] = parameters.slice(architecture.weightOffset(l), in * out);
            biases[l] = parameters.slice(architecture.biasOffset(l), out);
            weightGradients[l] = gradients.slice(architecture.weightOffset(l), in * out);
            biasGradients[l] = gradients.slice(architecture.biasOffset(l), out);
        }
    }

    /**
     * A freshly initialised model: PyTorch's {@code nn.Linear} default, weights and biases uniform in
     * (-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn layer by layer from one seeded stream.
     */
    public static VelocityMlp create(ComputeDevice device, MlpArchitecture architecture, long seed) {
        return new VelocityMlp(device, architecture, initialParameters(architecture, seed));
    }

    /** A model holding the given flat parameters (layout of {@link #parameters()}). */
    public static VelocityMlp withParameters(ComputeDevice device, MlpArchitecture architecture, float[] parameters) {
        return new VelocityMlp(device, architecture, parameters);
    }

    /** The initial parameter vector {@link #create} uploads. */
    public static float[] initialParameters(MlpArchitecture architecture, long seed) {
        return DenseLayers.pytorchInitialParameters(architecture, seed);
    }

    public MlpArchitecture architecture() {
        return architecture;
    }

    public ComputeDevice device() {
        return device;
    }

    /** All parameters on the device, in the flat layout described in the class comment. */
    public DeviceBuffer parameters() {
        return parameters;
    }

    /** Gradients of the last {@link #backward}, same layout as {@link #parameters()}. */
    public DeviceBuffer gradients() {
        return gradients;
    }

    public int parameterCount() {
        return architecture.parameterCount();
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

    /** Makes room for batches of {@code rows} rows (grows the workspace, never shrinks it). */
    public void ensureCapacity(int rows) {
        checkOpen();
        if (rows <= capacity) {
            return;
        }
        freeWorkspace();
        int layers = architecture.layers();
        capacity = rows;
        input = device.allocate(rows * architecture.fanIn(0));
        preActivation = new DeviceBuffer[layers];
        postActivation = new DeviceBuffer[layers - 1];
        for (int l = 0; l < layers; l++) {
            preActivation[l] = device.allocate(rows * architecture.fanOut(l));
            if (l < layers - 1) {
                postActivation[l] = device.allocate(rows * architecture.fanOut(l));
            }
        }
        gradientA = device.allocate(rows * architecture.maxWidth());
        gradientB = device.allocate(rows * architecture.maxWidth());
        hostInput = new float[rows * architecture.fanIn(0)];
        timeBlock = device.allocate(rows * architecture.time().dimension());
        hostTimeBlock = new float[rows * architecture.time().dimension()];
        forwardRows = -1;
    }

    /**
     * Forward pass for training: v(x_i, t_i) for each row, keeping activations for {@link #backward}.
     *
     * @param x   {@code [n*inputDim]}
     * @param t   {@code [n]}, one time per row
     * @param out {@code [n*outputDim]}, written
     */
    public void forward(float[] x, float[] t, int n, float[] out) {
        checkRows(n);
        ensureCapacity(n);
        int inDim = architecture.inputDim();
        int width = architecture.fanIn(0);
        TimeEmbedding time = architecture.time();
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * inDim, hostInput, i * width, inDim);
            time.embed(t[i], hostInput, i * width + inDim);
        }
        runForward(n, out);
    }

    /** Forward pass with one time for every row. */
    public void forward(float[] x, float t, int n, float[] out) {
        checkRows(n);
        ensureCapacity(n);
        int inDim = architecture.inputDim();
        int width = architecture.fanIn(0);
        TimeEmbedding time = architecture.time();
        time.embed(t, hostInput, inDim);
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * inDim, hostInput, i * width, inDim);
            if (i > 0) {
                System.arraycopy(hostInput, inDim, hostInput, i * width + inDim, width - inDim);
            }
        }
        runForward(n, out);
    }

    /**
     * v(x_i, t) with the particles on the device: x is copied into the input columns, the time
     * features (the same for every row) are uploaded once per call, and the output stays on the
     * device.
     */
    @Override
    public void velocity(DeviceBuffer x, int n, float t, DeviceBuffer v) {
        checkRows(n);
        int dim = architecture.inputDim();
        if (dim != architecture.outputDim()) {
            throw new IllegalStateException("a velocity field needs equal input and output dimensions, architecture is "
                    + architecture.spec());
        }
        ensureCapacity(n);
        int width = architecture.fanIn(0);
        int features = architecture.time().dimension();
        architecture.time().embed(t, hostTimeBlock, 0);
        for (int i = 1; i < n; i++) {
            System.arraycopy(hostTimeBlock, 0, hostTimeBlock, i * features, features);
        }
        device.upload(hostTimeBlock, 0, timeBlock, 0, n * features);
        DeviceBuffer in = input.slice(0, n * width);
        device.copyColumns(x.slice(0, n * dim), dim, 0, in, width, 0, n, dim);
        device.copyColumns(timeBlock.slice(0, n * features), features, 0, in, width, dim, n, features);
        device.copy(layersForward(n), v.slice(0, n * dim));
        forwardRows = n;
    }

    private void runForward(int n, float[] out) {
        int width = architecture.fanIn(0);
        device.upload(hostInput, 0, input, 0, n * width);
        DeviceBuffer current = layersForward(n);
        device.download(current, 0, out, 0, n * architecture.outputDim());
        forwardRows = n;
    }

    /** Runs every layer on the input rows already in place; returns the output slice. */
    private DeviceBuffer layersForward(int n) {
        int layers = architecture.layers();
        int width = architecture.fanIn(0);
        DeviceBuffer current = input.slice(0, n * width);
        for (int l = 0; l < layers; l++) {
            int in = architecture.fanIn(l);
            int outWidth = architecture.fanOut(l);
            DeviceBuffer z = preActivation[l].slice(0, n * outWidth);
            if (l < layers - 1) {
                DeviceBuffer a = postActivation[l].slice(0, n * outWidth);
                device.denseForward(current, weights[l], biases[l], architecture.activation(), z, a, n, in, outWidth);
                current = a;
            } else {
                device.denseForward(current, weights[l], biases[l], z, n, in, outWidth);
                current = z;
            }
        }
        return current;
    }

    /**
     * Parameter gradients of a loss whose gradient with respect to the last forward pass's output
     * is {@code outputGradient // [n*outputDim]}; written to {@link #gradients()} (overwritten, not
     * accumulated). {@code n} must be the row count of that forward pass.
     */
    public void backward(float[] outputGradient, int n) {
        checkOpen();
        if (n != forwardRows) {
            throw new IllegalStateException("backward over " + n + " rows needs a forward pass over the same rows first");
        }
        int layers = architecture.layers();
        DeviceBuffer dy = gradientA.slice(0, n * architecture.outputDim());
        device.upload(outputGradient, 0, dy, 0, n * architecture.outputDim());
        DeviceBuffer spare = gradientB;
        DeviceBuffer held = gradientA;
        for (int l = layers - 1; l >= 0; l--) {
            int in = architecture.fanIn(l);
            int outWidth = architecture.fanOut(l);
            DeviceBuffer layerInput = l == 0 ? input.slice(0, n * in) : postActivation[l - 1].slice(0, n * in);
            DeviceBuffer dx = l == 0 ? null : spare.slice(0, n * in);
            device.denseBackward(layerInput, weights[l], dy, dx, weightGradients[l], biasGradients[l], n, in, outWidth);
            if (l > 0) {
                device.activateBackward(architecture.activation(), preActivation[l - 1].slice(0, n * in),
                        postActivation[l - 1].slice(0, n * in), dx, dx);
                dy = dx;
                DeviceBuffer swap = held;
                held = spare;
                spare = swap;
            }
        }
    }

    /** Integrates under every solver: v(x_i, t) in chunks of {@link #INFERENCE_CHUNK} rows. */
    @Override
    public void velocity(float[] x, int n, float t, float[] v) {
        int dim = architecture.inputDim();
        if (dim != architecture.outputDim()) {
            throw new IllegalStateException("a velocity field needs equal input and output dimensions, architecture is "
                    + architecture.spec());
        }
        if (n <= INFERENCE_CHUNK) {
            forward(x, t, n, v);
            return;
        }
        float[] xChunk = new float[INFERENCE_CHUNK * dim];
        float[] vChunk = new float[INFERENCE_CHUNK * dim];
        for (int start = 0; start < n; start += INFERENCE_CHUNK) {
            int rows = Math.min(INFERENCE_CHUNK, n - start);
            System.arraycopy(x, start * dim, xChunk, 0, rows * dim);
            forward(xChunk, t, rows, vChunk);
            System.arraycopy(vChunk, 0, v, start * dim, rows * dim);
        }
    }

    /**
     * The parameters as named tensors in PyTorch's {@code nn.Sequential(Linear, act, ..., Linear)}
     * layout: {@code net.<2l>.weight [out, in]} and {@code net.<2l>.bias [out]}, the names
     * torchcfm's {@code MLP} uses.
     */
    public List<Tensor> toTensors() {
        return toTensors(architecture, parameterValues());
    }

    public static List<Tensor> toTensors(MlpArchitecture architecture, float[] flat) {
        List<Tensor> tensors = new ArrayList<>();
        for (int l = 0; l < architecture.layers(); l++) {
            int in = architecture.fanIn(l);
            int out = architecture.fanOut(l);
            int w = architecture.weightOffset(l);
            float[] weight = new float[in * out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    weight[o * in + i] = flat[w + i * out + o];
                }
            }
            float[] bias = new float[out];
            System.arraycopy(flat, architecture.biasOffset(l), bias, 0, out);
            tensors.add(new Tensor(weightName(l), new int[] {out, in}, weight));
            tensors.add(new Tensor(biasName(l), new int[] {out}, bias));
        }
        return tensors;
    }

    /** The flat parameter vector from tensors named as {@link #toTensors} names them. */
    public static float[] fromTensors(MlpArchitecture architecture, Map<String, Tensor> tensors) {
        // Every name and shape is checked before the parameter vector is allocated: the architecture may come from an
        // untrusted file and claim far more than its tensors hold.
        for (int l = 0; l < architecture.layers(); l++) {
            require(tensors, weightName(l), architecture.fanOut(l), architecture.fanIn(l));
            require(tensors, biasName(l), architecture.fanOut(l));
        }
        int expected = 2 * architecture.layers();
        if (tensors.size() != expected) {
            throw new IllegalArgumentException("architecture " + architecture.spec() + " has " + expected
                    + " tensors but the file holds " + tensors.size());
        }
        float[] flat = new float[architecture.parameterCount()];
        for (int l = 0; l < architecture.layers(); l++) {
            int in = architecture.fanIn(l);
            int out = architecture.fanOut(l);
            Tensor weight = require(tensors, weightName(l), out, in);
            Tensor bias = require(tensors, biasName(l), out);
            int w = architecture.weightOffset(l);
            float[] wd = weight.data();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    flat[w + i * out + o] = wd[o * in + i];
                }
            }
            System.arraycopy(bias.data(), 0, flat, architecture.biasOffset(l), out);
        }
        return flat;
    }

    private static Tensor require(Map<String, Tensor> tensors, String name, int... shape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'");
        }
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
                    + " but the architecture needs " + java.util.Arrays.toString(shape));
        }
        return t;
    }

    public static String weightName(int layer) {
        return "net." + 2 * layer + ".weight";
    }

    public static String biasName(int layer) {
        return "net." + 2 * layer + ".bias";
    }

    private void checkRows(int n) {
        checkOpen();
        if (n < 1) {
            throw new IllegalArgumentException("batch must have at least one row, got " + n);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model was closed");
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
        device.free(timeBlock);
        capacity = 0;
    }

    /** Frees the model's device buffers; the device itself stays open. */
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
