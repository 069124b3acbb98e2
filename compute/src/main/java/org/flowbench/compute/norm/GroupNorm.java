package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * GroupNorm (Wu and He 2018): the channels of each sample split into {@code groups} groups, each
 * group (its channels and spatial positions) normalised to zero mean and unit variance, then a
 * per-channel {@code gamma, beta}. One group is LayerNorm over (C, H, W); C groups is
 * InstanceNorm. No running state: training and evaluation compute the same thing.
 *
 * <p>On the device: the row LayerNorm over {@code [batch*groups, (channels/groups)*spatial]}
 * rows without affine, then the per-channel affine as a channel normalise.
 */
public final class GroupNorm extends AbstractNormLayer {

    private final int groups;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;
    private DeviceBuffer xhat;
    private DeviceBuffer mean;
    private DeviceBuffer rstd;

    public GroupNorm(ComputeDevice device, int channels, int groups, double eps) {
        super(device, channels);
        this.groups = checkGroups(channels, groups);
        this.eps = checkEps(eps);
        weight = parameter("weight", channels, 1f);
        bias = parameter("bias", channels, 0f);
    }

    @Override
    public String name() {
        return "group";
    }

    public int groups() {
        return groups;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public void forward(DeviceBuffer x, DeviceBuffer y, int batch, int spatial) {
        int rows = Math.multiplyExact(batch, groups);
        int cols = Math.multiplyExact(channels / groups, spatial);
        xhat = resized(xhat, Math.multiplyExact(rows, cols));
        mean = resized(mean, rows);
        rstd = resized(rstd, rows);
        device.layerNormForward(x, null, null, xhat, mean, rstd, rows, cols, eps);
        device.channelNormalize(xhat, null, weight.value(), bias.value(), y, batch, channels, spatial);
        forwardDone(batch, spatial);
    }

    @Override
    public void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int batch, int spatial) {
        backwardOf(batch, spatial);
        int rows = batch * groups;
        int cols = channels / groups * spatial;
        device.channelGradientSums(xhat, null, dy, bias.gradient(), weight.gradient(), batch, channels, spatial);
        // d xhat = gamma dy, then through the group statistics (in place: dx may be dy).
        device.channelNormalizeBackward(dy, null, dy, weight.value(), null, null, dx, batch, channels, spatial);
        device.layerNormBackward(x, null, mean, rstd, dx, dx, null, null, rows, cols);
    }
}
