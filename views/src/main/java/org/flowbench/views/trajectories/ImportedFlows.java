package org.flowbench.views.trajectories;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.CheckpointImport;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.ImportPreset;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.TimeEmbedding;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Velocity MLPs trained elsewhere (PyTorch state dicts read through {@link CheckpointImport}) as
 * the lab's models: 2D only, with the source and target the user names, since a foreign file says
 * neither. The import dialog's preview and the lab's import load through here, so both show the
 * same network.
 */
final class ImportedFlows {

    private ImportedFlows() {
    }

    /** Why an inferred architecture cannot be a Trajectories model, or null when it can. */
    static String notPlanar(MlpArchitecture architecture) {
        if (architecture.inputDim() == 2 && architecture.outputDim() == 2) {
            return null;
        }
        return "the Trajectories lab shows 2D flows, but this model's x has " + architecture.inputDim() + " dimensions";
    }

    /**
     * Loads {@code file} onto {@code device}; {@code activation} and {@code time} replace the
     * preset's when not null.
     *
     * @throws IOException              for an unreadable file or one the preset does not fit (one line naming it)
     * @throws IllegalArgumentException for an unknown dataset or a model that is not 2D
     */
    static LoadedFlow load(ComputeDevice device, Path file, ImportPreset preset, Activation activation, TimeEmbedding time,
                           String source, String target) throws IOException {
        // Both names are checked before anything is read.
        String sourceName = Datasets.byName(source).name();
        String targetName = Datasets.byName(target).name();
        FlowModelFile.Loaded loaded = CheckpointImport.load(device, file, preset, activation, time);
        String why = notPlanar(loaded.model().architecture());
        if (why != null) {
            loaded.close();
            throw new IllegalArgumentException(file.getFileName() + ": " + why);
        }
        Map<String, String> metadata = new TreeMap<>(loaded.checkpoint().metadata());
        metadata.put(Checkpoint.KEY_SOURCE, sourceName);
        metadata.put(Checkpoint.KEY_TARGET, targetName);
        return new LoadedFlow(label(file), loaded.model(), metadata, loaded.isOneStep());
    }

    /** The panel title of a model imported from {@code file}. */
    static String label(Path file) {
        return "imported \u00b7 " + file.getFileName();
    }
}
