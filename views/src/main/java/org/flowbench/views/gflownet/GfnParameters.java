package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.Environments;
import org.flowbench.compute.gflownet.GfnEnvironment;
import org.flowbench.compute.gflownet.Objective;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.util.Arrays;
import java.util.List;

/** The lab's parameters: what is trained, what is shown, and the inspector's cut. */
final class GfnParameters {

    final Parameter<String> environment = Parameter.of("env", "Environment", "Training",
            "hypergrid:D=2,H=8[,R0=0.1] (any D and H; R0=0.01 or 0.001 is harder) or sets:U=30,S=20",
            String.class, GflowNetsFigures.DEFAULT_ENV, GfnParameters::checkEnvironment);
    final Parameter<String> losses = Parameter.of("losses", "Objectives", "Training",
            "Objectives trained side by side, separated by commas or +: tb, db, subtb:LAMBDA, fldb, fm",
            String.class, GflowNetsFigures.ALL_LOSSES, GfnParameters::checkLosses);
    final Parameter<Integer> trajectories = Parameter.integer("trajectories", "Trajectories", "Training",
            "Trajectories each objective draws", (int) GflowNetsFigures.DEFAULT_TRAJECTORIES, 16, 1_000_000);
    final Parameter<Integer> batch = Parameter.integer("batch", "Batch", "Training", "Trajectories per step", 16, 1, 1024);
    final Parameter<Integer> width = Parameter.integer("width", "Hidden width", "Training", "Units per hidden layer", 64, 4, 512);
    final Parameter<Integer> layers = Parameter.integer("layers", "Hidden layers", "Training", "Hidden layers of the policy MLP", 2, 1, 4);
    final Parameter<Double> learningRate = Parameter.real("lr", "Learning rate", "Training", "Adam learning rate of the network",
            1e-3, 1e-6, 1);
    final Parameter<Double> logZLearningRate = Parameter.real("logzLr", "log Z learning rate", "Training",
            "Adam learning rate of log Z (trajectory balance only)", 0.1, 1e-6, 10);
    final Parameter<Double> epsilon = Parameter.real("epsilon", "Exploration \u03b5", "Training",
            "Probability of a uniformly random allowed action at each step of training trajectories", 0.0, 0, 1);
    final Parameter<Boolean> incomplete = Parameter.of("incomplete", "Incomplete", "Training",
            "Cut each training trajectory after a random number of moves, its reward unseen (DB and FL-DB only)",
            Boolean.class, false, v -> v == null ? "required" : null);
    final Parameter<Integer> snapshot = Parameter.integer("snapshot", "Snapshot every", "Training",
            "Trajectories between snapshots of the timeline", (int) GflowNetsFigures.DEFAULT_SNAPSHOT, 16, 1_000_000);
    final Parameter<Long> seed = Parameter.seed("seed", "Seed", "Training", "Seed of the networks and the sampling", 0);
    final Parameter<String> shown = Parameter.oneOf("shown", "Shown objective", "View",
            "Whose network the grid, the flows and the DAG show", List.of("tb", "db", "subtb:0.9", "fldb", "fm"), "tb")
            .shownAs(GfnSettings::label);
    final Parameter<Integer> axisX = Parameter.integer("axisX", "Grid axis x", "View", "Grid axis drawn left to right", 0, 0, 31);
    final Parameter<Integer> axisY = Parameter.integer("axisY", "Grid axis y", "View", "Grid axis drawn bottom to top", 1, 0, 31);
    final Parameter<String> dagFlows = Parameter.oneOf("dagFlows", "DAG flows", "View",
            "The DAG view shows the true flows or the learned ones", List.of("true", "learned"), "true");
    final Parameter<String> flowDisplay = Parameter.oneOf("flowDisplay", "Flows shown", "View",
            "The Flows view shows learned and true flows side by side, or their difference (learned \u2212 true)",
            GfnFlowFigure.Display.ids(), GfnFlowFigure.Display.SIDE_BY_SIDE.id);
    final Parameter<Integer> cut = Parameter.integer("cut", "Cut after moves", "Trajectory",
            "Replay the inspected trajectory cut after this many moves (incomplete); -1 keeps it whole", -1, -1, 100_000);

    /** A change of these starts a fresh training when the user asks (Train), not by itself. */
    final List<Parameter<?>> training = List.of(environment, losses, trajectories, batch, width, layers, learningRate,
            logZLearningRate, epsilon, incomplete, snapshot, seed);
    /** A change of these only redraws. */
    final List<Parameter<?>> view = List.of(shown, axisX, axisY, dagFlows, flowDisplay);

    final LabParameters all = new LabParameters(List.of(environment, losses, trajectories, batch, width, layers, learningRate,
            logZLearningRate, epsilon, incomplete, snapshot, seed, shown, axisX, axisY, dagFlows, flowDisplay, cut));

    GfnSettings settings() {
        int[] hidden = new int[layers.get()];
        Arrays.fill(hidden, width.get());
        return new GfnSettings(environment.get(), List.of(losses.get().strip().split("\\s*[,+]\\s*")), trajectories.get(), batch.get(),
                hidden, learningRate.get(), logZLearningRate.get(), epsilon.get(), seed.get(), snapshot.get(), incomplete.get());
    }

    private static String checkEnvironment(String spec) {
        if (spec == null) {
            return "an environment is required";
        }
        try {
            GfnEnvironment env = Environments.parse(spec);
            if (env.stateCount() > GfnRun.MAX_SHOWN_STATES) {
                return "at most " + GfnRun.MAX_SHOWN_STATES + " states for the exact views (" + env.spec() + " has "
                        + env.stateCount() + ")";
            }
            return null;
        } catch (IllegalArgumentException e) {
            // the parameter's name leads the line already
            return e.getMessage().replaceFirst("^environment ", "");
        }
    }

    private static String checkLosses(String list) {
        if (list == null || list.isBlank()) {
            return "name at least one of tb, db, subtb, fldb, fm";
        }
        String[] names = list.strip().split("\\s*[,+]\\s*");
        if (names.length > 6) {
            return "at most 6 objectives side by side";
        }
        for (String name : names) {
            try {
                Objective.parse(name);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        return null;
    }
}
