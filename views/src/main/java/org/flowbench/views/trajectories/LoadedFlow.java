package org.flowbench.views.trajectories;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.nn.VelocityMlp;

import java.util.Map;

/**
 * A model shown in one panel: the network, what its checkpoint says about it, and a label.
 * The network holds device buffers and scratch space, so the lab only touches it from jobs that
 * hold the lab's model lock.
 *
 * @param label    panel title, e.g. "1-RF \u00b7 moons-1rf"
 * @param model    the velocity network (or one-step generator)
 * @param metadata checkpoint metadata: kind, source, target, path, reflow_round, training ...
 * @param oneStep  a one-step generator, sampled with one Euler step
 */
public record LoadedFlow(String label, VelocityMlp model, Map<String, String> metadata, boolean oneStep) {

    public LoadedFlow {
        metadata = Map.copyOf(metadata);
    }

    /**
     * Loads a 2D velocity checkpoint (or one-step generator) onto {@code device}.
     *
     * @throws java.io.IOException for an unreadable or corrupt file (one line naming it)
     * @throws IllegalArgumentException for a model that is not a 2D flow
     */
    public static LoadedFlow load(org.flowbench.compute.device.ComputeDevice device, java.nio.file.Path file)
            throws java.io.IOException {
        org.flowbench.compute.nn.FlowModelFile.Loaded loaded = org.flowbench.compute.nn.FlowModelFile.load(device, file);
        Map<String, String> meta = loaded.checkpoint().metadata();
        if (loaded.model().architecture().inputDim() != 2 || loaded.model().architecture().outputDim() != 2) {
            loaded.close();
            throw new IllegalArgumentException(file.getFileName() + " is not a 2D flow (architecture "
                    + loaded.model().architecture().spec() + ")");
        }
        String round = meta.getOrDefault(Checkpoint.KEY_REFLOW_ROUND, "1");
        String name = file.getFileName().toString().replaceFirst("\\.safetensors$", "");
        String label = round + "-RF" + (loaded.isOneStep() ? " distilled, one step" : "") + " \u00b7 " + name;
        return new LoadedFlow(label, loaded.model(), meta, loaded.isOneStep());
    }

    public String source() {
        return metadata.getOrDefault(Checkpoint.KEY_SOURCE, "normal");
    }

    public String target() {
        return metadata.getOrDefault(Checkpoint.KEY_TARGET, "moons");
    }

    /** Metadata key of a sketched target: its points as "x y x y ..." (the target is then "drawn"). */
    public static final String KEY_TARGET_POINTS = org.flowbench.compute.train.Reflow.KEY_TARGET_POINTS;

    /** The target as a data set: a named one, or the sketched points the model was trained on. */
    public org.flowbench.compute.data.Dataset targetDataset() {
        String points = metadata.get(KEY_TARGET_POINTS);
        if (points == null) {
            return org.flowbench.compute.data.Datasets.byName(target());
        }
        String[] parts = points.strip().split("\\s+");
        float[] xy = new float[parts.length - parts.length % 2];
        try {
            for (int i = 0; i < xy.length; i++) {
                xy[i] = Float.parseFloat(parts[i]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint metadata '" + KEY_TARGET_POINTS + "' is not a list of numbers");
        }
        if (xy.length < 2) {
            throw new IllegalArgumentException("checkpoint metadata '" + KEY_TARGET_POINTS + "' holds no point");
        }
        return new org.flowbench.compute.data.PointSetDataset(target(), xy, DRAWN_JITTER);
    }

    /** Spread around each sketched point when a sketched target is sampled. */
    public static final float DRAWN_JITTER = 0.05f;

    /** k of k-RF: 1 for a flow trained on independent pairs, k+1 after k reflow rounds. */
    public int round() {
        try {
            return Integer.parseInt(metadata.getOrDefault(Checkpoint.KEY_REFLOW_ROUND, "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
