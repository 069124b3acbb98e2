package org.flowbench.app.shell;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.Checkpoints;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.views.jobs.BackgroundTask;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Opens checkpoints (safetensors, .npz, .npy) in the background and hands each to the lab that
 * shows its kind (the one on screen first). A foreign checkpoint (its metadata names no Flowbench
 * kind, as a PyTorch state dict's does not) goes to the importer, which offers File > Import
 * checkpoint's dialog. A file that fails to load leaves everything as it was and says why in one line.
 */
public final class CheckpointOpener {

    private final ShellModel model;
    private final java.util.function.Consumer<Path> importer;
    private final ReadOnlyObjectWrapper<Checkpoint> lastOpened = new ReadOnlyObjectWrapper<>(this, "lastOpened");

    /** @param importer offers to import a foreign checkpoint (run on the FX thread) */
    CheckpointOpener(ShellModel model, java.util.function.Consumer<Path> importer) {
        this.model = model;
        this.importer = importer;
    }

    public ReadOnlyObjectProperty<Checkpoint> lastOpenedProperty() {
        return lastOpened.getReadOnlyProperty();
    }

    void open(Path file, Runnable onOpened) {
        BackgroundTask.of("Open checkpoint " + file.getFileName(), ctx -> Checkpoints.load(file))
                .onSuccess(checkpoint -> {
                    lastOpened.set(checkpoint);
                    java.util.Optional<String> lab = model.labOpening(checkpoint.metadata().get(Checkpoint.KEY_KIND));
                    if (checkpoint.metadata().get(Checkpoint.KEY_KIND) == null) {
                        model.showMessage(file.getFileName() + ": " + summary(checkpoint) + "; choose how to import it");
                        onOpened.run();
                        importer.accept(file);
                        return;
                    }
                    if (lab.isPresent()) {
                        model.selectLab(lab.get());
                        model.currentLab().open(file);
                        model.showMessage("Opened " + file.getFileName() + " in " + model.currentLab().title());
                    } else {
                        model.showMessage("Opened " + file.getFileName() + ": " + summary(checkpoint) + "; no lab shows this kind");
                    }
                    onOpened.run();
                })
                .onFailure(error -> model.showOpenFailure(file, error))
                .executeWith(model.executor());
    }

    /** One line: what the checkpoint is, how many tensors and parameters it holds. */
    static String summary(Checkpoint checkpoint) {
        Map<String, String> meta = checkpoint.metadata();
        long parameters = checkpoint.tensorList().stream().mapToLong(Tensor::size).sum();
        String kind = checkpoint.isFlowbench()
                ? "Flowbench " + meta.getOrDefault(Checkpoint.KEY_KIND, "checkpoint")
                : "foreign checkpoint";
        String shapes = checkpoint.tensorList().stream().limit(4)
                .map(t -> t.name() + Arrays.toString(t.shape()))
                .collect(Collectors.joining(", "));
        int more = checkpoint.tensorList().size() - 4;
        return kind + ", " + checkpoint.tensorList().size() + " tensors, " + parameters + " values"
                + (shapes.isEmpty() ? "" : " (" + shapes + (more > 0 ? ", +" + more + " more" : "") + ")");
    }
}
