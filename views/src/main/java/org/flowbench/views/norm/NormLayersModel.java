package org.flowbench.views.norm;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.norm.playground.NormPlayground;
import org.flowbench.compute.norm.playground.PlaygroundInput;
import org.flowbench.compute.norm.playground.PlaygroundLayer;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The view model of the Norm layers page: its parameters, the run of the chosen layer over the
 * chosen input in a background job (latest request wins), and the figure of the chosen view.
 * A parameter change starts a new run; a view change only repaints.
 */
final class NormLayersModel {

    static final String PRESET = "preset";
    static final String MICRO = "micro";
    static final String LAYER = "layer";
    static final String BATCHES = "batches";
    static final String GROUPS = "groups";
    static final String CHANNEL = "channel";
    static final String SEED = "seed";
    static final String VIEW = "view";

    private final LabContext context;
    private final LatestJobSlot slot;
    private final Parameter<String> preset = Parameter.oneOf(PRESET, "Preset", "Input",
            "image: 32 images of 16 channels with per-channel offsets; tokens: 256 tokens of 64 channels, Zipf "
                    + "vocabulary, outlier channels; micro: 1 to 4 images per batch",
            Arrays.stream(PlaygroundInput.values()).map(PlaygroundInput::id).toList(), PlaygroundInput.IMAGE.id());
    private final Parameter<Integer> micro = Parameter.integer(MICRO, "Micro-batch", "Input",
            "images per batch of the micro preset", 2, 1, PlaygroundInput.MAX_MICRO_BATCH);
    private final Parameter<String> layer = Parameter.oneOf(LAYER, "Layer", "Layer", "the normalization layer",
            Arrays.stream(PlaygroundLayer.values()).map(PlaygroundLayer::id).toList(), PlaygroundLayer.BATCHNORM.id());
    private final Parameter<Integer> batches = Parameter.integer(BATCHES, "Batches", "Run",
            "training batches the layer sees (running statistics settle over them)", 100, NormPlayground.MIN_BATCHES,
            NormPlayground.MAX_BATCHES);
    private final Parameter<Integer> groups = Parameter.integer(GROUPS, "Groups", "Layer",
            "channel groups of GroupNorm, EvoNorm-S0 and Batch-Channel Norm; must divide the channels", 4, 1, 64);
    private final Parameter<Integer> channel = Parameter.integer(CHANNEL, "Channel", "Run",
            "the channel the histograms and series start with (tokens: 3, 17, 40, 58 carry outliers)", 3, 0, 63);
    private final Parameter<Long> seed = Parameter.seed(SEED, "Seed", "Run", "seed of the input data", 7);
    private final LabParameters parameters = new LabParameters(List.of(preset, micro, layer, batches, groups, channel, seed));

    private final ReadOnlyObjectWrapper<NormLayersView> view = new ReadOnlyObjectWrapper<>(this, VIEW, NormLayersView.AXES);
    private final ReadOnlyObjectWrapper<NormPlayground.Result> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyObjectWrapper<NormLayersFigure> figure = new ReadOnlyObjectWrapper<>(this, "figure");
    private final ProblemLine problem = new ProblemLine(this);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private boolean closed;
    /** True while a set-up changes several parameters: they start one run at the end, not one each. */
    private boolean applyingSetup;

    NormLayersModel(LabContext context) {
        this.context = context;
        this.slot = new LatestJobSlot(context.executor(), context.later());
        parameters.addListener(() -> {
            if (!applyingSetup) {
                run();
            }
        });
        view.addListener((obs, old, now) -> rebuildFigure());
        context.theme().addListener((obs, old, now) -> rebuildFigure());
    }

    LabParameters parameters() {
        return parameters;
    }

    Parameter<String> preset() {
        return preset;
    }

    Parameter<Integer> micro() {
        return micro;
    }

    Parameter<String> layer() {
        return layer;
    }

    Parameter<Integer> batches() {
        return batches;
    }

    Parameter<Integer> groups() {
        return groups;
    }

    Parameter<Integer> channel() {
        return channel;
    }

    Parameter<Long> seed() {
        return seed;
    }

    ReadOnlyObjectProperty<NormLayersView> viewProperty() {
        return view.getReadOnlyProperty();
    }

    void setView(NormLayersView v) {
        view.set(v);
    }

    ReadOnlyObjectProperty<NormPlayground.Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<NormLayersFigure> figureProperty() {
        return figure.getReadOnlyProperty();
    }

    /** The last problem as one line (bad settings, a failed run), or null. */
    ReadOnlyStringProperty problemProperty() {
        return problem.property();
    }

