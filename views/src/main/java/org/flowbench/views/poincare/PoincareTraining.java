package org.flowbench.views.poincare;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import org.flowbench.compute.embedding.EmbeddingConfig;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.JobHandle;
import org.flowbench.views.lab.LabContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Training tab's model: one job trains the hierarchy on the chosen manifold (or on all
 * three in turn) with the lab's settings, and after every epoch adds the loss, a frame of the
 * points and, every few epochs, mean rank and MAP. The timeline replays the frames of the last
 * run; the charts show the latest curve of each manifold side by side. Cancelling keeps what
 * was recorded.
 */
public final class PoincareTraining {

    /** At most this many frames are kept per run; longer runs keep every k-th epoch. */
    static final int MAX_FRAMES = 400;

    private final PoincareLab lab;
    private final PoincareParameters params;
    private final LabContext context;
    private final Map<String, TrainingCurve> curves = new LinkedHashMap<>();
    private final List<TrainingFrame> frames = new ArrayList<>();
    private final DoubleProperty position = new SimpleDoubleProperty(this, "position", 1);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running", false);
    private final ReadOnlyObjectWrapper<TrainingChartsFigure> charts = new ReadOnlyObjectWrapper<>(this, "charts");
    private final ReadOnlyObjectWrapper<PoincareDiscFigure> disc = new ReadOnlyObjectWrapper<>(this, "disc");
    private final ReadOnlyObjectWrapper<String> progress = new ReadOnlyObjectWrapper<>(this, "progress", "Not trained yet");
    private HierarchyEmbedding trained;
    private JobHandle job;
    private int generation;

    PoincareTraining(PoincareLab lab, PoincareParameters params, LabContext context) {
        this.lab = lab;
        this.params = params;
        this.context = context;
        position.addListener((obs, before, now) -> recompose());
    }

