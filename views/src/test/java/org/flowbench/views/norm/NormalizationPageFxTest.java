package org.flowbench.views.norm;

import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.ScriptedDialogs;
import org.flowbench.views.layout.LayoutCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab's window headless (Monocle): open with the samples, play, step, switch metric, open a run, export, lesson set-ups, layout. */
@ExtendWith(ApplicationExtension.class)
class NormalizationPageFxTest {

    private NormalizationLab lab;
    private ScriptedDialogs dialogs;
    private Stage stage;
    private final List<String> status = new ArrayList<>();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        dialogs = new ScriptedDialogs();
        LabContext base = org.flowbench.views.lab.TestLabContexts.fx(new FxTaskExecutor(task -> { }), new DeviceSelection(), dialogs);
        LabContext context = new LabContext(base.executor(), base.devices(), base.theme(), dialogs,
                message -> status.add(message), base.later());
        lab = new NormalizationLab(context);
        stage.setScene(new Scene((javafx.scene.Parent) lab.view(), 1260, 780));
        stage.setX(0);
        stage.setY(0);
        stage.show();
        stage.requestFocus();
        lab.onShown();
    }

    private void waitUntil(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + " (status: " + status + ")", e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private DepthModel depth() {
        return lab.depth().model();
    }

    @Test
    void aChangeOfTabClearsTheLinesOfThePageLeftFromTheWindowsStatus(FxRobot robot) throws Exception {
        waitUntil("the sample runs", () -> depth().runs().size() == 3);
        assertThat(status).last().asString().isNotEmpty();
        TabPane tabs = robot.lookup("#normalizationTabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(3));
        assertThat(status).last().isEqualTo("");
    }

    @Test
    void opensFullPlaysStepsSwitchesMetricOpensARunAndExports(FxRobot robot, @TempDir Path dir) throws Exception {
        waitUntil("the sample runs", () -> depth().runs().size() == 3 && depth().activationsProperty().get() != null);
        assertThat(depth().runs()).extracting(DepthRun::label).containsExactly("Post-LN", "Pre-LN", "Peri-LN");
        assertThat(depth().stepProperty().get()).isEqualTo(600);
        FigureCanvas canvas = robot.lookup("#depthCanvas").queryAs(FigureCanvas.class);
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> shot[0] = canvas.canvas().snapshot(null, null));
        assertThat(shot[0].getPixelReader().getArgb(3, 3)).as("the light theme's white background on screen")
                .isEqualTo(0xFFFFFFFF);

        robot.interact(() -> lab.depth().timeline().stepBack());
        assertThat(depth().stepProperty().get()).as("back to the previous probe").isEqualTo(590);
        robot.interact(() -> depth().stepProperty().set(0));
        robot.interact(() -> lab.depth().timeline().stepForward());
        assertThat(depth().stepProperty().get()).isEqualTo(10);
        assertThat(depth().figureProperty().get().step()).isEqualTo(10);
        robot.clickOn("#playButton");
        assertThat(lab.depth().timeline().isPlaying()).isTrue();
        waitUntil("the curves to move", () -> depth().stepProperty().get() > 20);
        robot.clickOn("#playButton");
        assertThat(lab.depth().timeline().isPlaying()).isFalse();
        lab.onHidden();
        robot.interact(() -> lab.depth().timeline().play());
        assertThat(lab.depth().timeline().isPlaying()).as("no animation while the lab is off screen").isFalse();
        robot.interact(lab::onShown);

        @SuppressWarnings("unchecked")
        ComboBox<DepthMetric> metric = robot.lookup("#depthMetric").queryAs(ComboBox.class);
        robot.interact(() -> metric.setValue(DepthMetric.GRADIENT_NORM));
        assertThat(depth().figureProperty().get().metric()).isEqualTo(DepthMetric.GRADIENT_NORM);

        Path run = NormSamples.folder().resolve("depth-pre.safetensors");
        Path copy = dir.resolve("my-pre.safetensors");
        Files.copy(run, copy);
        dialogs.file(copy);
        robot.clickOn("#openRun");
        waitUntil("the opened run", () -> depth().runs().stream().anyMatch(r -> copy.equals(r.source())));
        assertThat(depth().runs()).hasSize(3);
        assertThat(depth().runs().get(1).source()).isEqualTo(copy);

        Path png = dir.resolve("depth.png");
        FigureExporter.export(lab.currentFigure().orElseThrow(), ExportFormat.PNG, 1200, 760, 1, png);
        assertThat(Files.size(png)).isGreaterThan(10_000);
        Path csv = dir.resolve("probes.csv");
        dialogs.file(csv);
        robot.clickOn("#exportProbes");
        WaitForAsyncUtils.waitForFxEvents();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo(DepthCsv.HEADER);
        assertThat(lines).hasSize(1 + 3 * 61 * 9);

        // the animation: a folder chosen through the dialogs, one frame per probe step and a GIF
        Path parent = Files.createDirectory(dir.resolve("animations"));
        dialogs.folder(parent);
        robot.clickOn("#exportAnimation");
        Path gif = parent.resolve(DepthAnimation.FOLDER).resolve(DepthAnimation.GIF);
        waitUntil("the animation", () -> status.stream().anyMatch(s -> s.startsWith("Animation written to")));
        assertThat(gif).exists();
        int steps = DepthAnimation.probeSteps(depth().runs()).length;
        try (var files = Files.list(gif.getParent())) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).isEqualTo(steps);
        }
    }

    @Test
    void probingAGpt2CheckpointAddsItsRunAndABadFileSaysWhy(FxRobot robot, @TempDir Path dir) throws Exception {
        waitUntil("the sample runs", () -> depth().runs().size() == 3);
        TextField text = robot.lookup("#checkpointText").queryAs(TextField.class);
        assertThat(text.getText()).isEqualTo(DepthPage.DEFAULT_PROBE_TEXT);
        robot.interact(() -> text.setText("Layer norms, deep and shallow."));
        dialogs.file(DepthCheckpointProbeTest.GPT2);
        robot.clickOn("#probeCheckpoint");
        waitUntil("the probed checkpoint", () -> depth().runs().size() == 4);
        assertThat(depth().runs()).extracting(DepthRun::label)
                .containsExactly("Post-LN", "Pre-LN", "Peri-LN", "GPT-2 model.safetensors");
        assertThat(depth().runs().get(3).data()).startsWith("30 tokens");
        Path png = dir.resolve("depth-gpt2.png");
        FigureExporter.export(lab.currentFigure().orElseThrow(), ExportFormat.PNG, 1200, 760, 1, png);
        assertThat(Files.size(png)).isGreaterThan(10_000);

        Path bad = dir.resolve("model.ckpt");
        Files.write(bad, new byte[] {(byte) 0x80, 2, 0x7d, 0x71, 0, 0x2e});
        dialogs.file(bad);
        robot.clickOn("#probeCheckpoint");
        waitUntil("the bad file's line", () -> status.stream().anyMatch(s -> s.contains("model.ckpt")));
        assertThat(depth().runs()).hasSize(4);
        Label message = robot.lookup("#depthMessage").queryAs(Label.class);
        assertThat(message.getText()).contains("model.ckpt").doesNotContain("\n");
    }

    @Test
    void lessonSetUpsGoToTheirPageAndUnknownPagesAreIgnored(FxRobot robot) throws Exception {
        waitUntil("the samples", () -> depth().runs().size() == 3 && lab.sweep().model().sweepProperty().get() != null);
        TabPane tabs = robot.lookup("#normalizationTabs").queryAs(TabPane.class);
        robot.interact(() -> lab.applySetup(Map.of("page", "sweep")));
        assertThat(tabs.getSelectionModel().getSelectedItem().getText()).isEqualTo("Sweep");
        robot.interact(() -> lab.applySetup(Map.of("page", "attention", "heads", "4")));
        assertThat(status.get(status.size() - 1)).startsWith("The lesson names a page 'attention'")
                .contains("depth, sweep, layers, scale");
        assertThat(tabs.getSelectionModel().getSelectedItem().getText()).isEqualTo("Sweep");
        robot.interact(() -> lab.applySetup(Map.of("page", "layers", "layer", "rms")));
        assertThat(tabs.getSelectionModel().getSelectedItem().getText()).isEqualTo("Norm layers");
        robot.interact(() -> lab.applySetup(new java.util.LinkedHashMap<>(Map.of("page", "depth", "placement", "pre;peri",
                "metric", "max-abs"))));
        waitUntil("two runs", () -> depth().runs().size() == 2);
        assertThat(tabs.getSelectionModel().getSelectedItem().getText()).isEqualTo("Depth");
        assertThat(depth().runs()).extracting(DepthRun::label).containsExactly("Pre-LN", "Peri-LN");
        assertThat(depth().metricProperty().get()).isEqualTo(DepthMetric.MAX_ABS);
        robot.interact(() -> lab.applySetup(Map.of("page", "depth", "placement", "post;pre;peri", "step", "0")));
        waitUntil("three runs at step 0", () -> depth().runs().size() == 3);
        assertThat(depth().stepProperty().get()).as("the set-up's step, not the runs' last").isZero();
        assertThat(depth().figureProperty().get().step()).isZero();
        assertThat(lab.viewState(null)).containsKeys("depth", "sweep");
    }

    @AfterEach
    void actualSize(FxRobot robot) {
        robot.interact(() -> FigureCanvas.sharedDisplayScale().set(1));
    }

    @Test
    void atDisplayScaleOneAndAHalfAClickOnASweepCellPicksThatCell(FxRobot robot) throws Exception {
        waitUntil("the sample sweep", () -> lab.sweep().model().figureProperty().get() != null);
        robot.interact(() -> {
            lab.applySetup(Map.of("page", "sweep"));
            FigureCanvas.sharedDisplayScale().set(1.5);
        });
        WaitForAsyncUtils.waitForFxEvents();
        FigureCanvas canvas = robot.lookup("#sweepCanvas").queryAs(FigureCanvas.class);
        SweepFigure f = lab.sweep().model().figureProperty().get();
        // the figure as painted at 1.5: laid out in the canvas's size over 1.5, drawn 1.5 times as large
        var area = new java.awt.geom.Rectangle2D.Double(0, 0, canvas.getWidth() / 1.5, canvas.getHeight() / 1.5);
        var outcome = f.sweep().outcomes().stream().filter(o -> o.cell().placement() == org.flowbench.compute.lm.Placement.PRE
                && o.cell().lr() == 1e-2f && o.cell().warmup() && o.cell().seed() == 1).findFirst().orElseThrow();
        var sq = f.square(area, outcome.cell());
        robot.clickOn(canvas.localToScreen(sq.getCenterX() * 1.5, sq.getCenterY() * 1.5));
        assertThat(lab.sweep().model().selectedProperty().get()).isEqualTo(outcome);
        waitUntil("the run trained again", () -> !depth().busyProperty().get() && depth().runs().size() == 1
                && depth().runs().get(0).parameters() != null);
        assertThat(depth().runs().get(0).config().placement()).isEqualTo(outcome.cell().placement());
    }

    @Test
    void clickingASweepCellTrainsThatRunInDepth(FxRobot robot) throws Exception {
        waitUntil("the sample sweep", () -> lab.sweep().model().figureProperty().get() != null);
        robot.interact(() -> lab.applySetup(Map.of("page", "sweep")));
        WaitForAsyncUtils.waitForFxEvents();
        FigureCanvas canvas = robot.lookup("#sweepCanvas").queryAs(FigureCanvas.class);
        Path csv = java.nio.file.Files.createTempFile("sweep", ".csv");
        dialogs.file(csv);
        robot.clickOn("#exportSweep");
        assertThat(Files.readString(csv)).isEqualTo(Files.readString(NormSamples.folder().resolve(NormSamples.SWEEP)));
        Files.delete(csv);
        WaitForAsyncUtils.waitForFxEvents();
        SweepFigure f = lab.sweep().model().figureProperty().get();
        var area = new java.awt.geom.Rectangle2D.Double(0, 0, canvas.getWidth(), canvas.getHeight());
        // Post-LN, lr 1e-2, no warm-up, seed 1: the seed that fails without warm-up
        var outcome = f.sweep().outcomes().stream().filter(o -> o.cell().placement() == org.flowbench.compute.lm.Placement.POST
                && o.cell().lr() == 1e-2f && !o.cell().warmup() && o.cell().seed() == 1).findFirst().orElseThrow();
        var sq = f.square(area, outcome.cell());
        robot.clickOn(canvas.localToScreen(sq.getCenterX(), sq.getCenterY()));
        assertThat(lab.sweep().model().selectedProperty().get()).isEqualTo(outcome);
        waitUntil("the run trained again", () -> !depth().busyProperty().get() && depth().runs().size() == 1
                && depth().runs().get(0).parameters() != null);
        assertThat(depth().runs().get(0).config().placement()).isEqualTo(outcome.cell().placement());
        assertThat(depth().runs().get(0).lastStep()).isEqualTo(300);
    }

    @Test
    void everyControlsLabelIsCapitalisedAsOnTheOtherPages(FxRobot robot) throws Exception {
        List<String> lowerCase = new ArrayList<>();
        robot.interact(() -> {
            for (javafx.scene.Node node : lab.view().lookupAll(".tab-pane")) {
                javafx.scene.control.TabPane tabs = (javafx.scene.control.TabPane) node;
                for (javafx.scene.control.Tab tab : tabs.getTabs()) {
                    tabs.getSelectionModel().select(tab);
                    ((javafx.scene.Parent) lab.view()).applyCss();
                    ((javafx.scene.Parent) lab.view()).layout();
                }
            }
            for (javafx.scene.Node node : lab.view().lookupAll(".label")) {
                if (node instanceof javafx.scene.control.Label label && label.getLabelFor() != null
                        && Character.isLowerCase(label.getText().codePointAt(0)) && !lowerCase.contains(label.getText())) {
                    lowerCase.add(label.getText());
                }
            }
        });
        assertThat(lowerCase).isEmpty();
    }

    @Test
    void theProbeTextStaysOnTheRowOfItsButton(FxRobot robot) throws Exception {
        // the lookups below walk the scene off the FX thread: wait until loading the samples has
        // stopped replacing nodes (the timeline is rebuilt when the runs arrive)
        waitUntil("the sample runs", () -> depth().runs().size() == 3 && depth().activationsProperty().get() != null);
        // the page's width in a 1280- or 1024-wide window and the widths around them
        for (int width = 700; width <= 1280; width += 20) {
            double[] size = {width, 700};
            LayoutCheck.problemsAt(stage, size[0], size[1], lab.view());
            javafx.scene.Node button = robot.lookup("#probeCheckpoint").query();
            javafx.scene.Node text = robot.lookup("#checkpointText").query();
            javafx.geometry.Bounds b = button.localToScene(button.getLayoutBounds());
            javafx.geometry.Bounds t = text.localToScene(text.getLayoutBounds());
            assertThat(t.getCenterY()).as("at %sx%s", size[0], size[1]).isCloseTo(b.getCenterY(), org.assertj.core.api.Assertions.within(2.0));
            assertThat(t.getMinX()).isGreaterThan(b.getMaxX());
        }
    }

    @Test
    void theLayerControlSaysLastForMinusOneAndKeepsMinusOneInTheModel(FxRobot robot) throws Exception {
        waitUntil("the sample runs", () -> depth().runs().size() == 3);
        @SuppressWarnings("unchecked")
        javafx.scene.control.Spinner<Integer> layer = robot.lookup("#activationLayer").queryAs(javafx.scene.control.Spinner.class);
        int last = depth().runs().get(depth().activationRunProperty().get()).config().layers();
        assertThat(depth().activationLayerProperty().get()).isEqualTo(-1);
        assertThat(layer.getEditor().getText()).isEqualTo("last (" + last + ")");
        assertThat(layer.getTooltip().getText()).contains("last").contains("-1");
        robot.interact(() -> layer.increment());
        assertThat(layer.getEditor().getText()).isEqualTo("0");
        assertThat(depth().activationLayerProperty().get()).isEqualTo(0);
        // a session or lesson that sets -1 shows "last" again
        robot.interact(() -> depth().activationLayerProperty().set(-1));
        assertThat(layer.getValue()).isEqualTo(-1);
        assertThat(layer.getEditor().getText()).startsWith("last");
        robot.interact(() -> {
            layer.getEditor().setText("3");
            layer.commitValue();
        });
        assertThat(depth().activationLayerProperty().get()).isEqualTo(3);
        robot.interact(() -> {
            layer.getEditor().setText("last");
            layer.commitValue();
        });
        assertThat(depth().activationLayerProperty().get()).isEqualTo(-1);
        // three steps of View > Zoom in (a root font of 13 x 1.331 px): "last (12)" still fits the box
        String style = layer.getStyle();
        robot.interact(() -> layer.setStyle(style + " -fx-font-size: 17.3px;"));
        robot.interact(() -> layer.getScene().getRoot().layout());
        double[] room = new double[2];
        robot.interact(() -> {
            javafx.scene.text.Text text = new javafx.scene.text.Text("last (12)");
            text.setFont(layer.getEditor().getFont());
            javafx.geometry.Insets pad = layer.getEditor().getInsets();
            room[0] = text.getLayoutBounds().getWidth();
            room[1] = layer.getEditor().getWidth() - pad.getLeft() - pad.getRight();
        });
        robot.interact(() -> layer.setStyle(style));
        assertThat(room[0]).as("\"last (12)\" at the zoomed font against the editor's room").isLessThanOrEqualTo(room[1]);
    }

    @Test
    void layerTextAndParsingRoundTrip() {
        assertThat(DepthPage.layerText(-1, 8)).isEqualTo("last (8)");
        assertThat(DepthPage.layerText(-1, -1)).isEqualTo("last");
        assertThat(DepthPage.layerText(5, 8)).isEqualTo("5");
        assertThat(DepthPage.parseLayer("last (8)", 2)).isEqualTo(-1);
        assertThat(DepthPage.parseLayer(" -1 ", 2)).isEqualTo(-1);
        assertThat(DepthPage.parseLayer("4", 2)).isEqualTo(4);
        assertThat(DepthPage.parseLayer("four", 2)).isEqualTo(2);
        assertThat(DepthPage.parseLayer("-7", 2)).isEqualTo(2);
    }

    @Test
    void theWindowLaysOutCleanlyAtBothSizes(FxRobot robot) throws Exception {
        waitUntil("the samples", () -> depth().runs().size() == 3 && lab.sweep().model().sweepProperty().get() != null);
        List<String> problems = new ArrayList<>();
        problems.addAll(LayoutCheck.problemsAt(stage, 1280, 800, lab.view()));
        problems.addAll(LayoutCheck.problemsAt(stage, 1024, 700, lab.view()));
        problems.addAll(LayoutCheck.problemsAt(stage, 760, 560, lab.view()));
        assertThat(problems).isEmpty();
    }
}
