package org.flowbench.app.cli;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointIndex;
import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.CheckpointImport;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.ImportPreset;
import org.flowbench.compute.ode.OdeSolver;
import org.flowbench.compute.ode.Solvers;
import org.flowbench.compute.ode.TimeGrid;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;

/** Loading a model for the flow commands and choosing how to integrate it. */
final class FlowModels {

    private FlowModels() {
    }

    static FlowModelFile.Loaded load(ComputeDevice device, Path file, String... kinds) throws IOException {
        return load(device, file, null, kinds);
    }

    /** A Flowbench checkpoint, or with {@code --import PRESET} a PyTorch state dict read in that layout. */
    static FlowModelFile.Loaded load(ComputeDevice device, Path file, ImportOption importOption, String... kinds) throws IOException {
        OptionChecks.existingFile("--model", file);
        ImportPreset preset = importOption == null ? null : importOption.preset();
        if (preset == null || preset == ImportPreset.FLOWBENCH) {
            CheckpointIndex index = CheckpointIndex.open(file);
            if (preset == null && !index.metadata().containsKey(Checkpoint.KEY_KIND)) {
                throw new IllegalArgumentException(file.getFileName() + ": not a Flowbench checkpoint (its metadata names no kind);"
                        + " read a PyTorch state dict with --import PRESET (" + ImportPreset.ids() + ")");
            }
            return FlowModelFile.load(device, index, kinds);
        }
        FlowModelFile.Loaded loaded = CheckpointImport.load(device, file, preset, null, null);
        if (kinds.length > 0 && !Arrays.asList(kinds).contains(loaded.kind())) {
            loaded.close();
            throw new IllegalArgumentException(file + ": an imported model is a " + loaded.kind() + ", expected " + String.join(" or ", kinds));
        }
        return loaded;
    }

    /** The source distribution a model was trained from (standard normal when the file does not say). */
    static Dataset source(FlowModelFile.Loaded model) {
        return dataset(model, Checkpoint.KEY_SOURCE, "normal");
    }

    /** A dataset a model's metadata names; an unknown name is one line naming the file and the key. */
    static Dataset dataset(FlowModelFile.Loaded model, String key, String fallback) {
        String name = model.metadata(key, fallback);
        try {
            return Datasets.byName(name);
        } catch (IllegalArgumentException e) {
            Path file = model.checkpoint().file();
            throw new IllegalArgumentException((file == null ? "" : file.getFileName() + ": ") + "metadata '" + key + "': " + e.getMessage());
        }
    }

    static int reflowRound(FlowModelFile.Loaded model) {
        try {
            return Integer.parseInt(model.metadata(Checkpoint.KEY_REFLOW_ROUND, "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** A solver and its grid, with the words that say which. */
    record Integration(OdeSolver solver, TimeGrid grid, String description) {
    }

    /**
     * The integration the solver options ask for; a one-step generator always takes its one Euler
     * step, and a BOSS schedule is computed from the model's own trajectories.
     */
    static Integration integration(FlowModelFile.Loaded model, FlowSolverOptions options, long seed, PrintWriter err)
            throws IOException {
        if (model.isOneStep()) {
            if (options.anyGiven()) {
                FlowSolverOptions.Plan plan = options.plan();
                if (plan.needsBoss() || plan.grid().steps() != 1 || !plan.solver().name().equals("euler")) {
                    throw new IllegalArgumentException("a one-step generator is evaluated with one Euler step; drop the solver options");
                }
            }
            return new Integration(Solvers.byName("euler"), TimeGrid.forward(1), "one-step generator: one Euler step (1 NFE)");
        }
        FlowSolverOptions.Plan plan = options.plan();
        if (plan.needsBoss()) {
            err.printf("computing a %d-step BOSS schedule from the model%n", plan.bossSteps());
            err.flush();
            TimeGrid grid = FlowBoss.schedule(model, plan.bossSteps(), FlowBoss.DEFAULT_GRID, FlowBoss.DEFAULT_REFERENCE, seed);
            return new Integration(plan.solver(), grid, plan.description());
        }
        return new Integration(plan.solver(), plan.grid(), plan.description());
    }
}
