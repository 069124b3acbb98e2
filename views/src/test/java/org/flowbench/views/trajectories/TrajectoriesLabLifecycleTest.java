package org.flowbench.views.trajectories;

import javafx.beans.property.SimpleObjectProperty;
import org.flowbench.compute.data.Datasets;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.jobs.HeldTaskExecutor;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.ScriptedDialogs;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab's life in the shell: coalesced jobs, view state kept across jobs, models per panel, closing. */
class TrajectoriesLabLifecycleTest {

    private final Deque<Runnable> later = new ArrayDeque<>();

    private void drainLater() {
        while (!later.isEmpty()) {
            later.poll().run();
        }
    }

    private LabContext queued(org.flowbench.views.jobs.TaskExecutor executor) {
        return new LabContext(executor, new DeviceSelection(), new SimpleObjectProperty<>(FigureTheme.LIGHT), new ScriptedDialogs(),
                message -> { }, later::add);
    }

    @Test
    void aLessonButtonThatSetsTwoParametersStartsOneSamplingJob() {
        TrajectoriesLab lab = new TrajectoriesLab(queued(new CurrentThreadTaskExecutor()), true);
        drainLater();
        int before = lab.samplingJobsStarted();
        assertThat(before).isEqualTo(1);
        lab.apply(Map.of("solver", "rk4", "steps", 4, "particles", 300));
        drainLater();
        assertThat(lab.samplingJobsStarted()).isEqualTo(before + 1);
        assertThat(lab.figureProperty().get().runs().get(0).solver()).isEqualTo("rk4");
        assertThat(lab.figureProperty().get().runs().get(0).steps()).isEqualTo(4);
        lab.close();
    }

    @Test
    void drawingOptionsToggledWhileSamplingRunsAreKept() {
        HeldTaskExecutor executor = new HeldTaskExecutor();
        TrajectoriesLab lab = new TrajectoriesLab(queued(executor), true);
        executor.runAll();
        drainLater();
        executor.runAll();
        assertThat(lab.figureProperty().get()).isNotNull();
        assertThat(lab.parameters().byKey("steps").trySet(4)).isNull();
        drainLater();
        assertThat(executor.waiting()).as("the sampling job is running").isEqualTo(1);
        assertThat(lab.parameters().byKey("field").trySet(true)).isNull();
        assertThat(lab.parameters().byKey("coupling").trySet(true)).isNull();
        executor.runAll();
        TrajectoriesFigure shown = lab.figureProperty().get();
        assertThat(shown.runs().get(0).steps()).isEqualTo(4);
        assertThat(shown.options().field()).isTrue();
        assertThat(shown.options().coupling()).isTrue();
        lab.close();
    }

    @Test
    void eachPanelGetsNoiseFromItsOwnSourceAndTheViewHoldsIt() {
        CurrentThreadTaskExecutor executor = new CurrentThreadTaskExecutor();
        TrajectoriesLab lab = new TrajectoriesLab(TestLabContexts.direct(executor, new DeviceSelection()), true);
        assertThat(lab.parameters().byKey("particles").trySet(400)).isNull();
        lab.files().openCheckpoint(TrajectoriesLab.CURVED, SampleModels.folder().resolve("8gaussians-moons-1rf.safetensors"));
        assertThat(lab.problemProperty().get()).isNull();
        TrajectoriesFigure figure = lab.figureProperty().get();
        assertThat(figure.runs().get(0).positionsAt(0)).containsExactly(Datasets.byName("8gaussians").sample(400, 7));
        assertThat(figure.runs().get(1).positionsAt(0)).as("the right model was trained on N(0, I)")
                .containsExactly(Datasets.NORMAL.sample(400, 7));
        // the gaussians sit at radius 5: the view is fitted to them, and a reset returns to the fitted view
        assertThat(lab.viewBounds().yMax()).isGreaterThan(5);
        assertThat(lab.viewBounds().xMin()).isLessThan(-5);
        lab.setView(new org.flowbench.views.figure.DataBounds(-1, 1, -1, 1));
        lab.setView(null);
        assertThat(lab.viewBounds().yMax()).isGreaterThan(5);
        lab.close();
    }