    /** Shows a refused typed value's one-line reason; null clears an earlier one. */
    void reportProblem(String line) {
        problem.reportRefusal(line);
    }

    ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The settings the parameters describe; throws IllegalArgumentException with one line when they do not fit together. */
    NormPlayground.Settings settings() {
        return new NormPlayground.Settings(PlaygroundInput.byId(preset.get()), micro.get(),
                PlaygroundLayer.byId(layer.get()), batches.get(), groups.get(), channel.get(), seed.get());
    }

    /** Starts a run of the current settings (the latest request wins). */
    void run() {
        if (closed) {
            return;
        }
        slot.request(() -> {
            NormPlayground.Settings s;
            try {
                s = settings();
            } catch (IllegalArgumentException e) {
                problem.set(e.getMessage());
                return null;
            }
            problem.set(null);
            running.set(true);
            progress.set(0);
            status.set("Running " + s.layer().label() + " over " + s.batches() + " batches\u2026");
            return BackgroundTask.of("Norm layers: " + s.layer().label() + " on " + s.input().id(), ctx -> {
                try (ComputeDevice device = context.devices().open(warning -> context.later().execute(() -> status.set("Warning: " + warning)))) {
                    return NormPlayground.run(device, s, done -> ctx.progress(done, s.batches()), ctx::isCancelled);
                }
            }).onSuccess(r -> {
                result.set(r);
                rebuildFigure();
                status.set(summary(r));
            }).onFailure(e -> problem.set(Failures.oneLine(e)))
                    .onFinished(() -> running.set(false));
        });
    }

    private void rebuildFigure() {
        NormPlayground.Result r = result.get();
        figure.set(r == null ? null : new NormLayersFigure(r, view.get(), context.theme().getValue()));
    }

    static String summary(NormPlayground.Result r) {
        NormPlayground.Settings s = r.settings();
        String base = s.layer().label() + " on " + NormLayersFigure.presetText(s) + ", " + s.batches() + " batches";
        if (s.layer().batchDependent()) {
            base += String.format(Locale.ROOT, "; batch vs running %s %.3g", r.statistic(),
                    NormLayersFigure.meanFinite(r.relativeDeviation()));
        }
        double mismatch = NormLayersFigure.meanFinite(r.trainEvalMismatch());
        return base + String.format(Locale.ROOT, "; train vs eval %.3g", mismatch);
    }

    /**
     * Applies a lesson's set-up: the parameter keys, short layer names ({@code bn}, {@code un}...)
     * and {@code view}. All or nothing: a bad value leaves everything as it was and sets the problem.
     */
    void applySetup(Map<String, String> setup) {
        Map<String, Object> values = new LinkedHashMap<>();
        NormLayersView newView = null;
        for (Map.Entry<String, String> e : setup.entrySet()) {
            String key = e.getKey().strip();
            String value = e.getValue() == null ? "" : e.getValue().strip();
            try {
                switch (key) {
                    case VIEW -> newView = NormLayersView.byId(value);
                    case LAYER -> values.put(key, PlaygroundLayer.byId(value).id());
                    case PRESET -> values.put(key, PlaygroundInput.byId(value).id());
                    case MICRO, BATCHES, GROUPS, CHANNEL, SEED -> values.put(key, value);
                    default -> throw new IllegalArgumentException("unknown set-up key '" + key + "' for the Norm layers page "
                            + "(keys: layer, preset, micro, batches, groups, channel, seed, view)");
                }
            } catch (IllegalArgumentException ex) {
                problem.set(ex.getMessage());
                return;
            }
        }
        String bad = parameters.problems(values);
        if (bad != null) {
            problem.set(bad);
            return;
        }
        // Values valid one by one may not fit together (groups that do not divide the channels):
        // apply them without running, check the settings they make, and put the old ones back if not.
        Map<String, Object> before = parameters.values();
        applyingSetup = true;
        try {
            parameters.applyAll(values);
            settings();
        } catch (IllegalArgumentException ex) {
            parameters.applyAll(before);
            problem.set(ex.getMessage());
            return;
        } finally {
            applyingSetup = false;
        }
        if (newView != null) {
            view.set(newView);
        }
        run();
    }

    /** What a session keeps: the parameters and the view. */
    Map<String, Object> viewState() {
        Map<String, Object> state = new LinkedHashMap<>(parameters.values());
        state.put(VIEW, view.get().id());
        return state;
    }

    /** Restores {@link #viewState}; values that do not fit are skipped. */
    void restoreViewState(Map<String, Object> state) {
        for (Parameter<?> p : parameters.all()) {
            Object v = state.get(p.key());
            if (v != null) {
                p.trySet(v);
            }
        }
        Object v = state.get(VIEW);
        if (v instanceof String name) {
            try {
                view.set(NormLayersView.byId(name));
            } catch (IllegalArgumentException ignored) {
                // a view this build does not know: keep the current one
            }
        }
        run();
    }

    FigureTheme theme() {
        return context.theme().getValue();
    }

    void close() {
        closed = true;
        slot.cancel();
    }
}
