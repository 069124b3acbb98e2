package org.flowbench.views.trajectories;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.TaskExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The inspected particle's rows (t, x, v and the local error of every step, per panel), measured
 * in the background against a fine RK4 reference under the model lock.
 */
final class ParticleInspector {

    private final ModelSlots slots;
    private final TaskExecutor executor;
    private final Consumer<Throwable> fail;
    private final ReadOnlyObjectWrapper<List<ParticleInspection>> rows = new ReadOnlyObjectWrapper<>(this, "inspection", List.of());

    ParticleInspector(ModelSlots slots, TaskExecutor executor, Consumer<Throwable> fail) {
        this.slots = slots;
        this.executor = executor;
        this.fail = fail;
    }

    ReadOnlyObjectProperty<List<ParticleInspection>> rows() {
        return rows.getReadOnlyProperty();
    }

    /** Inspects {@code particle} of the shown runs; -1 (or no figure) clears the rows. */
    void inspect(int particle, TrajectoriesFigure shown) {
        if (particle < 0 || shown == null) {
            rows.set(List.of());
            return;
        }
        LoadedFlow[] models = slots.snapshot();
        List<FlowRun> runs = shown.runs();
        BackgroundTask.of("Inspect particle " + particle, ctx -> slots.withModels(() -> {
                    List<ParticleInspection> out = new ArrayList<>();
                    for (int p = 0; p < runs.size(); p++) {
                        ctx.checkCancelled();
                        out.add(ParticleInspection.of(runs.get(p), models[p].model(), particle));
                    }
                    return List.copyOf(out);
                }))
                .onSuccess(rows::set)
                .onFailure(fail)
                .executeWith(executor);
    }

    void clear() {
        rows.set(List.of());
    }
}