    @Test
    void trainingOnASketchedTargetShowsTheNewModelOnTheSketch() {
        CurrentThreadTaskExecutor executor = new CurrentThreadTaskExecutor();
        TrajectoriesLab lab = new TrajectoriesLab(TestLabContexts.direct(executor, new DeviceSelection()), true);
        assertThat(lab.parameters().byKey("particles").trySet(200)).isNull();
        for (int i = 0; i < 40; i++) {
            double a = 2 * Math.PI * i / 40;
            lab.training().addDrawnPoint(2 * Math.cos(a), 2 * Math.sin(a));
        }
        assertThat(lab.parameters().byKey("trainTarget").trySet("drawn")).isNull();
        assertThat(lab.parameters().byKey("trainSteps").trySet(30)).isNull();
        float[] lossesBefore = lab.charts().lossHistory().get();
        lab.training().train();
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(lab.model(TrajectoriesLab.CURVED).target()).isEqualTo("drawn");
        assertThat(lab.charts().lossHistory().get()).hasSize(30).isNotEqualTo(lossesBefore);
        // the panels' target (and the checkpoint's record of it) is the sketched circle of radius 2
        float[] target = lab.model(TrajectoriesLab.CURVED).targetDataset().sample(500, 3);
        for (int i = 0; i < target.length; i += 2) {
            assertThat(Math.hypot(target[i], target[i + 1])).isBetween(1.7, 2.3);
        }
        lab.close();
    }

    @Test
    void reflowAndDistillActOnTheRightPanelThroughTheSharedRoutine() {
        TrajectoriesLab lab = new TrajectoriesLab(TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()), true);
        assertThat(lab.parameters().byKey("particles").trySet(200)).isNull();
        assertThat(lab.parameters().byKey("trainSteps").trySet(20)).isNull();
        LoadedFlow left = lab.model(TrajectoriesLab.CURVED);
        lab.training().reflow();
        assertThat(lab.problemProperty().get()).isNull();
        LoadedFlow child = lab.model(TrajectoriesLab.STRAIGHT);
        assertThat(child.label()).isEqualTo("3-RF \u00b7 reflow of 2-RF");
        assertThat(child.metadata()).containsEntry("reflow_round", "3").containsEntry("coupling", "reflow")
                .containsEntry("target", "moons");
        assertThat(child.metadata().get("training")).contains("\"pairs\":5000").contains("dopri5");
        assertThat(lab.model(TrajectoriesLab.CURVED)).as("the left panel is untouched").isSameAs(left);
        assertThat(lab.statusProperty().get()).contains("right panel");
        lab.training().distill();
        assertThat(lab.model(TrajectoriesLab.STRAIGHT).oneStep()).isTrue();
        assertThat(lab.model(TrajectoriesLab.STRAIGHT).metadata()).containsEntry("reflow_round", "3");
        assertThat(lab.figureProperty().get().runs().get(1).steps()).isEqualTo(1);
        lab.close();
    }

    @Test
    void aSessionKeepsThePanelsCheckpointsTimeAndZoom() {
        TrajectoriesLab lab = new TrajectoriesLab(TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()), true);
        java.nio.file.Path folder = SampleModels.folder().toAbsolutePath();
        lab.files().openCheckpoint(TrajectoriesLab.CURVED, folder.resolve("8gaussians-moons-1rf.safetensors"));
        lab.timeProperty().set(0.25);
        lab.setView(new org.flowbench.views.figure.DataBounds(-2, 3, -1, 4));
        Map<String, Object> state = lab.viewState(folder);
        assertThat(state).containsEntry("left", "8gaussians-moons-1rf.safetensors")
                .containsEntry("right", "moons-2rf.safetensors").containsEntry("time", 0.25)
                .containsEntry("view", java.util.List.of(-2.0, 3.0, -1.0, 4.0));
        lab.close();

        TrajectoriesLab reopened = new TrajectoriesLab(TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()), true);
        reopened.restoreViewState(state, folder);
        assertThat(reopened.problemProperty().get()).isNull();
        assertThat(reopened.model(TrajectoriesLab.CURVED).source()).isEqualTo("8gaussians");
        assertThat(reopened.timeProperty().get()).isEqualTo(0.25);
        assertThat(reopened.viewBounds()).isEqualTo(new org.flowbench.views.figure.DataBounds(-2, 3, -1, 4));
        // a missing file is said and skipped; a malformed time is ignored
        reopened.restoreViewState(Map.of("left", "gone.safetensors", "time", "soon"), folder);
        assertThat(reopened.problemProperty().get()).contains("gone.safetensors").contains("missing");
        assertThat(reopened.model(TrajectoriesLab.CURVED).source()).isEqualTo("8gaussians");
        assertThat(reopened.timeProperty().get()).isEqualTo(0.25);
        reopened.close();
    }

    @Test
    void closingFreesTheModelsAndTheDevices() {
        TrajectoriesLab lab = new TrajectoriesLab(TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()), true);
        assertThat(lab.model(TrajectoriesLab.CURVED)).isNotNull();
        assertThat(lab.openDevices()).isEqualTo(1);
        lab.close();
        assertThat(lab.model(TrajectoriesLab.CURVED)).isNull();
        assertThat(lab.model(TrajectoriesLab.STRAIGHT)).isNull();
        assertThat(lab.openDevices()).isZero();
    }
}
