package org.flowbench.compute.lm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.norm.BatchNorm;
import org.flowbench.compute.norm.PowerNorm;

import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * The running statistics evaluation uses, by name ({@link NormKind#runningStatistics()}),
     * as float32 copies; empty for the per-token norms.
     */
    Map<String, float[]> runningStatistics() {
        return Map.of();
    }

    /**
     * Replaces the running statistics: {@code values} has exactly the names {@link
     * #runningStatistics()} has, each with {@code width} finite values (variances not negative).
     */
    void setRunningStatistics(Map<String, float[]> values) {
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("this norm keeps no running statistics, got " + values.keySet());
        }
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
            if (layer.isTraining()) {
                // Running statistics are kept at float32, the precision a run file stores them
                // in (and PyTorch keeps its buffers in), so a reloaded model evaluates bit for bit.
                setRunningStatistics(runningStatistics());
            }
        }

        @Override
        Map<String, float[]> runningStatistics() {
            Map<String, float[]> out = new LinkedHashMap<>();
            if (layer instanceof BatchNorm bn) {
                out.put(LmNormStatistics.RUNNING_MEAN, toFloat(bn.runningMean()));
                out.put(LmNormStatistics.RUNNING_VAR, toFloat(bn.runningVar()));
            } else if (layer instanceof PowerNorm pn) {
                out.put(LmNormStatistics.RUNNING_PHI, toFloat(pn.runningPhi()));
            }
            return out;
        }

        @Override
        void setRunningStatistics(Map<String, float[]> values) {
            if (!values.keySet().equals(runningStatistics().keySet())) {
                throw new IllegalArgumentException("expected the running statistics " + runningStatistics().keySet()
                        + ", got " + values.keySet());
            }
            if (layer instanceof BatchNorm bn) {
                bn.setRunningStatistics(toDouble(values.get(LmNormStatistics.RUNNING_MEAN)),
                        toDouble(values.get(LmNormStatistics.RUNNING_VAR)));
            } else if (layer instanceof PowerNorm pn) {
                pn.setRunningPhi(toDouble(values.get(LmNormStatistics.RUNNING_PHI)));
            }
        }

        private static float[] toFloat(double[] v) {
            float[] out = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = (float) v[i];
            }
            return out;
        }

        private static double[] toDouble(float[] v) {
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i];
            }
            return out;
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
