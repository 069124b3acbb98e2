package org.flowbench.views.norm;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.flowbench.compute.lm.LmSweep;
import org.flowbench.compute.lm.Placement;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.lab.DialogService;
import org.flowbench.views.lab.LabContext;

import java.awt.geom.Point2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Sweep tab: the grid of final losses (the recorded sample sweep when it opens, a sweep
 * file, or a sweep run here as a job); clicking a run trains it again in the Depth tab.
 */
public final class SweepPage implements NormLabPage {

    static final String TITLE = "Sweep";

    private final LabContext context;
    private final SweepModel model;
    private FigureCanvas canvas;
    private BorderPane page;
    private TextField placements;
    private TextField rates;
    private TextField warmups;
    private TextField seeds;
    private TextField steps;
    private Consumer<LmSweep.Outcome> openInDepth = o -> { };
    private boolean built;

    public SweepPage(LabContext context) {
        this.context = context;
        this.model = new SweepModel(context);
    }

    public SweepModel model() {
        return model;
    }

    /** What a click on a run does (the lab trains it in Depth and shows that tab). */
    void setOnOpenRun(Consumer<LmSweep.Outcome> action) {
        openInDepth = action;
    }

    @Override
    public String title() {
        return TITLE;
    }

    /** Shows the recorded sample sweep. */
    public void loadSample() {
        Path f = NormSamples.folder().resolve(NormSamples.SWEEP);
        if (Files.isRegularFile(f)) {
            model.load(f);
        } else {
            context.status().accept("No sample sweep in " + NormSamples.folder());
        }
    }

    @Override
    public Node node() {
        if (!built) {
            build();
            built = true;
        }
        return page;
    }

    private void build() {
        canvas = new FigureCanvas();
        page = new BorderPane();
        placements = new TextField("post,pre,peri");
        rates = new TextField("1e-3,1e-2,1e-1");
        warmups = new TextField("on,off");
        seeds = new TextField("0,1");
        steps = new TextField("300");
        page.setId("sweepPage");
        canvas.setId("sweepCanvas");
        canvas.figureProperty().bind(model.figureProperty());
        canvas.setMinSize(0, 0);
        canvas.setOnMouseClicked(e -> {
            SweepFigure f = model.figureProperty().get();
            if (f == null) {
                return;
            }
            Point2D at = canvas.toFigure(e.getX(), e.getY());
            f.runAt(canvas.figureArea(), at.getX(), at.getY()).ifPresent(this::open);
        });
        Tooltip.install(canvas, new Tooltip("Click a run to train it again in Depth (same seed, same run)"));
        Button open = new Button("Open sweep\u2026");
        open.setId("openSweep");
        open.setOnAction(e -> context.dialogs().chooseOpenFile("Open a sweep file",
                List.of(new DialogService.FileType("Sweep files (CSV)", "*.csv"))).ifPresent(model::load));
        Button export = new Button("Export CSV\u2026");
        export.setId("exportSweep");
        export.setTooltip(new Tooltip("The sweep shown, in the sweep file's CSV format"));
        export.setOnAction(e -> exportCsv());
        Button sample = new Button("Sample sweep");
        sample.setId("loadSampleSweep");
        sample.setTooltip(new Tooltip("The recorded sweep in samples/norm"));
        sample.setOnAction(e -> loadSample());
        Button run = new Button("Run sweep");
        run.setId("runSweep");
        run.setTooltip(new Tooltip("Train every combination with the model and task of the sweep shown"));
        run.setOnAction(e -> runSweep());
        Button cancel = new Button("Cancel");
        cancel.disableProperty().bind(model.busyProperty().not());
        cancel.setOnAction(e -> model.cancel());
        for (TextField f : List.of(placements, rates, warmups, seeds, steps)) {
            f.setPrefColumnCount(9);
        }
        steps.setPrefColumnCount(4);
        FlowPane controls = new FlowPane(8, 4, open, sample, export, labelled("Placements", placements),
                labelled("Learning rates", rates), labelled("Warm-up", warmups), labelled("Seeds", seeds),
                labelled("Steps", steps), run, cancel);
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.setMinWidth(0);
        Label message = new Label();
        message.setId("sweepMessage");
        message.setWrapText(true);
        message.setMinHeight(Region.USE_PREF_SIZE);
        message.textProperty().bind(model.messageProperty());
        VBox top = new VBox(4, controls, message);
        top.setPadding(new Insets(6, 10, 4, 10));
        page.setTop(top);
        page.setCenter(canvas);
    }

