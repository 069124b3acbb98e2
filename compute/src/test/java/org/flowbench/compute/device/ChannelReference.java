package org.flowbench.compute.device;

import org.flowbench.compute.device.Reference.Result;

/**
 * The per-channel primitives in double precision over [batch, channels, spatial] tensors, each
 * output with the magnitude of its terms (see {@link Reference}).
 */
final class ChannelReference {

    private ChannelReference() {
    }

    private static int channel(int i, int channels, int spatial) {
        return (i / spatial) % channels;
    }

    private static double at(float[] v, int c) {
        return v == null ? 0 : v[c];
    }

    /** Mean and biased variance per channel. */
    static Result[] moments(float[] x, int batch, int channels, int spatial) {
        Result mean = Result.of(channels);
        Result var = Result.of(channels);
        double count = (double) batch * spatial;
        for (int i = 0; i < x.length; i++) {
            int c = channel(i, channels, spatial);
            mean.value()[c] += x[i];
            mean.scale()[c] += Math.abs(x[i]);
        }
        for (int c = 0; c < channels; c++) {
            mean.value()[c] /= count;
            mean.scale()[c] /= count;
        }
        for (int i = 0; i < x.length; i++) {
            int c = channel(i, channels, spatial);
            double d = x[i] - mean.value()[c];
            var.value()[c] += d * d;
        }
        for (int c = 0; c < channels; c++) {
            var.value()[c] /= count;
            // The terms are all positive: their sum is the value itself.
            var.scale()[c] = var.value()[c];
        }
        return new Result[] {mean, var};
    }

    static Result normalize(float[] x, float[] center, float[] scale, float[] shift, int batch, int channels,
                            int spatial) {
        Result y = Result.of(x.length);
        for (int i = 0; i < x.length; i++) {
            int c = channel(i, channels, spatial);
            double s = scale[c];
            y.value()[i] = (x[i] - at(center, c)) * s + at(shift, c);
            y.scale()[i] = (Math.abs(x[i]) + Math.abs(at(center, c))) * Math.abs(s) + Math.abs(at(shift, c));
        }
        return y;
    }

    /** Sum of dy and of dy (x - center) per channel. */
    static Result[] gradientSums(float[] x, float[] center, float[] dy, int batch, int channels, int spatial) {
        Result sumDy = Result.of(channels);
        Result sumDyX = Result.of(channels);
        for (int i = 0; i < x.length; i++) {
            int c = channel(i, channels, spatial);
            sumDy.value()[c] += dy[i];
            sumDy.scale()[c] += Math.abs(dy[i]);
            sumDyX.value()[c] += dy[i] * (x[i] - at(center, c));
            sumDyX.scale()[c] += Math.abs(dy[i]) * (Math.abs(x[i]) + Math.abs(at(center, c)));
        }
        return new Result[] {sumDy, sumDyX};
    }

    static Result backward(float[] x, float[] center, float[] dy, float[] dyScale, float[] xScale, float[] shift,
                           int batch, int channels, int spatial) {
        Result dx = Result.of(x.length);
        for (int i = 0; i < x.length; i++) {
            int c = channel(i, channels, spatial);
            double d = x[i] - at(center, c);
            dx.value()[i] = dyScale[c] * (double) dy[i] + at(xScale, c) * d + at(shift, c);
            dx.scale()[i] = Math.abs(dyScale[c] * (double) dy[i])
                    + Math.abs(at(xScale, c)) * (Math.abs(x[i]) + Math.abs(at(center, c))) + Math.abs(at(shift, c));
        }
        return dx;
    }
}
