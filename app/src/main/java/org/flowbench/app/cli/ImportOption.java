package org.flowbench.app.cli;

import org.flowbench.compute.nn.ImportPreset;
import picocli.CommandLine.Option;

/** The {@code --import PRESET} option of commands that read a model: a PyTorch state dict read in a named layout. */
public final class ImportOption {

    @Option(names = "--import", paramLabel = "PRESET",
            description = "Read --model as a PyTorch state dict (safetensors or .npz) laid out as PRESET: "
                    + "torchcfm-mlp, flow-matching-mlp, rectified-flow-mlp or flowbench (see import-checkpoint).")
    String preset;

    /** The preset named, or null when the model is a Flowbench checkpoint. */
    ImportPreset preset() {
        return preset == null ? null : ImportPreset.byId(preset);
    }
}
