package org.flowbench.views.norm;

import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.norm.playground.NormPlayground;
import org.flowbench.compute.norm.playground.PlaygroundInput;
import org.flowbench.compute.norm.playground.PlaygroundLayer;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The view model of the Norm layers page: its parameters, the run of the chosen layer over the
 * chosen input in a background job (latest request wins), and the figure of the chosen view.
 * A parameter change starts a new run; a view change only repaints.
 */
final class NormLayersModel extends PlaygroundModel<NormLayersView, NormLayersFigure> {

    static final String PRESET = "preset";
    static final String MICRO = "micro";
    static final String LAYER = "layer";
    static final String BATCHES = "batches";
    static final String GROUPS = "groups";
    static final String CHANNEL = "channel";
    static final String SEED = "seed";

    private final LatestJobSlot slot = newJobSlot();
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

    private final ReadOnlyObjectWrapper<NormPlayground.Result> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    /** Runs started, counting from 1: the page's progress bar shows the newest. */
    private int runs;
    /** True while a set-up changes several parameters: they start one run at the end, not one each. */
    private boolean applyingSetup;

    NormLayersModel(LabContext context) {
        super(context, "Norm layers", "layer, preset, micro, batches, groups, channel, seed, view", NormLayersView.AXES,
                NormLayersView::byId);
        parameters.addListener(() -> {
            if (!applyingSetup) {
                run();
            }
        });
    }

    @Override
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

    ReadOnlyObjectProperty<NormPlayground.Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The settings the parameters describe; throws IllegalArgumentException with one line when they do not fit together. */
    NormPlayground.Settings settings() {
        return new NormPlayground.Settings(PlaygroundInput.byId(preset.get()), micro.get(),
                PlaygroundLayer.byId(layer.get()), batches.get(), groups.get(), channel.get(), seed.get());
    }

    /** The one job of this page. */
    @Override
    void runAll() {
        run();
    }

    /** Starts a run of the current settings (the latest request wins). */
    void run() {
        request(slot, () -> {
            NormPlayground.Settings s = settings();
            setProblem(null);
            jobStarted();
            int run = ++runs;
            progress.set(0);
            setStatus("Running " + s.layer().label() + " over " + s.batches() + " batches\u2026");
            LabContext context = context();
            return BackgroundTask.of("Norm layers: " + s.layer().label() + " on " + s.input().id(), ctx -> {
                try (ComputeDevice device = context.devices().open(warning -> context.later().execute(() -> setStatus("Warning: " + warning)))) {
                    return NormPlayground.run(device, s, done -> {
                        ctx.progress(done, s.batches());
                        // The page's bar follows the newest run only; a replaced run may still report.
                        context.later().execute(() -> {
                            if (run == runs) {
                                progress.set(done / (double) s.batches());
                            }
                        });
                    }, ctx::isCancelled);
                }
            }).onSuccess(r -> {
                result.set(r);
                rebuildFigure();
                setStatus(summary(r));
            }).onFinished(this::jobFinished);
        });
    }

    @Override
    void rebuildFigure() {
        NormPlayground.Result r = result.get();
        setFigure(r == null ? null : new NormLayersFigure(r, view(), context().theme().getValue()));
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

    /** Short layer and preset names ({@code bn}, {@code un}...) made the full ids. */
    @Override
    String setupValue(String key, String value) {
        return switch (key) {
            case LAYER -> PlaygroundLayer.byId(value).id();
            case PRESET -> PlaygroundInput.byId(value).id();
            default -> value;
        };
    }

    /**
     * Values valid one by one may not fit together (groups that do not divide the channels):
     * applies them without running, checks the settings they make and puts the old ones back if
     * they do not fit; otherwise one run of all of them.
     */
    @Override
    void applyCheckedSetup(Map<String, Object> values, NormLayersView newView) {
        Map<String, Object> before = parameters.values();
        applyingSetup = true;
        try {
            parameters.applyAll(values);
            settings();
        } catch (IllegalArgumentException ex) {
            parameters.applyAll(before);
            setProblem(ex.getMessage());
            return;
        } finally {
            applyingSetup = false;
        }
        if (newView != null) {
            setView(newView);
        }
        run();
    }

    /** Restores {@link #viewState} and runs once with it. */
    @Override
    void restoreViewState(Map<String, Object> state) {
        super.restoreViewState(state);
        run();
    }
}