    /** Replay position over the last run's frames, 0 (initial points) to 1 (the last epoch). */
    public DoubleProperty positionProperty() {
        return position;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TrainingChartsFigure> chartsProperty() {
        return charts.getReadOnlyProperty();
    }

    /** The disc of the frame on show. */
    public ReadOnlyObjectProperty<PoincareDiscFigure> discProperty() {
        return disc.getReadOnlyProperty();
    }

    /** One line: epoch, loss, mean rank and MAP of the run, or where it stopped. */
    public ReadOnlyObjectProperty<String> progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The last run's final embedding, or null. */
    public HierarchyEmbedding trained() {
        return trained;
    }

    /** The latest curve of each manifold trained. */
    public List<TrainingCurve> curves() {
        return List.copyOf(curves.values());
    }

    public int frameCount() {
        return frames.size();
    }

    /** The frame the position points at, or null. */
    public TrainingFrame shownFrame() {
        if (frames.isEmpty()) {
            return null;
        }
        int k = (int) Math.round(Math.max(0, Math.min(1, position.get())) * (frames.size() - 1));
        return frames.get(k);
    }

    /** Moves the replay one frame forward (+1) or back (-1). */
    public void step(int direction) {
        if (frames.size() < 2) {
            return;
        }
        int k = (int) Math.round(position.get() * (frames.size() - 1)) + direction;
        k = Math.max(0, Math.min(frames.size() - 1, k));
        position.set(k / (double) (frames.size() - 1));
    }

    /** A new hierarchy: everything trained on the old one goes. */
    void reset() {
        cancel();
        generation++;
        running.set(false);
        curves.clear();
        frames.clear();
        trained = null;
        progress.set("Not trained yet");
        recompose();
    }

    /** Trains on the manifold the parameters name. */
    public void train() {
        start(List.of(params.manifold.get()));
    }

    /** Trains on Poincaré, Euclidean and Lorentz in turn with the same settings. */
    public void trainAll() {
        start(TrainingChartsFigure.MANIFOLDS);
    }

    public void cancel() {
        if (job != null) {
            job.cancel();
        }
    }

    private void start(List<String> manifolds) {
        EdgeList edges = lab.edges();
        Hierarchy h = lab.hierarchy();
        if (edges == null || h == null) {
            lab.fail(new IllegalStateException("no hierarchy loaded"));
            return;
        }
        List<EmbeddingConfig> configs = new ArrayList<>();
        try {
            for (String m : manifolds) {
                configs.add(params.trainingConfig(m));
            }
        } catch (IllegalArgumentException e) {
            lab.fail(e);
            return;
        }
        cancel();
        int evalEvery = params.evalEvery.get();
        int run = ++generation;
        running.set(true);
        String what = String.join(", ", manifolds.stream().map(SpaceNames::of).toList());
        job = lab.tracked(BackgroundTask.of("Train " + what + " (" + configs.get(0).dim() + "-D, " + configs.get(0).epochs() + " epochs)", ctx -> {
                    EmbeddingRun.Result last = null;
                    int total = configs.size() * configs.get(0).epochs();
                    int[] done = {0};
                    for (EmbeddingConfig config : configs) {
                        String m = config.manifold().name();
                        int keepEvery = Math.max(1, (config.epochs() + MAX_FRAMES - 1) / MAX_FRAMES);
                        context.later().execute(() -> begin(run, m, config.dim()));
                        last = EmbeddingRun.run(edges, h, config, evalEvery, (curve, frame) -> {
                            ctx.progress(done[0] + frame.epoch(), total);
                            boolean keep = frame.epoch() % keepEvery == 0 || frame.epoch() == config.epochs();
                            context.later().execute(() -> epoch(run, curve, keep ? frame : null));
                        }, ctx::isCancelled);
                        done[0] += config.epochs();
                    }
                    return last;
                }))
                .onSuccess(result -> finished(run, result))
                .onCancelled(() -> stopped(run, "cancelled"))
                .onFailure(error -> {
                    stopped(run, "stopped");
                    lab.fail(error);
                })
                .executeWith(context.executor());
    }

    private void begin(int run, String manifold, int dim) {
        if (run != generation) {
            return;
        }
        frames.clear();
        curves.put(manifold, TrainingCurve.empty(manifold, dim));
        position.set(1);
    }

    private void epoch(int run, TrainingCurve curve, TrainingFrame frame) {
        if (run != generation) {
            return;
        }
        curves.put(curve.manifold(), curve);
        if (frame != null) {
            boolean following = position.get() >= 1 - 1e-9;
            frames.add(frame);
            if (following) {
                position.set(1);
            }
        }
        progress.set(line(curve));
        recompose();
    }

    private static String line(TrainingCurve c) {
        String eval = Double.isNaN(c.lastMeanRank()) ? "" : String.format(Locale.ROOT, ", mean rank %.3f, MAP %.3f", c.lastMeanRank(), c.lastMap());
        double loss = c.epochs() == 0 ? Double.NaN : c.loss()[c.epochs() - 1];
        return String.format(Locale.ROOT, "%s %d-D: epoch %d, loss %.4f%s, %.1f s", SpaceNames.of(c.manifold()), c.dim(), c.epochs(), loss, eval, c.seconds());
    }

    private void finished(int run, EmbeddingRun.Result result) {
        if (run != generation) {
            return;
        }
        running.set(false);
        trained = result.embedding();
        curves.put(result.curve().manifold(), result.curve());
        progress.set("Done: " + line(result.curve()));
        lab.say("Trained " + line(result.curve()) + "; choose Embedding: trained to see it on the Disc tab");
        recompose();
        if (lab.params().source.get().equals(PoincareParameters.TRAINED)) {
            lab.showSource();
        }
    }

    private void stopped(int run, String how) {
        if (run != generation) {
            return;
        }
        running.set(false);
        TrainingFrame f = frames.isEmpty() ? null : frames.get(frames.size() - 1);
        progress.set("Training " + how + (f == null ? "" : " after epoch " + f.epoch()) + "; its curves stay");
    }

    /** Rebuilds the charts and the replayed disc from the recorded curves and frames. */
    void recompose() {
        Hierarchy h = lab.hierarchy();
        TrainingFrame f = shownFrame();
        charts.set(new TrainingChartsFigure(curves(), f, h, lab.theme()));
        if (f == null || h == null) {
            disc.set(null);
            return;
        }
        String name = String.format(Locale.ROOT, "%s %d-D, epoch %d%s", SpaceNames.of(f.manifold()), curves.containsKey(f.manifold())
                ? curves.get(f.manifold()).dim() : 0, f.epoch(), Double.isNaN(f.loss()) ? " (initial points)"
                : String.format(Locale.ROOT, ", loss %.3f", f.loss()));
        DiscScene s = DiscScene.of(h, f.layout(), 1.0, name);
        disc.set(new PoincareDiscFigure(s, DiscView.IDENTITY, new PoincareDiscFigure.Options(true, true, 12, false), -1, null,
                "Training", lab.theme()));
    }
}
