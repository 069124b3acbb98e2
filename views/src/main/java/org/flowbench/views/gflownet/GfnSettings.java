package org.flowbench.views.gflownet;

import org.flowbench.compute.device.Activation;
import org.flowbench.compute.gflownet.Environments;
import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.compute.gflownet.Objective;

import java.util.List;

/**
 * One training of the lab: every objective in {@code losses} trained side by side on the same
 * environment, with the same network shape, optimiser, exploration and seed; a snapshot every
 * {@code snapshotEvery} trajectories. {@code incomplete} cuts trajectories for the objectives
 * that learn from incomplete ones (DB, FL-DB) and leaves the others complete.
 */
record GfnSettings(String environment, List<String> losses, long trajectories, int batch, int[] hidden,
                   double learningRate, double logZLearningRate, double epsilon, long seed, long snapshotEvery,
                   boolean incomplete) {

    GfnSettings {
        Environments.parse(environment);
        if (losses.isEmpty()) {
            throw new IllegalArgumentException("losses: name at least one of tb, db, subtb, fldb, fm");
        }
        losses = losses.stream().map(l -> Objective.parse(l).spec()).distinct().toList();
        hidden = hidden.clone();
    }

    /** The compute config of one of the losses. */
    GfnTraining.Config config(String loss) {
        boolean cut = incomplete && Objective.parse(loss).acceptsIncomplete();
        return new GfnTraining.Config(environment, loss, hidden, Activation.RELU, batch, trajectories, learningRate,
                logZLearningRate, epsilon, 1.0, seed, 0, 0, cut, snapshotEvery);
    }

    /** The label a loss gets in charts and headers ("FL-DB", "SubTB(0.9)"). */
    static String label(String loss) {
        Objective o = Objective.parse(loss);
        return switch (o.kind()) {
            case TB -> "TB";
            case DB -> "DB";
            case FLDB -> "FL-DB";
            case FM -> "FM";
            case SUBTB -> "SubTB(" + o.spec().substring(o.spec().indexOf(':') + 1) + ")";
        };
    }
}
