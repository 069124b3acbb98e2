package org.flowbench.views.trajectories;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.data.PointSetDataset;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.JobHandle;
import org.flowbench.views.jobs.TaskExecutor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The lab's training actions: Train (a fresh 1-RF into the left panel, on a named or sketched
 * target), Reflow and Distill (of the right panel's model, into the right panel), one at a time,
 * each with a live loss curve; and the sketched points.
 */
public final class TrajectoriesTraining {

    private final TrajectoriesParameters params;
    private final ModelSlots slots;
    private final TrajectoriesCharts charts;
    private final TaskExecutor executor;
    private final UnaryOperator<BackgroundTask<?>> tracked;
    private final BiConsumer<Integer, TrainingJobs.Trained> trained;
    private final Consumer<String> problem;
    private final Consumer<String> status;
    private final Consumer<Throwable> fail;
    private final ObservableList<Float> drawnPoints = FXCollections.observableArrayList();
    private JobHandle running;

    TrajectoriesTraining(TrajectoriesParameters params, ModelSlots slots, TrajectoriesCharts charts, TaskExecutor executor,
                         UnaryOperator<BackgroundTask<?>> tracked, BiConsumer<Integer, TrainingJobs.Trained> trained,
                         Consumer<String> problem, Consumer<String> status, Consumer<Throwable> fail) {
        this.params = params;
        this.slots = slots;
        this.charts = charts;
        this.executor = executor;
        this.tracked = tracked;
        this.trained = trained;
        this.problem = problem;
        this.status = status;
        this.fail = fail;
    }

    /** Points sketched with the mouse {@code // [2k]}, the "drawn" training target. */
    public ObservableList<Float> drawnPoints() {
        return drawnPoints;
    }

    /** Adds a sketched point (data coordinates) to the drawn target. */
    public void addDrawnPoint(double x, double y) {
        if (Double.isFinite(x) && Double.isFinite(y)) {
            drawnPoints.addAll((float) x, (float) y);
        }
    }

    /** A fresh 1-RF from N(0, I) to the chosen target into the left panel; a sketch is kept in its record. */
    public void train() {
        Dataset target;
        try {
            target = target();
        } catch (IllegalArgumentException e) {
            problem.accept(e.getMessage());
            return;
        }
        String coupling = params.trainCoupling.get();
        var settings = params.trainer(false);
        String sketch = target instanceof PointSetDataset ? sketchText() : null;
        start("Train 1-RF to " + target.name() + " (" + settings.steps() + " steps)", TrajectoriesLab.CURVED, "Training",
                ctx -> slots.onDevice(on -> withSketch(
                        TrainingJobs.train(on, target, coupling, settings, ctx, charts::showLiveLoss), sketch)));
    }

    /** One reflow round of the right panel's model, into the right panel. */
    public void reflow() {
        rectify(false);
    }

    /** Distils the right panel's model into a one-step generator, into the right panel. */
    public void distill() {
        rectify(true);
    }

    /** One reflow round, or distillation, of the right panel's model into the right panel. */
    private void rectify(boolean distill) {
        LoadedFlow from = slots.get(TrajectoriesLab.STRAIGHT);
        if (from == null || from.oneStep()) {
            problem.accept(from == null ? "no model to rectify" : "the right panel holds a one-step generator; open a velocity model first");
            return;
        }
        var settings = params.trainer(distill);
        long seed = params.seed.get();
        int round = from.round();
        String title = distill ? "Distill the right panel's " + round + "-RF to one step"
                : "Reflow the right panel's " + round + "-RF \u2192 " + (round + 1) + "-RF";
        start(title, TrajectoriesLab.STRAIGHT, distill ? "Distillation" : "Reflow", ctx -> slots.onDevice(on ->
                TrainingJobs.rectify(slots, on, from, distill, seed, settings, ctx, charts::showLiveLoss)));
    }

    /** Cancels a running Train, Reflow or Distill job. */
    public void cancel() {
        if (running != null) {
            running.cancel();
        }
    }

    private void start(String title, int slot, String what, BackgroundTask.Body<TrainingJobs.Trained> body) {
        if (running != null && !running.isDone()) {
            problem.accept("a training job is already running; cancel it first");
            return;
        }
        charts.startLiveLoss();
        BackgroundTask<TrainingJobs.Trained> task = BackgroundTask.of(title, ctx -> {
            TrainingJobs.Trained t = body.run(ctx);
            slots.held(t.flow());
            return t;
        });
        tracked.apply(task);
        running = task.onSuccess(done -> trained.accept(slot, done))
                .onCancelled(() -> status.accept(what + " cancelled; the previous model stays"))
                .onFailure(fail)
                .executeWith(executor);
    }

    private Dataset target() {
        if (!TrajectoriesParameters.DRAWN.equals(params.trainTarget.get())) {
            return Datasets.byName(params.trainTarget.get());
        }
        if (drawnPoints.size() < 2 * 8) {
            throw new IllegalArgumentException("draw at least 8 points on the canvas (drag with Shift held) before training on them");
        }
        float[] points = new float[drawnPoints.size()];
        for (int i = 0; i < points.length; i++) {
            points[i] = drawnPoints.get(i);
        }
        return new PointSetDataset(TrajectoriesParameters.DRAWN, points, LoadedFlow.DRAWN_JITTER);
    }

    private String sketchText() {
        StringBuilder text = new StringBuilder();
        for (Float v : drawnPoints) {
            text.append(text.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f", v));
        }
        return text.toString();
    }

    /** The model trained on a sketch records the sketch, so its panel (and a saved checkpoint) can sample it. */
    private static TrainingJobs.Trained withSketch(TrainingJobs.Trained t, String sketch) {
        if (sketch == null) {
            return t;
        }
        Map<String, String> meta = new LinkedHashMap<>(t.flow().metadata());
        meta.put(LoadedFlow.KEY_TARGET_POINTS, sketch);
        LoadedFlow f = t.flow();
        return new TrainingJobs.Trained(new LoadedFlow(f.label(), f.model(), meta, f.oneStep()), t.losses(), t.straightness());
    }
}
