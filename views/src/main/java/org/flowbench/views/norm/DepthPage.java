package org.flowbench.views.norm;

import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.DoubleProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.flowbench.compute.checkpoint.AtomicFiles;
import org.flowbench.compute.lm.AttentionKind;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.LmRecording;
import org.flowbench.compute.lm.Placement;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.lab.DialogService;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.TimelineBar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Depth tab: Post-LN, Pre-LN and Peri-LN side by side (the recorded sample runs when it
 * opens), the metric chooser, the |x| read-out's run and layer, training controls, and the
 * training-step timeline under the figure.
 */
public final class DepthPage implements NormLabPage {

    static final String TITLE = "Depth";
    /** The sentence a checkpoint is probed on unless another is typed. */
    static final String DEFAULT_PROBE_TEXT = "The quick brown fox jumps over the lazy dog.";

    private final LabContext context;
    private final DepthModel model;
    private FigureCanvas canvas;
    private BorderPane page;
    private Label message;
    private ComboBox<DepthMetric> metric;
    private ComboBox<String> activationRun;
    private Spinner<Integer> activationLayer;
    private final Map<Placement, CheckBox> placements = new LinkedHashMap<>();
    private Spinner<Integer> steps;
    private Spinner<Integer> width;
    private Spinner<Integer> layers;
    private TextField lr;
    private CheckBox warmup;
    private ComboBox<AttentionKind> attention;
    private TextField seed;
    /** The input a probed checkpoint reads. */
    private TextField probeText;
    private ProgressBar progress;
    private final DoubleProperty timelineStep = new SimpleDoubleProperty(0);
    private TimelineBar timeline;
    private int timelineMax = -1;
    private boolean built;

    public DepthPage(LabContext context) {
        this.context = context;
        this.model = new DepthModel(context);
    }

    /** The view model (tests and the lab reach it). */
    public DepthModel model() {
        return model;
    }

    @Override
    public String title() {
        return TITLE;
    }

    @Override
    public Node node() {
        if (!built) {
            build();
            built = true;
        }
        return page;
    }

    /** Shows the recorded sample runs of samples/norm. */
    public void loadSamples() {
        List<Path> files = new ArrayList<>();
        for (String name : NormSamples.DEPTH_RUNS) {
            Path f = NormSamples.folder().resolve(name);
            if (Files.isRegularFile(f)) {
                files.add(f);
            }
        }
        if (files.isEmpty()) {
            context.status().accept("No sample runs in " + NormSamples.folder() + "; train some with Train");
            return;
        }
        model.load(files);
    }

