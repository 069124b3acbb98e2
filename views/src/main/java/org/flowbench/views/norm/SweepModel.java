package org.flowbench.views.norm;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.lm.LmSweep;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.lab.LabContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The Sweep page's view model: the sweep shown (a sweep file, or one run here as a job), the run
 * selected in it, and the figure. Selecting a run does not train it; the page hands the selected
 * run's settings to the Depth page, which trains it again from its seed (the same run, step for
 * step).
 */
public final class SweepModel {

    private final LabContext context;
    private final LatestJobSlot jobs;
    private final ReadOnlyObjectWrapper<LmSweep.Sweep> sweep = new ReadOnlyObjectWrapper<>(this, "sweep");
    private final ObjectProperty<LmSweep.Outcome> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyObjectWrapper<SweepFigure> figure = new ReadOnlyObjectWrapper<>(this, "figure");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy", false);
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>(this, "file");

    public SweepModel(LabContext context) {
        this.context = context;
        this.jobs = new LatestJobSlot(context.executor(), context.later());
        sweep.addListener((o, a, b) -> rebuild());
        selected.addListener((o, a, b) -> rebuild());
        context.theme().addListener((o, a, b) -> rebuild());
    }

    public ReadOnlyObjectProperty<LmSweep.Sweep> sweepProperty() {
        return sweep.getReadOnlyProperty();
    }

    /** The run framed in the grid (the one last opened in Depth). */
    public ObjectProperty<LmSweep.Outcome> selectedProperty() {
        return selected;
    }

    public ReadOnlyObjectProperty<SweepFigure> figureProperty() {
        return figure.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The sweep file shown, or null for a sweep run here and not saved. */
    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    /** Reads a sweep file in the background. */
    public void load(Path path) {
        jobs.request(() -> BackgroundTask.<LmSweep.Sweep>of("Read sweep " + path.getFileName(), ctx -> LmSweep.read(path))
                .onSuccess(s -> {
                    selected.set(null);
                    file.set(path);
                    sweep.set(s);
                    say("Sweep " + path.getFileName() + ": " + s.outcomes().size() + " runs");
                }).onFailure(e -> say(Failures.oneLine(e))));
    }

    /** Runs a sweep as a job, each finished run showing at once. */
    public void run(LmSweep.Settings settings, List<LmSweep.Cell> cells) {
        jobs.request(() -> BackgroundTask.<LmSweep.Sweep>of("Sweep " + cells.size() + " runs", ctx -> {
            try (ComputeDevice device = context.devices().open(w -> { })) {
                return LmSweep.run(device, settings, cells, (done, total, o) -> {
                    ctx.progress(done, total);
                    ctx.message(String.format(Locale.ROOT, "run %d/%d", done, total));
                }, ctx::isCancelled);
            }
        }).onRunning(() -> {
            busy.set(true);
            say("Sweeping " + cells.size() + " runs ...");
        }).onSuccess(s -> {
            selected.set(null);
            file.set(null);
            sweep.set(s);
            long diverged = s.outcomes().stream().filter(LmSweep.Outcome::diverged).count();
            say("Swept " + s.outcomes().size() + " runs; " + diverged + " diverged");
        }).onFailure(e -> say(Failures.oneLine(e))).onCancelled(() -> say("Sweep cancelled"))
                .onFinished(() -> busy.set(false)));
    }

    public void cancel() {
        jobs.cancel();
    }

    private void rebuild() {
        LmSweep.Sweep s = sweep.get();
        figure.set(s == null ? null : new SweepFigure(s, selected.get(), context.theme().getValue()));
    }

    private void say(String text) {
        message.set(text);
        context.status().accept(text);
    }
}
