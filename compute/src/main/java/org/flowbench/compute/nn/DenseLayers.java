package org.flowbench.compute.nn;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;

/**
 * A stack of dense layers laid out in one flat parameter vector, layer after layer: weights
 * {@code [in*out]} (row i holds the weights from input i), then bias {@code [out]}. Every hidden
 * layer applies one {@link #activation()}; the last layer is linear. The velocity MLP and the
 * GFlowNet policy share this layout, its offsets and its initialisation, and run it on a device as
 * a {@link DenseStack}.
 */
public interface DenseLayers {

    /** Number of dense layers (hidden plus output). */
    int layers();

    /** Input width of dense layer {@code layer}. */
    int fanIn(int layer);

    /** Output width of dense layer {@code layer}. */
    int fanOut(int layer);

    /** Activation of every hidden layer (the last layer is linear). */
    Activation activation();

    /** Offset of layer l's weights {@code [in*out]} in the flat parameter vector; its bias {@code [out]} follows. */
    default int weightOffset(int layer) {
        int offset = 0;
        for (int l = 0; l < layer; l++) {
            offset += (fanIn(l) + 1) * fanOut(l);
        }
        return offset;
    }

    default int biasOffset(int layer) {
        return weightOffset(layer) + fanIn(layer) * fanOut(layer);
    }

    default int parameterCount() {
        return weightOffset(layers());
    }

    /** Widest layer input or output, for workspace sizing. */
    default int maxWidth() {
        int w = fanIn(0);
        for (int l = 0; l < layers(); l++) {
            w = Math.max(w, fanOut(l));
        }
        return w;
    }

    /**
     * PyTorch's {@code nn.Linear} default initialisation: weights and biases uniform in
     * (-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn layer by layer from one seeded stream, weights in
     * PyTorch's [out, in] order so the stream matches its fill.
     */
    static float[] pytorchInitialParameters(DenseLayers layout, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] p = new float[layout.parameterCount()];
        for (int l = 0; l < layout.layers(); l++) {
            int in = layout.fanIn(l);
            int out = layout.fanOut(l);
            double bound = 1.0 / Math.sqrt(in);
            int w = layout.weightOffset(l);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    p[w + i * out + o] = (float) ((2 * random.nextDouble() - 1) * bound);
                }
            }
            int b = layout.biasOffset(l);
            for (int o = 0; o < out; o++) {
                p[b + o] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
        }
        return p;
    }
}
