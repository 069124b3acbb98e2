package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * Weight Standardization (Qiao et al. 2019): each output's weights standardised over its fan-in
 * before use, {@code w_hat[o, :] = (w[o, :] - mean) / sqrt(var + eps)} with the population
 * variance and eps inside the root. Weights are {@code [outputs, fanIn]} rows: PyTorch's
 * {@code Conv2d.weight [out, in, kh, kw]} and {@code Linear.weight [out, in]} as stored (the
 * transpose of the device's dense layout). Its gradient maps {@code dL/dw_hat} back to
 * {@code dL/dw}; it has no parameters of its own.
 */
public final class WeightStandardization implements AutoCloseable {

    private final ComputeDevice device;
    private final int outputs;
    private final int fanIn;
    private final float eps;
    private final DeviceBuffer mean;
    private final DeviceBuffer rstd;
    private boolean standardised;

    public WeightStandardization(ComputeDevice device, int outputs, int fanIn, double eps) {
        if (outputs < 1 || fanIn < 1) {
            throw new IllegalArgumentException("weight standardization needs at least 1 output and 1 input, got "
                    + outputs + " x " + fanIn);
        }
        this.device = device;
        this.outputs = outputs;
        this.fanIn = fanIn;
        this.eps = AbstractNormLayer.checkEps(eps);
        this.mean = device.allocate(outputs);
        this.rstd = device.allocate(outputs);
    }

    /** {@code wHat} from {@code w}, both {@code [outputs*fanIn]}; wHat may be w only if no backward follows. */
    public void forward(DeviceBuffer w, DeviceBuffer wHat) {
        device.layerNormForward(w, null, null, wHat, mean, rstd, outputs, fanIn, eps);
        standardised = true;
    }

    /** {@code dw} (may be {@code dwHat}) from {@code dwHat}, for the {@code w} of the last forward pass. */
    public void backward(DeviceBuffer w, DeviceBuffer dwHat, DeviceBuffer dw) {
        if (!standardised) {
            throw new IllegalStateException("weight standardization: backward needs a forward pass first");
        }
        device.layerNormBackward(w, null, mean, rstd, dwHat, dw, null, null, outputs, fanIn);
    }

    @Override
    public void close() {
        device.free(mean);
        device.free(rstd);
    }
}
