package org.flowbench.views.trajectories;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.flowbench.compute.data.Datasets;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.TaskExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What the lab's Charts tab shows and the jobs that measure it: W2 against NFE per solver,
 * straightness per reflow round, the training loss (live while a job trains), the training
 * timestep distribution and the BOSS plans of the shown models.
 */
public final class TrajectoriesCharts {

    private final TrajectoriesParameters params;
    private final ModelSlots slots;
    private final TaskExecutor executor;
    private final UnaryOperator<BackgroundTask<?>> tracked;
    private final Consumer<Throwable> fail;
    private final ReadOnlyObjectWrapper<List<FlowComparison>> comparison = new ReadOnlyObjectWrapper<>(this, "comparison", List.of());
    private final ReadOnlyObjectWrapper<TimestepHistogram> timesteps = new ReadOnlyObjectWrapper<>(this, "timesteps");
    private final ReadOnlyObjectWrapper<List<BossPlan>> bossPlans = new ReadOnlyObjectWrapper<>(this, "bossPlans", List.of());
    private final ReadOnlyObjectWrapper<float[]> lossHistory = new ReadOnlyObjectWrapper<>(this, "lossHistory", new float[0]);
    private final ObservableList<double[]> straightnessByRound = FXCollections.observableArrayList();
    /** The newest live loss curve not yet shown; the FX thread shows it at most once per pulse. */
    private final java.util.concurrent.atomic.AtomicReference<float[]> pendingLoss = new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.Executor later;

    TrajectoriesCharts(TrajectoriesParameters params, ModelSlots slots, TaskExecutor executor, java.util.concurrent.Executor later,
                       UnaryOperator<BackgroundTask<?>> tracked, Consumer<Throwable> fail) {
        this.params = params;
        this.slots = slots;
        this.executor = executor;
        this.later = later;
        this.tracked = tracked;
        this.fail = fail;
        params.trainTime.valueProperty().addListener((obs, before, now) -> updateTimesteps());
        params.uShapedA.valueProperty().addListener((obs, before, now) -> updateTimesteps());
        params.seed.valueProperty().addListener((obs, before, now) -> updateTimesteps());
        updateTimesteps();
    }

    public ReadOnlyObjectProperty<List<FlowComparison>> comparison() {
        return comparison.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TimestepHistogram> timesteps() {
        return timesteps.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<BossPlan>> bossPlans() {
        return bossPlans.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<float[]> lossHistory() {
        return lossHistory.getReadOnlyProperty();
    }

    public ObservableList<double[]> straightnessByRound() {
        return straightnessByRound;
    }

    void showBossPlans(List<BossPlan> plans) {
        bossPlans.set(plans);
    }

    /** A training job starts: the loss chart empties and then follows it. */
    void startLiveLoss() {
        pendingLoss.set(null);
        lossHistory.set(new float[0]);
    }

    /** The losses so far of the running job (any thread); shown on the FX thread, the newest wins. */
    void showLiveLoss(float[] losses) {
        if (pendingLoss.getAndSet(losses) == null) {
            later.execute(() -> {
                float[] newest = pendingLoss.getAndSet(null);
                if (newest != null) {
                    lossHistory.set(newest);
                }
            });
        }
    }

    /** A training job has finished: its whole loss curve, and its straightness point. */
    void showTrained(TrainingJobs.Trained done) {
        pendingLoss.set(null);
        lossHistory.set(done.losses());
        if (!done.flow().oneStep()) {
            straightnessByRound.add(new double[] {done.flow().round(), done.straightness()});
        }
    }

    /** A few milliseconds of drawing, so done at once rather than as a job. */
    private void updateTimesteps() {
        timesteps.set(TimestepHistogram.of(params.timestepDistribution(), TimestepHistogram.DEFAULT_SAMPLES,
                TimestepHistogram.DEFAULT_BINS, params.seed.get()));
    }

    /** W2 against NFE for every solver, both models, on 500 particles. */
    public void compareSolvers() {
        if (!slots.bothFilled()) {
            return;
        }
        LoadedFlow[] models = slots.snapshot();
        long s = params.seed.get();
        BackgroundTask<List<FlowComparison>> task = BackgroundTask.of("Measure W2 against NFE", ctx -> slots.withModels(() -> {
            float[] noise = Datasets.byName(models[0].source()).sample(500, s + 11);
            float[] target = models[0].targetDataset().sample(500, s + 12);
            List<FlowComparison> out = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                ctx.progress(p, 2);
                out.add(FlowComparison.measure(models[p].label(), models[p].model(), noise, target, ctx::isCancelled));
            }
            return List.copyOf(out);
        }));
        tracked.apply(task);
        task.onSuccess(comparison::set).onFailure(fail).executeWith(executor);
    }

    /** Straightness of both shown models with the probe settings (RK4, 32 steps). */
    public void measureStraightness() {
        if (!slots.bothFilled()) {
            return;
        }
        LoadedFlow[] models = slots.snapshot();
        BackgroundTask<double[][]> task = BackgroundTask.of("Measure straightness per reflow round", ctx -> slots.withModels(() -> {
            double[][] out = new double[2][];
            for (int p = 0; p < 2; p++) {
                out[p] = new double[] {models[p].round(),
                        models[p].oneStep() ? 0 : TrainingJobs.probeStraightness(models[p].model(), models[p].source())};
            }
            return out;
        }));
        tracked.apply(task);
        task.onSuccess(out -> {
                    for (double[] point : out) {
                        straightnessByRound.removeIf(p -> p[0] == point[0]);
                        straightnessByRound.add(point);
                    }
                    straightnessByRound.sort((a, b) -> Double.compare(a[0], b[0]));
                })
                .onFailure(fail)
                .executeWith(executor);
    }
}
