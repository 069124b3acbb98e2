package org.flowbench.compute.norm;

/**
 * What a batch-style layer computes at inference: {@code y = (z - center[c]) scale[c] + shift[c]}
 * per channel, with fixed statistics. Folded into the dense layer before it ({@code z = x w + b}),
 * the normalization costs nothing at inference: {@code w'[i, c] = w[i, c] scale[c]},
 * {@code b'[c] = (b[c] - center[c]) scale[c] + shift[c]}.
 */
public record ChannelAffine(double[] center, double[] scale, double[] shift) {

    public ChannelAffine {
        if (center.length != scale.length || shift.length != scale.length) {
            throw new IllegalArgumentException("center, scale and shift must have one value per channel, got "
                    + center.length + ", " + scale.length + " and " + shift.length);
        }
    }

    public int channels() {
        return scale.length;
    }

    /**
     * The dense layer {@code w // [in*out]}, {@code b // [out]} (nullable: zero) with this affine
     * folded in; {@code out} must be the number of channels.
     *
     * @return {@code {w', b'}}
     */
    public float[][] foldAfterDense(float[] w, float[] b, int in, int out) {
        if (out != channels()) {
            throw new IllegalArgumentException("the dense layer has " + out + " outputs but the norm has "
                    + channels() + " channels");
        }
        if (in < 1 || w.length != (long) in * out) {
            throw new IllegalArgumentException("w has " + w.length + " floats but " + in + " x " + out + " needs "
                    + (long) in * out);
        }
        if (b != null && b.length != out) {
            throw new IllegalArgumentException("b has " + b.length + " floats but the layer has " + out + " outputs");
        }
        float[] folded = new float[w.length];
        for (int i = 0; i < in; i++) {
            for (int c = 0; c < out; c++) {
                folded[i * out + c] = (float) (w[i * out + c] * scale[c]);
            }
        }
        float[] bias = new float[out];
        for (int c = 0; c < out; c++) {
            double bc = b == null ? 0 : b[c];
            bias[c] = (float) ((bc - center[c]) * scale[c] + shift[c]);
        }
        return new float[][] {folded, bias};
    }
}
