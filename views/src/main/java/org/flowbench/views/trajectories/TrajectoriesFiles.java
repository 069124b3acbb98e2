package org.flowbench.views.trajectories;

import org.flowbench.compute.device.Activation;
import org.flowbench.compute.nn.ImportPreset;
import org.flowbench.compute.nn.TimeEmbedding;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.TaskExecutor;

import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The panels' checkpoints: opening (two at once, or one into a panel), importing a PyTorch state
 * dict, saving, and which file each panel's model came from, which a saved session keeps. Every
 * load and save is a job; a bad file leaves the panel as it was and says why.
 */
public final class TrajectoriesFiles {

    private final ModelSlots slots;
    private final TaskExecutor executor;
    private final UnaryOperator<BackgroundTask<?>> tracked;
    private final BiConsumer<Integer, LoadedFlow> accept;
    private final Consumer<String> status;
    private final Consumer<String> problem;
    private final Consumer<Throwable> fail;
    /** The checkpoint each panel's model came from (or was saved to); null for a model made here. */
    private final Path[] files = new Path[2];

    TrajectoriesFiles(ModelSlots slots, TaskExecutor executor, UnaryOperator<BackgroundTask<?>> tracked,
                      BiConsumer<Integer, LoadedFlow> accept, Consumer<String> status, Consumer<String> problem,
                      Consumer<Throwable> fail) {
        this.slots = slots;
        this.executor = executor;
        this.tracked = tracked;
        this.accept = accept;
        this.status = status;
        this.problem = problem;
        this.fail = fail;
    }

    /** Opens two velocity checkpoints into the left and right panels, then samples them. */
    public void openModels(Path left, Path right) {
        run(BackgroundTask.of("Load models " + left.getFileName() + ", " + right.getFileName(),
                ctx -> CheckpointJobs.loadBoth(slots, left, right)), loaded -> {
            accept.accept(TrajectoriesLab.CURVED, loaded[0]);
            accept.accept(TrajectoriesLab.STRAIGHT, loaded[1]);
            files[TrajectoriesLab.CURVED] = left;
            files[TrajectoriesLab.STRAIGHT] = right;
        });
    }

    /** Opens one checkpoint into a panel. */
    public void openCheckpoint(int slot, Path file) {
        run(BackgroundTask.of("Open checkpoint " + file.getFileName(), ctx -> CheckpointJobs.load(slots, file)), loaded -> {
            accept.accept(slot, loaded);
            files[slot] = file;
        });
    }

    /**
     * Imports a velocity MLP saved by PyTorch code (a safetensors or .npz state dict) into the left
     * panel; {@code activation} and {@code time} replace the preset's when not null, and the source
     * and target say what the model flows between, since the file does not. The panel keeps no file
     * for sessions: a foreign file is imported again, not reopened.
     */
    public void importCheckpoint(Path file, ImportPreset preset, Activation activation, TimeEmbedding time, String source,
                                 String target) {
        run(BackgroundTask.of("Import checkpoint " + file.getFileName(), ctx -> slots.onDevice(on ->
                slots.held(ImportedFlows.load(on, file, preset, activation, time, source, target)))), loaded -> {
            accept.accept(TrajectoriesLab.CURVED, loaded);
            status.accept("Imported " + file.getFileName() + " (" + preset.id() + ") into the left panel");
        });
    }

    /** Saves the model of a panel as a Flowbench safetensors checkpoint. */
    public void saveCheckpoint(int slot, Path file) {
        LoadedFlow flow = slots.get(slot);
        if (flow == null) {
            problem.accept("no model to save in that panel");
            return;
        }
        run(BackgroundTask.of("Save checkpoint " + file.getFileName(), ctx -> CheckpointJobs.save(slots, flow, file)), saved -> {
            status.accept("Saved " + saved.getFileName());
            if (slots.get(slot) == flow) {
                files[slot] = saved;
            }
        });
    }

    /** The panel got a model that no file holds (trained here, or imported). */
    void forget(int slot) {
        files[slot] = null;
    }

    /** The panels' files, for a saved session. */
    Path[] files() {
        return files.clone();
    }

    /** Opens what a session names: both panels at once, or the one that is named. */
    void reopen(Path[] saved) {
        Path left = saved[TrajectoriesLab.CURVED];
        Path right = saved[TrajectoriesLab.STRAIGHT];
        if (left != null && right != null) {
            openModels(left, right);
        } else if (left != null || right != null) {
            openCheckpoint(left != null ? TrajectoriesLab.CURVED : TrajectoriesLab.STRAIGHT, left != null ? left : right);
        }
    }

    private <V> void run(BackgroundTask<V> task, Consumer<V> done) {
        tracked.apply(task);
        task.onSuccess(done).onFailure(fail).executeWith(executor);
    }
}
