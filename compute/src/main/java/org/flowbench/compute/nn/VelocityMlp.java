package org.flowbench.compute.nn;

import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.ode.DeviceVelocityField;
import org.flowbench.compute.ode.VelocityField;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A multilayer perceptron v(x, t) whose parameters and activations live on one
 * {@link ComputeDevice}: a {@link DenseStack} whose input rows are x followed by the time
 * features of t ({@link TimeEmbedding}). Each hidden layer is {@code a = f(a_prev W + b)}; the
 * last layer is linear. The forward pass keeps every layer's pre-activation so that
 * {@link #backward} can form parameter gradients with the device's dense and activation kernels.
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
    private final DenseStack layers;

    private float[] hostInput;             // [capacity*fanIn(0)]
    private DeviceBuffer timeBlock;        // [capacity*time.dimension()]
    private float[] hostTimeBlock;
    private boolean closed;

    private VelocityMlp(ComputeDevice device, MlpArchitecture architecture, float[] initial) {
        this.device = Objects.requireNonNull(device, "device");
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        int count = architecture.parameterCount();
        if (initial.length != count) {
            throw new IllegalArgumentException("architecture " + architecture.spec() + " has " + count
                    + " parameters, got " + initial.length);
        }
        this.layers = new DenseStack(device, architecture, initial);
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
        return layers.parameters();
    }

    /** Gradients of the last {@link #backward}, same layout as {@link #parameters()}. */
    public DeviceBuffer gradients() {
        return layers.gradients();
    }

    public int parameterCount() {
        return architecture.parameterCount();
    }

    /** A copy of the parameters on the heap. */
    public float[] parameterValues() {
        return layers.parameterValues();
    }

    public void setParameterValues(float[] values) {
        layers.setParameterValues(values);
    }

    /** A copy of the gradients on the heap. */
    public float[] gradientValues() {
        return layers.gradientValues();
    }

    /** Makes room for batches of {@code rows} rows (grows the workspace, never shrinks it). */
    public void ensureCapacity(int rows) {
        checkOpen();
        if (rows <= layers.capacity()) {
            return;
        }
        freeTimeBlock();
        layers.ensureCapacity(rows);
        hostInput = new float[rows * architecture.fanIn(0)];
        timeBlock = device.allocate(rows * architecture.time().dimension());
        hostTimeBlock = new float[rows * architecture.time().dimension()];
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
        DeviceBuffer in = layers.input(n);
        device.copyColumns(x.slice(0, n * dim), dim, 0, in, width, 0, n, dim);
        device.copyColumns(timeBlock.slice(0, n * features), features, 0, in, width, dim, n, features);
        device.copy(layers.forward(n), v.slice(0, n * dim));
    }

    private void runForward(int n, float[] out) {
        device.download(layers.forward(hostInput, n), 0, out, 0, n * architecture.outputDim());
    }

    /**
     * Parameter gradients of a loss whose gradient with respect to the last forward pass's output
     * is {@code outputGradient // [n*outputDim]}; written to {@link #gradients()} (overwritten, not
     * accumulated). {@code n} must be the row count of that forward pass.
     */
    public void backward(float[] outputGradient, int n) {
        checkOpen();
        layers.backward(outputGradient, n);
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
        return DenseStack.toTensors(architecture, flat);
    }

    /** The flat parameter vector from tensors named as {@link #toTensors} names them, and no other tensors. */
    public static float[] fromTensors(MlpArchitecture architecture, Map<String, Tensor> tensors) {
        // Names and shapes are checked first, before anything the file claims is allocated.
        DenseStack.requireTensors(architecture, tensors);
        int expected = 2 * architecture.layers();
        if (tensors.size() != expected) {
            throw new IllegalArgumentException("architecture " + architecture.spec() + " has " + expected
                    + " tensors but the file holds " + tensors.size());
        }
        return DenseStack.fromTensors(architecture, tensors);
    }

    public static String weightName(int layer) {
        return DenseStack.weightName(layer);
    }

    public static String biasName(int layer) {
        return DenseStack.biasName(layer);
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

    private void freeTimeBlock() {
        if (timeBlock != null) {
            device.free(timeBlock);
            timeBlock = null;
        }
    }

    /** Frees the model's device buffers; the device itself stays open. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        freeTimeBlock();
        layers.close();
        closed = true;
    }
}
