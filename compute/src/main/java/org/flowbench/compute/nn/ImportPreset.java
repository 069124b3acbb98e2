package org.flowbench.compute.nn;

import org.flowbench.compute.device.Activation;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a velocity MLP trained elsewhere names its layers and what its file cannot say (the
 * activation, how time enters). Layer widths and the data dimension are read from the tensor
 * shapes. All three foreign layouts take the input {@code [x, t]} with t in [0, 1] running from
 * the source (noise) to the data, as Flowbench does.
 */
public enum ImportPreset {

    /** torchcfm's {@code MLP(dim, w, time_varying=True)}: Linear layers {@code net.0, net.2, ...} with SELU between. */
    TORCHCFM_MLP("torchcfm-mlp", "net\\.(\\d+)", "net.N", Activation.SELU,
            "torchcfm MLP(dim, time_varying=True): Linear layers net.0, net.2, ..., SELU, input [x, t]"),
    /** facebookresearch/flow_matching's 2D example MLP: Linear layers {@code main.0, main.2, ...} with Swish (SiLU). */
    FLOW_MATCHING_MLP("flow-matching-mlp", "main\\.(\\d+)", "main.N", Activation.SILU,
            "flow_matching 2D example MLP: Linear layers main.0, main.2, ..., Swish (SiLU), input [x, t]"),
    /** lqiang67/rectified-flow's 2D notebook MLP: Linear layers {@code fc1, fc2, fc3} with tanh. */
    RECTIFIED_FLOW_MLP("rectified-flow-mlp", "fc(\\d+)", "fcN", Activation.TANH,
            "rectified-flow 2D notebook MLP: Linear layers fc1, fc2, fc3, tanh, input [x, t]"),
    /** Flowbench's own checkpoints: the architecture comes from the metadata. */
    FLOWBENCH("flowbench", null, null, null, "Flowbench checkpoint: architecture and record from the metadata");

    private final String id;
    private final Pattern layer;
    private final String layerNames;
    private final Activation activation;
    private final String description;

    ImportPreset(String id, String layerRegex, String layerNames, Activation activation, String description) {
        this.id = id;
        this.layer = layerRegex == null ? null : Pattern.compile(layerRegex);
        this.layerNames = layerNames;
        this.activation = activation;
        this.description = description;
    }

    /** The name users type, e.g. {@code torchcfm-mlp}. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** The hidden activation the upstream code uses; null for {@link #FLOWBENCH}. */
    public Activation activation() {
        return activation;
    }

    /** Time features of the upstream code: t itself, appended after x. */
    public TimeEmbedding time() {
        return TimeEmbedding.RAW;
    }

    /** The module path of a Linear layer, with the layer's position in the group; null for {@link #FLOWBENCH}. */
    Pattern layerPattern() {
        return layer;
    }

    /** How the layer names look, for messages, e.g. {@code net.N}. */
    String layerNames() {
        return layerNames;
    }

    /** Every preset's id, comma separated. */
    public static String ids() {
        return Arrays.stream(values()).map(ImportPreset::id).collect(Collectors.joining(", "));
    }

    /** The preset with this id (case-insensitive), or a one-line error listing the known ones. */
    public static ImportPreset byId(String id) {
        String key = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (ImportPreset p : values()) {
            if (p.id.equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown import preset '" + id + "' (known: " + ids() + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
