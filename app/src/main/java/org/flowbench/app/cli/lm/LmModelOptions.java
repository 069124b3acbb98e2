package org.flowbench.app.cli.lm;

import org.flowbench.compute.device.Activation;
import org.flowbench.compute.lm.AttentionKind;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.NormKind;
import org.flowbench.compute.lm.Placement;
import picocli.CommandLine.Option;

/** The model options norm-probe and train-lm share. */
public final class LmModelOptions {

    @Option(names = "--layers", paramLabel = "L", defaultValue = "12", description = "Blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--width", paramLabel = "D", defaultValue = "64", description = "Residual width d (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--heads", paramLabel = "H", defaultValue = "4", description = "Attention heads; must divide the width (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--norm", paramLabel = "KIND", defaultValue = "layer", description = "Norm layer: layer, rms, batch or power (default: ${DEFAULT-VALUE}).")
    String norm;

    @Option(names = "--attention", paramLabel = "KIND", defaultValue = "softmax", description = "Attention: softmax, or flow (Flowformer's linear-time causal flow attention) (default: ${DEFAULT-VALUE}).")
    String attention;

    @Option(names = "--ffn-only", description = "Blocks without attention (the model of Xiong et al.'s analysis).")
    boolean ffnOnly;

    @Option(names = "--tied", description = "Tie the head to the token embedding.")
    boolean tied;

    @Option(names = "--activation", paramLabel = "F", defaultValue = "gelu", description = "MLP activation: gelu, relu, silu... (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--init-scale", paramLabel = "S", defaultValue = "1", description = "Factor on every initial standard deviation (default: ${DEFAULT-VALUE}).")
    float initScale;

    /** The model for one placement. */
    LmConfig config(int vocab, int context, Placement placement, LmConfig.Init init) {
        return new LmConfig(vocab, context, width, heads, layers, placement, NormKind.parse(norm), ffnOnly, tied, init,
                initScale, Activation.parse(activation), AttentionKind.parse(attention));
    }
}
