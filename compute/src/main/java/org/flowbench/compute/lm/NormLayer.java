package org.flowbench.compute.lm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.norm.BatchNorm;
import org.flowbench.compute.norm.PowerNorm;

/**
 * One norm position of the model: its parameters and gradients are slices of the model's
 * buffers, its saved statistics live here between the forward and the backward pass.
 */
abstract class NormLayer implements AutoCloseable {

    /** Added to the variance (or mean square) inside the square root, as PyTorch does. */
    static final float EPS = 1e-5f;

    protected final ComputeDevice device;
    protected final int width;

    NormLayer(ComputeDevice device, int width) {
        this.device = device;
        this.width = width;
    }

    /**
     * The layer of {@code kind} over {@code width} features.
     *
     * @param beta  null when the kind has no bias
     * @param dbeta null when the kind has no bias
     */
    static NormLayer create(NormKind kind, ComputeDevice device, int width, DeviceBuffer gamma, DeviceBuffer beta,
                            DeviceBuffer dgamma, DeviceBuffer dbeta) {
        return switch (kind) {
            case LAYER -> new Layer(device, width, gamma, beta, dgamma, dbeta);
            case RMS -> new Rms(device, width, gamma, dgamma);
            case BATCH -> new BatchStatistics(new BatchNorm(device, width), device, gamma, beta, dgamma, dbeta);
            case POWER -> new BatchStatistics(new PowerNorm(device, width), device, gamma, beta, dgamma, dbeta);
        };
    }

    /** Training (batch statistics) or evaluation (running statistics); per-token norms ignore it. */
    void setTraining(boolean training) {
    }

    /** {@code y = N(x)} over {@code rows} rows; {@code y} may be {@code x} only if the backward gets x from elsewhere. */
    abstract void forward(DeviceBuffer x, DeviceBuffer y, int rows);

    /** {@code dx} from {@code dy} (dx may be dy), writing the parameter gradients. */
    abstract void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int rows);

    /** Per-row statistics buffers, kept at the largest row count seen. */
    protected DeviceBuffer ensure(DeviceBuffer b, int rows) {
        if (b != null && b.length() >= rows) {
            return b;
        }
        if (b != null) {
            device.free(b);
        }
        return device.allocate(rows);
    }

    private static final class Layer extends NormLayer {
        private final DeviceBuffer gamma;
        private final DeviceBuffer beta;
        private final DeviceBuffer dgamma;
        private final DeviceBuffer dbeta;
        private DeviceBuffer mean;
        private DeviceBuffer rstd;

        Layer(ComputeDevice device, int width, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer dgamma,
              DeviceBuffer dbeta) {
            super(device, width);
            this.gamma = gamma;
            this.beta = beta;
            this.dgamma = dgamma;
            this.dbeta = dbeta;
        }

        @Override
        void forward(DeviceBuffer x, DeviceBuffer y, int rows) {
            mean = ensure(mean, rows);
            rstd = ensure(rstd, rows);
            device.layerNormForward(x, gamma, beta, y, mean.slice(0, rows), rstd.slice(0, rows), rows, width, EPS);
        }

        @Override
        void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int rows) {
            device.layerNormBackward(x, gamma, mean.slice(0, rows), rstd.slice(0, rows), dy, dx, dgamma, dbeta, rows,
                    width);
        }

        @Override
        public void close() {
            device.free(mean);
            device.free(rstd);
        }
    }

    private static final class Rms extends NormLayer {
        private final DeviceBuffer gamma;
        private final DeviceBuffer dgamma;
        private DeviceBuffer rrms;

        Rms(ComputeDevice device, int width, DeviceBuffer gamma, DeviceBuffer dgamma) {
            super(device, width);
            this.gamma = gamma;
            this.dgamma = dgamma;
        }

        @Override
        void forward(DeviceBuffer x, DeviceBuffer y, int rows) {
            rrms = ensure(rrms, rows);
            device.rmsNormForward(x, gamma, y, rrms.slice(0, rows), rows, width, EPS);
        }

        @Override
        void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int rows) {
            device.rmsNormBackward(x, gamma, rrms.slice(0, rows), dy, dx, dgamma, rows, width);
        }

        @Override
        public void close() {
            device.free(rrms);
        }
    }

    /**
     * A norm with batch statistics from compute/norm over the {@code [rows, width]} tokens (batch
     * rows, spatial 1). The layer owns its gain and bias; they are copied in from the model's
     * parameters before each forward pass, and the gradients copied out after each backward.
     */
    private static final class BatchStatistics extends NormLayer {
        private final org.flowbench.compute.norm.NormLayer layer;
        private final org.flowbench.compute.norm.Parameter weight;
        private final org.flowbench.compute.norm.Parameter bias;
        private final DeviceBuffer gamma;
        private final DeviceBuffer beta;
        private final DeviceBuffer dgamma;
        private final DeviceBuffer dbeta;

        BatchStatistics(org.flowbench.compute.norm.NormLayer layer, ComputeDevice device, DeviceBuffer gamma,
                        DeviceBuffer beta, DeviceBuffer dgamma, DeviceBuffer dbeta) {
            super(device, layer.channels());
            this.layer = layer;
            this.weight = layer.parameters().get(0);
            this.bias = layer.parameters().get(1);
            this.gamma = gamma;
            this.beta = beta;
            this.dgamma = dgamma;
            this.dbeta = dbeta;
        }

        @Override
        void forward(DeviceBuffer x, DeviceBuffer y, int rows) {
            device.copy(gamma, weight.value());
            device.copy(beta, bias.value());
            layer.forward(x, y, rows, 1);
        }

        @Override
        void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int rows) {
            layer.backward(x, dy, dx, rows, 1);
            device.copy(weight.gradient(), dgamma);
            device.copy(bias.gradient(), dbeta);
        }

        @Override
        void setTraining(boolean training) {
            layer.setTraining(training);
        }

        @Override
        public void close() {
            layer.close();
        }
    }

    @Override
    public abstract void close();
}
