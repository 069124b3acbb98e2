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

    public String source() {
        return metadata.getOrDefault(Checkpoint.KEY_SOURCE, "normal");
    }

    public String target() {
        return metadata.getOrDefault(Checkpoint.KEY_TARGET, "moons");
    }

    /** k of k-RF: 1 for a flow trained on independent pairs, k+1 after k reflow rounds. */
    public int round() {
        try {
            return Integer.parseInt(metadata.getOrDefault(Checkpoint.KEY_REFLOW_ROUND, "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