    private void build() {
        canvas = new FigureCanvas();
        page = new BorderPane();
        message = new Label();
        metric = new ComboBox<>();
        activationRun = new ComboBox<>();
        activationLayer = new Spinner<>(-1, 512, -1);
        steps = new Spinner<>(1, 100_000, 100, 50);
        width = new Spinner<>(8, 512, 64, 8);
        layers = new Spinner<>(1, 48, 6);
        lr = new TextField("1e-2");
        warmup = new CheckBox("Warm-up");
        attention = new ComboBox<>();
        attention.getItems().setAll(AttentionKind.values());
        attention.setValue(AttentionKind.SOFTMAX);
        attention.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(AttentionKind k) {
                return k == null ? "" : k.label();
            }

            @Override
            public AttentionKind fromString(String text) {
                return AttentionKind.parse(text);
            }
        });
        attention.setId("depthAttention");
        attention.setTooltip(new Tooltip("softmax: scaled dot-product attention; flow: Flowformer's linear-time "
                + "causal flow attention (no attention matrix, so no entropy row)"));
        seed = new TextField("1");
        progress = new ProgressBar(0);
        page.setId("depthPage");
        canvas.setId("depthCanvas");
        canvas.figureProperty().bind(model.figureProperty());
        canvas.setMinSize(0, 0);

        metric.setId("depthMetric");
        metric.getItems().setAll(DepthMetric.values());
        metric.setConverter(new StringConverter<>() {
            @Override
            public String toString(DepthMetric m) {
                return m == null ? "" : m.description();
            }

            @Override
            public DepthMetric fromString(String s) {
                return DepthMetric.parse(s);
            }
        });
        metric.valueProperty().bindBidirectional(model.metricProperty());
        metric.setTooltip(new Tooltip("What the curves and the layer \u00d7 step heatmaps show"));

        activationRun.setId("activationRun");
        activationRun.setTooltip(new Tooltip("The run whose stored weights the |x| panel reads (one forward pass)"));
        model.runsProperty().addListener((o, a, b) -> refreshRuns());
        activationRun.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (b.intValue() >= 0) {
                model.activationRunProperty().set(b.intValue());
            }
        });
        activationLayer.setId("activationLayer");
        // in em, so "last (12)" still fits when View > Zoom enlarges the text
        activationLayer.setStyle("-fx-pref-width: 8em;");
        activationLayer.setEditable(true);
        activationLayer.setTooltip(new Tooltip("Layer of the |x| panel: 0 the embeddings, l the output of block l; "
                + "\"last\" follows the run's last layer (-1 in sessions and on the command line)"));
        activationLayer.getValueFactory().setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer layer) {
                return layer == null ? "" : layerText(layer, lastActivationLayer());
            }

            @Override
            public Integer fromString(String text) {
                return parseLayer(text, activationLayer.getValue());
            }
        });
        activationLayer.getValueFactory().setValue(model.activationLayerProperty().get());
        activationLayer.valueProperty().addListener((o, a, b) -> model.activationLayerProperty().set(b));
        model.activationLayerProperty().addListener((o, a, b) -> {
            if (!b.equals(activationLayer.getValue())) {
                activationLayer.getValueFactory().setValue(b.intValue());
            }
        });
        // "last (L)" names the layer of the run the panel reads, so it follows the run
        model.activationRunProperty().addListener((o, a, b) -> showActivationLayer());

        Button open = new Button("Open run\u2026");
        open.setId("openRun");
        open.setOnAction(e -> context.dialogs().chooseOpenFile("Open a run file",
                List.of(new DialogService.FileType("Run files (safetensors)", "*.safetensors")))
                .ifPresent(model::open));
        probeText = new TextField(DEFAULT_PROBE_TEXT);
        probeText.setId("checkpointText");
        probeText.setPrefColumnCount(18);
        probeText.setTooltip(new Tooltip("The input the checkpoint is probed on: text (its UTF-8 bytes are the tokens of a "
                + "256-entry byte vocabulary) or comma-separated token ids for any vocabulary"));
        Button probe = new Button("Probe a GPT-2 checkpoint\u2026");
        probe.setId("probeCheckpoint");
        probe.setTooltip(new Tooltip("A GPT-2 (Hugging Face) or nanoGPT checkpoint as .safetensors, heads from the config.json "
                + "beside it or its metadata; probed once on the text at the right, shown as one more run at step 0"));
        probe.setOnAction(e -> context.dialogs().chooseOpenFile("Probe a GPT-2 checkpoint",
                List.of(new DialogService.FileType("GPT-2 checkpoints (safetensors)", "*.safetensors")))
                .ifPresent(f -> model.probeCheckpoint(f, probeText.getText())));
        Button samples = new Button("Sample runs");
        samples.setId("loadSamples");
        samples.setTooltip(new Tooltip("The recorded runs in samples/norm"));
        samples.setOnAction(e -> loadSamples());
        Button csv = new Button("Export probes (CSV)\u2026");
        csv.setId("exportProbes");
        csv.setOnAction(e -> exportCsv());
        Button animation = new Button("Export animation (PNG frames + GIF)\u2026");
        animation.setId("exportAnimation");
        animation.setTooltip(new Tooltip("Pick a folder; one frame per probe step of the runs shown and a looping GIF go into "
                + "a new folder '" + DepthAnimation.FOLDER + "'"));
        animation.setOnAction(e -> exportAnimation());

        for (Placement p : Placement.values()) {
            CheckBox box = new CheckBox(DepthRun.placementName(
                    org.flowbench.compute.lm.LmConfig.of(2, 2, 2, 1, 1, p)));
            box.setId("train-" + p.label());
            box.setSelected(p == Placement.POST || p == Placement.PRE || p == Placement.PERI);
            box.setMinWidth(Region.USE_PREF_SIZE);
            placements.put(p, box);
        }
        steps.setId("trainSteps");
        steps.setEditable(true);
        steps.setPrefWidth(90);
        width.setPrefWidth(80);
        width.setEditable(true);
        layers.setPrefWidth(70);
        layers.setEditable(true);
        lr.setPrefColumnCount(5);
        lr.setId("trainLr");
        warmup.setSelected(true);
        warmup.setMinWidth(Region.USE_PREF_SIZE);
        seed.setPrefColumnCount(3);
        Button train = new Button("Train");
        train.setId("train");
        train.setTooltip(new Tooltip("Train the ticked placements from the same seed (same data and initial weights), "
                + "curves growing live"));
        train.setOnAction(e -> train());
        Button cancel = new Button("Cancel");
        cancel.setId("cancelTraining");
        cancel.disableProperty().bind(model.busyProperty().not());
        cancel.setOnAction(e -> model.cancel());
        progress.setId("trainProgress");
        progress.setPrefWidth(90);
        progress.progressProperty().bind(Bindings.createDoubleBinding(() -> model.progressProperty().get(),
                model.progressProperty()));
        progress.visibleProperty().bind(model.busyProperty());

        FlowPane view = flow(labelled("Metric", metric), labelled("|x| of", activationRun),
                labelled("Layer", activationLayer), open, samples, csv, animation, beside(probe, probeText));
        view.setId("depthViewControls");
        List<Node> trainNodes = new ArrayList<>(placements.values());
        trainNodes.addAll(List.of(labelled("Steps", steps), labelled("Width", width), labelled("Layers", layers),
                labelled("Learning rate", lr), warmup, labelled("Attention", attention), labelled("Seed", seed), train, cancel,
                progress));
        FlowPane trainRow = flow(trainNodes.toArray(new Node[0]));
        trainRow.setId("depthTrainControls");
        message.setId("depthMessage");
        message.setWrapText(true);
        message.setMaxWidth(Double.MAX_VALUE);
        message.setMinHeight(Region.USE_PREF_SIZE);
        message.textProperty().bind(model.messageProperty());
        javafx.scene.control.TitledPane trainPane = new javafx.scene.control.TitledPane(
                "Train new runs (same seed, data and initial weights)", trainRow);
        trainPane.setId("depthTrainPane");
        trainPane.setExpanded(false);
        trainPane.setAnimated(false);
        trainPane.setMinWidth(0);
        VBox top = new VBox(4, view, trainPane, message);
        top.setPadding(new Insets(6, 10, 4, 10));
        page.setTop(top);
        StackPane center = new StackPane(canvas);
        center.setMinSize(0, 0);
        page.setCenter(center);
        model.runsProperty().addListener((o, a, b) -> refreshTimeline());
        timelineStep.addListener((o, a, b) -> {
            if (!model.busyProperty().get()) {
                model.stepProperty().set(b.doubleValue());
            }
        });
        model.stepProperty().addListener((o, a, b) -> {
            if (Math.abs(timelineStep.get() - b.doubleValue()) > 0.5) {
                timelineStep.set(b.doubleValue());
            }
        });
        refreshTimeline();
        refreshRuns();
        page.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (timeline != null && !(e.getTarget() instanceof TextField)) {
                timeline.handleKey(e);
            }
        });
    }

    private static Node labelled(String text, Node control) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        label.setLabelFor(control);
        javafx.scene.layout.HBox box = new javafx.scene.layout.HBox(4, label, control);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    /** Nodes kept on one row of a flow (a button and the field it reads). */
    private static Node beside(Node... nodes) {
        javafx.scene.layout.HBox box = new javafx.scene.layout.HBox(6, nodes);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private static FlowPane flow(Node... nodes) {
        FlowPane pane = new FlowPane(8, 4, nodes);
        pane.setAlignment(Pos.CENTER_LEFT);
        pane.setMinWidth(0);
        pane.setPrefWrapLength(400);
        return pane;
    }

    /**
     * How the Layer control shows {@code layer}: -1 (the value sessions and {@code --set layer=}
     * use for the last layer) as "last", with the layer it is when a run is known.
     */
    static String layerText(int layer, int lastLayer) {
        if (layer >= 0) {
            return Integer.toString(layer);
        }
        return lastLayer >= 0 ? "last (" + lastLayer + ")" : "last";
    }

    /** The layer typed into the Layer control: a number, or "last"/-1 for the last; anything else keeps {@code current}. */
    static Integer parseLayer(String text, Integer current) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("last") || t.equals("-1")) {
            return -1;
        }
        try {
            int layer = Integer.parseInt(t);
            return layer >= -1 ? layer : current;
        } catch (NumberFormatException e) {
            return current;
        }
    }

    /** The last layer of the run the |x| panel reads, or -1 when there is none. */
    private int lastActivationLayer() {
        List<DepthRun> list = model.runs();
        int index = model.activationRunProperty().get();
        return index >= 0 && index < list.size() ? list.get(index).config().layers() : -1;
    }

    /** Redraws the Layer control's text (its meaning of "last" changes with the run). */
    private void showActivationLayer() {
        Integer value = activationLayer.getValue();
        if (value != null) {
            activationLayer.getEditor().setText(activationLayer.getValueFactory().getConverter().toString(value));
        }
    }

    private void refreshRuns() {
        showActivationLayer();
        List<String> names = model.runs().stream().map(DepthRun::label).toList();
        if (!names.equals(activationRun.getItems())) {
            activationRun.getItems().setAll(names);
        }
        int index = model.activationRunProperty().get();
        if (index >= 0 && index < names.size() && activationRun.getSelectionModel().getSelectedIndex() != index) {
            activationRun.getSelectionModel().select(index);
        }
    }

    /** A new timeline whenever the runs' last step changes (the kit's timeline has a fixed range). */
    private void refreshTimeline() {
        int max = Math.max(1, model.maxStep());
        if (max == timelineMax) {
            return;
        }
        boolean wasPlaying = timeline != null && timeline.isPlaying();
        if (timeline != null) {
            timeline.stop();
            timeline.activeProperty().unbind();
        }
        timelineMax = max;
        timelineStep.set(Math.min(max, model.stepProperty().get()));
        timeline = new TimelineBar(timelineStep, 0, max);
        timeline.setSecondsForRange(6);
        timeline.setStepActions(() -> jump(+1), () -> jump(-1));
        timeline.infoLabel().textProperty().bind(Bindings.createStringBinding(this::stepText, model.stepProperty(),
                model.runsProperty()));
        timeline.infoLabel().setWrapText(true);
        timeline.infoLabel().setMinHeight(Region.USE_PREF_SIZE);
        page.setBottom(timeline);
        if (wasPlaying) {
            timeline.play();
        }
    }

    /** Moves the step to the next (or previous) probe of the first run. */
    private void jump(int direction) {
        List<DepthRun> runs = model.runs();
        if (runs.isEmpty()) {
            return;
        }
        int now = (int) Math.round(model.stepProperty().get());
        int target = now;
        List<LmProbe> probes = runs.get(0).probes();
        if (direction > 0) {
            for (LmProbe p : probes) {
                if (p.step() > now) {
                    target = p.step();
                    break;
                }
            }
        } else {
            for (int i = probes.size() - 1; i >= 0; i--) {
                if (probes.get(i).step() < now) {
                    target = probes.get(i).step();
                    break;
                }
            }
        }
        timelineStep.set(target);
        model.stepProperty().set(target);
    }

    private String stepText() {
        List<DepthRun> runs = model.runs();
        if (runs.isEmpty()) {
            return "No runs yet";
        }
        int step = (int) Math.round(model.stepProperty().get());
        StringBuilder b = new StringBuilder("Step " + step + " \u00b7 loss");
        for (DepthRun r : runs) {
            b.append(String.format(Locale.ROOT, " %s %.3g", r.label(), r.probeAt(step).loss()));
        }
        return b.toString();
    }

    /** The timeline (tests drive it). */
    TimelineBar timeline() {
        return timeline;
    }

    private void train() {
        try {
            List<Placement> chosen = new ArrayList<>();
            placements.forEach((p, box) -> {
                if (box.isSelected()) {
                    chosen.add(p);
                }
            });
            if (chosen.isEmpty()) {
                context.status().accept("Tick at least one placement to train");
                return;
            }
            DepthModel.TrainSettings d = model.trainSettings();
            float rate = Float.parseFloat(lr.getText().strip());
            long s = Long.parseLong(seed.getText().strip());
            int w = width.getValue();
            if (w % d.heads() != 0) {
                throw new IllegalArgumentException("width must be a multiple of " + d.heads() + " heads, got " + w);
            }
            model.setTrainSettings(new DepthModel.TrainSettings(chosen, w, layers.getValue(), d.heads(),
                    steps.getValue(), rate, warmup.isSelected(), s, d.task(), d.taskSize(), d.batch(),
                    attention.getValue()));
            model.train();
        } catch (NumberFormatException e) {
            context.status().accept("Learning rate and seed must be numbers (got '" + lr.getText() + "', '"
                    + seed.getText() + "')");
        } catch (IllegalArgumentException e) {
            context.status().accept(e.getMessage());
        }
    }

    /** Trains one run (a sweep cell) and shows it alone. */
    void trainRun(LmRecording.Settings settings) {
        model.train(List.of(settings));
    }

    private void exportCsv() {
        if (model.runs().isEmpty()) {
            context.status().accept("No probes to export yet");
            return;
        }
        context.dialogs().chooseSaveFile("Export probes", "depth-probes.csv",
                List.of(new DialogService.FileType("CSV", "*.csv"))).ifPresent(this::writeCsv);
    }

    private void exportAnimation() {
        if (model.figureProperty().get() == null) {
            context.status().accept("No runs to animate yet");
            return;
        }
        context.dialogs().chooseFolder("Export the Depth animation into").ifPresent(this::writeAnimation);
    }

    /** Writes the animation of the figure shown into a new folder inside {@code parent}, as a job. */
    void writeAnimation(Path parent) {
        DepthFigure shown = model.figureProperty().get();
        if (shown == null) {
            return;
        }
        FigureTheme theme = context.theme().getValue();
        BackgroundTask.<Path>of("Export the Depth animation", ctx -> DepthAnimation.export(shown, theme, parent,
                        DepthAnimation.WIDTH, DepthAnimation.HEIGHT, ctx))
                .onSuccess(folder -> context.status().accept("Animation written to " + folder))
                .onFailure(e -> context.status().accept("Could not write the animation: " + Failures.oneLine(e)))
                .executeWith(context.executor());
    }

    /** Writes the probes of the runs shown as CSV (atomically). */
    void writeCsv(Path file) {
        try {
            AtomicFiles.write(file, DepthCsv.format(model.runs()).getBytes(StandardCharsets.UTF_8));
            context.status().accept("Probes written to " + file);
        } catch (IOException e) {
            context.status().accept("Could not write " + file + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<Figure> currentFigure() {
        return Optional.ofNullable(model.figureProperty().get());
    }

    @Override
    public void applySetup(Map<String, String> setup) {
        String m = setup.get("metric");
        if (m != null) {
            try {
                model.metricProperty().set(DepthMetric.parse(m));
            } catch (IllegalArgumentException e) {
                context.status().accept(e.getMessage());
            }
        }
        int step = -1;
        String stepText = setup.get("step");
        if (stepText != null) {
            try {
                step = Integer.parseInt(stepText.strip());
            } catch (NumberFormatException e) {
                context.status().accept("step must be a whole number, got '" + stepText + "'");
            }
        }
        String a = setup.get("attention");
        if (a != null) {
            try {
                AttentionKind kind = AttentionKind.parse(a);
                model.setTrainSettings(model.trainSettings().withAttention(kind));
                if (built) {
                    attention.setValue(kind);
                }
            } catch (IllegalArgumentException e) {
                context.status().accept(e.getMessage());
                return;
            }
        }
        String p = setup.get("placement");
        if (p != null) {
            List<Placement> wanted = new ArrayList<>();
            try {
                for (String s : p.split("[;/ ]+")) {
                    wanted.add(Placement.parse(s));
                }
            } catch (IllegalArgumentException e) {
                context.status().accept(e.getMessage());
                return;
            }
            if (built) {
                placements.forEach((k, box) -> box.setSelected(wanted.contains(k)));
            }
            List<Path> files = new ArrayList<>();
            for (Placement w : wanted) {
                Path f = NormSamples.depthRun(w.label());
                if (f != null && Files.isRegularFile(f)) {
                    files.add(f);
                }
            }
            if (files.size() == wanted.size() && !"true".equals(setup.get("train"))) {
                model.load(files, step);
                return;
            }
            model.setTrainSettings(model.trainSettings().withPlacements(wanted));
            model.train();
            return;
        }
        if (step >= 0) {
            model.stepProperty().set(step);
        }
    }

    @Override
    public Map<String, Object> viewState(Path sessionFolder) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("metric", model.metricProperty().get().key());
        state.put("step", (int) Math.round(model.stepProperty().get()));
        List<String> files = new ArrayList<>();
        for (DepthRun r : model.runs()) {
            if (r.source() != null) {
                Path f = r.source().toAbsolutePath();
                files.add(sessionFolder == null ? f.toString() : relative(sessionFolder, f));
            }
        }
        state.put("runs", files);
        return state;
    }

    private static String relative(Path folder, Path file) {
        try {
            return folder.toAbsolutePath().relativize(file).toString();
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }

    @Override
    public void restoreViewState(Map<String, Object> state, Path sessionFolder) {
        if (state.get("metric") instanceof String m) {
            try {
                model.metricProperty().set(DepthMetric.parse(m));
            } catch (IllegalArgumentException e) {
                context.status().accept("Session: " + e.getMessage());
            }
        }
        if (state.get("runs") instanceof List<?> list) {
            List<Path> files = new ArrayList<>();
            for (Object o : list) {
                if (o instanceof String s) {
                    Path f = sessionFolder == null ? Path.of(s) : sessionFolder.resolve(s);
                    if (Files.isRegularFile(f)) {
                        files.add(f);
                    }
                }
            }
            if (!files.isEmpty()) {
                model.load(files);
            }
        }
        if (state.get("step") instanceof Number n) {
            model.stepProperty().set(n.intValue());
        }
    }

    @Override
    public void onShown() {
        if (timeline != null) {
            timeline.activeProperty().set(true);
        }
    }

    @Override
    public void onHidden() {
        if (timeline != null) {
            timeline.stop();
            timeline.activeProperty().set(false);
        }
    }

    @Override
    public void close() {
        onHidden();
        model.cancel();
    }
}