    private static Node labelled(String text, Node control) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        label.setLabelFor(control);
        HBox box = new HBox(4, label, control);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private void exportCsv() {
        LmSweep.Sweep shown = model.sweepProperty().get();
        if (shown == null) {
            context.status().accept("No sweep to export yet");
            return;
        }
        context.dialogs().chooseSaveFile("Export sweep", "sweep.csv", List.of(new DialogService.FileType("CSV", "*.csv")))
                .ifPresent(file -> {
                    try {
                        LmSweep.write(file, shown);
                        context.status().accept("Sweep written to " + file);
                    } catch (java.io.IOException e) {
                        context.status().accept("Could not write " + file + ": " + e.getMessage());
                    }
                });
    }

    /** Frames the run and hands it to Depth. */
    void open(LmSweep.Outcome outcome) {
        model.selectedProperty().set(outcome);
        openInDepth.accept(outcome);
    }

    private void runSweep() {
        LmSweep.Sweep shown = model.sweepProperty().get();
        if (shown == null) {
            context.status().accept("Open a sweep first: a new sweep uses its model and task");
            return;
        }
        try {
            List<Placement> p = new ArrayList<>();
            for (String s : placements.getText().split(",")) {
                p.add(Placement.parse(s));
            }
            List<Float> lrs = new ArrayList<>();
            for (String s : rates.getText().split(",")) {
                lrs.add(Float.parseFloat(s.strip()));
            }
            List<Boolean> w = new ArrayList<>();
            for (String s : warmups.getText().split(",")) {
                switch (s.strip()) {
                    case "on" -> w.add(true);
                    case "off" -> w.add(false);
                    default -> throw new IllegalArgumentException("warm-up '" + s.strip() + "' is not on or off");
                }
            }
            List<Long> sd = new ArrayList<>();
            for (String s : seeds.getText().split(",")) {
                sd.add(Long.parseLong(s.strip()));
            }
            int n = Integer.parseInt(steps.getText().strip());
            LmSweep.Settings old = shown.settings();
            LmSweep.Settings settings = new LmSweep.Settings(old.model(), old.task(), old.taskSize(), n, old.batch(),
                    Math.min(n, Math.max(0, n / 10)), old.weightDecay());
            model.run(settings, LmSweep.grid(p, lrs, w, sd));
        } catch (NumberFormatException e) {
            context.status().accept("Sweep: a learning rate, seed or step count is not a number (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            context.status().accept("Sweep: " + e.getMessage());
        }
    }

    @Override
    public Optional<Figure> currentFigure() {
        return Optional.ofNullable(model.figureProperty().get());
    }

    @Override
    public void applySetup(Map<String, String> setup) {
        String file = setup.get("sweep");
        if (file != null) {
            model.load(NormSamples.folder().resolve(file));
        } else if (model.sweepProperty().get() == null) {
            loadSample();
        }
    }

    @Override
    public Map<String, Object> viewState(Path sessionFolder) {
        Map<String, Object> state = new LinkedHashMap<>();
        Path f = model.fileProperty().get();
        if (f != null) {
            Path abs = f.toAbsolutePath();
            String text = abs.toString();
            if (sessionFolder != null) {
                try {
                    text = sessionFolder.toAbsolutePath().relativize(abs).toString();
                } catch (IllegalArgumentException e) {
                    text = abs.toString();
                }
            }
            state.put("sweep", text);
        }
        return state;
    }

    @Override
    public void restoreViewState(Map<String, Object> state, Path sessionFolder) {
        if (state.get("sweep") instanceof String s) {
            Path f = sessionFolder == null ? Path.of(s) : sessionFolder.resolve(s);
            if (Files.isRegularFile(f)) {
                model.load(f);
            }
        }
    }

    @Override
    public void close() {
        model.cancel();
    }
}
