package org.flowbench.views.trajectories;

import org.flowbench.views.lab.ScriptedDialogs;
import org.flowbench.views.lab.TestLabContexts;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.VelocityMlp;
import org.flowbench.compute.ode.ExplicitRungeKutta;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.views.lab.Lesson;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The lab's view model on the current thread with the two sample models from samples/. */
class TrajectoriesLabTest {

    @TempDir
    Path dir;

    private CurrentThreadTaskExecutor executor;
    private DeviceSelection devices;
    private TrajectoriesLab lab;

    @BeforeEach
    void open() {
        executor = new CurrentThreadTaskExecutor();
        devices = new DeviceSelection();
        lab = new TrajectoriesLab(TestLabContexts.direct(executor, devices), true);
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(lab.parameters().byKey("particles").trySet(300)).isNull();
        assertThat(lab.figureProperty().get()).isNotNull();
    }

    @Test
    void opensOnTheCurvedAndTheStraightModelWithTheSameNoise() {
        TrajectoriesFigure figure = lab.figureProperty().get();
        assertThat(figure.runs()).hasSize(2);
        FlowRun curved = figure.runs().get(0);
        FlowRun straight = figure.runs().get(1);
        assertThat(curved.label()).startsWith("1-RF");
        assertThat(straight.label()).startsWith("2-RF");
        assertThat(curved.positionsAt(0)).containsExactly(straight.positionsAt(0));
        assertThat(curved.positionsAt(0)).containsExactly(Datasets.NORMAL.sample(300, 7));
        // reflow straightens: the 2-RF paths are far straighter than the 1-RF ones
        assertThat(straight.straightness()).isLessThan(0.2 * curved.straightness());
    }

    @Test
    void steppingForwardAndBackLandsOnTheSolversStates() {
        VelocityMlp curved = lab.model(TrajectoriesLab.CURVED).model();
        float[] noise = Datasets.NORMAL.sample(300, 7);
        lab.stepForward();
        lab.stepForward();
        lab.stepForward();
        assertThat(lab.timeProperty().get()).isCloseTo(3.0 / 8, within(1e-12));
        float[] expected = ExplicitRungeKutta.EULER.integrate(curved, noise, 300, TimeGrid.uniform(0, 3.0 / 8, 3)).finalState();
        float[] shown = lab.figureProperty().get().runs().get(0).positionsAt(lab.timeProperty().get());
        for (int j = 0; j < expected.length; j++) {
            assertThat(shown[j]).isCloseTo(expected[j], within(1e-5f));
        }
        lab.stepBack();
        assertThat(lab.timeProperty().get()).isCloseTo(2.0 / 8, within(1e-12));
        float[] two = ExplicitRungeKutta.EULER.integrate(curved, noise, 300, TimeGrid.uniform(0, 2.0 / 8, 2)).finalState();
        float[] back = lab.figureProperty().get().runs().get(0).positionsAt(lab.timeProperty().get());
        for (int j = 0; j < two.length; j++) {
            assertThat(back[j]).isCloseTo(two[j], within(1e-5f));
        }
        FlowRun run = lab.figureProperty().get().runs().get(0);
        assertThat(run.nfe()[run.stepAt(lab.timeProperty().get())]).isEqualTo(2);
        for (int i = 0; i < 20; i++) {
            lab.stepBack();
        }
        assertThat(lab.timeProperty().get()).isZero();
    }

    @Test
    void changingTheSolverRecomputes() {
        TrajectoriesFigure before = lab.figureProperty().get();
        assertThat(lab.params().solver.trySet("rk4")).isNull();
        TrajectoriesFigure after = lab.figureProperty().get();
        assertThat(after).isNotSameAs(before);
        assertThat(after.runs().get(0).solver()).isEqualTo("rk4");
        assertThat(after.runs().get(0).totalNfe()).isEqualTo(32);
        assertThat(after.runs().get(0).stages()).isEqualTo(4);
        assertThat(lab.params().solver.trySet("dopri5")).isNull();
        FlowRun adaptive = lab.figureProperty().get().runs().get(0);
        assertThat(adaptive.solver()).startsWith("dopri5");
        int[] nfe = adaptive.nfe();
        for (int k = 1; k < nfe.length; k++) {
            assertThat(nfe[k]).isGreaterThan(nfe[k - 1]);
        }
    }

    @Test
    void cancellingTrainingStopsItAndKeepsThePreviousModel() {
        LoadedFlow before = lab.model(TrajectoriesLab.CURVED);
        assertThat(lab.parameters().byKey("trainSteps").trySet(100_000)).isNull();
        TrajectoriesFigure shown = lab.figureProperty().get();
        executor.cancelNextAfter(20);
        long started = System.nanoTime();
        lab.training().train();
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(30.0);
        assertThat(lab.model(TrajectoriesLab.CURVED)).isSameAs(before);
        assertThat(lab.figureProperty().get()).isSameAs(shown);
        assertThat(lab.statusProperty().get()).contains("cancelled");
        assertThat(lab.problemProperty().get()).isNull();
    }

    @Test
    void trainingReplacesTheLeftModelAndRecordsItsLoss() {
        assertThat(lab.parameters().byKey("trainSteps").trySet(60)).isNull();
        lab.training().train();
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(lab.model(TrajectoriesLab.CURVED).label()).contains("trained on moons");
        assertThat(lab.charts().lossHistory().get()).hasSize(60);
        assertThat(lab.charts().straightnessByRound()).hasSize(1);
        assertThat(lab.figureProperty().get().runs().get(0).label()).contains("trained on moons");
    }

    @Test
    void badCheckpointsGiveOneLineAndKeepTheModels() throws Exception {
        LoadedFlow before = lab.model(TrajectoriesLab.STRAIGHT);
        Path corrupt = dir.resolve("corrupt.safetensors");
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        lab.files().openCheckpoint(TrajectoriesLab.STRAIGHT, corrupt);
        assertThat(lab.problemProperty().get()).isNotBlank().doesNotContain("\n").contains("corrupt.safetensors");
        assertThat(lab.model(TrajectoriesLab.STRAIGHT)).isSameAs(before);

        Path wrongKind = dir.resolve("policy.safetensors");
        VelocityMlp model = before.model();
        Safetensors.write(wrongKind, FlowModelFile.toCheckpoint(model.architecture(), model.parameterValues(), "gflownet-policy", Map.of()));
        lab.files().openCheckpoint(TrajectoriesLab.STRAIGHT, wrongKind);
        assertThat(lab.problemProperty().get()).isNotBlank().doesNotContain("\n").contains("gflownet-policy");
        assertThat(lab.model(TrajectoriesLab.STRAIGHT)).isSameAs(before);

        assertThat(lab.parameters().byKey("particles").trySet(1_000_000_000)).contains("between");
        assertThat(lab.params().steps.trySet(0)).contains("between");
        assertThat(lab.parameters().byKey("tolerance").trySet(Double.NaN)).contains("finite");
        assertThat(lab.figureProperty().get().runs().get(0).n()).isEqualTo(300);
    }

    @Test
    void savedCheckpointReopensIdentically() {
        Path file = dir.resolve("saved.safetensors");
        lab.files().saveCheckpoint(TrajectoriesLab.STRAIGHT, file);
        assertThat(lab.problemProperty().get()).isNull();
        float[] before = lab.figureProperty().get().runs().get(1).finalState();
        lab.files().openCheckpoint(TrajectoriesLab.CURVED, file);
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(lab.figureProperty().get().runs().get(0).finalState()).containsExactly(before);
    }

    @Test
    void inspectingAParticleGivesItsStepsAndLocalErrors() {
        lab.select(5);
        var rows = lab.inspectionProperty().get();
        assertThat(rows).hasSize(2);
        ParticleInspection curved = rows.get(0);
        assertThat(curved.steps()).isEqualTo(8);
        assertThat(curved.localError()[0]).isZero();
        // Euler's local error on a curved flow is visible; on the straight one it is much smaller
        double curvedError = java.util.Arrays.stream(curved.localError()).sum();
        double straightError = java.util.Arrays.stream(rows.get(1).localError()).sum();
        assertThat(curvedError).isGreaterThan(straightError);
        assertThat(lab.figureProperty().get().selected()).isEqualTo(5);
    }

    @Test
    void lessonSetupsApplyAndBadOnesChangeNothing() {
        lab.apply(Map.of("solver", "rk4", "steps", "6"));
        assertThat(lab.figureProperty().get().runs().get(0).steps()).isEqualTo(6);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lab.apply(Map.of("solver", "euler", "steps", "-3")))
                .hasMessageContaining("Steps");
        assertThat(lab.params().solver.get()).isEqualTo("rk4");
        Lesson lesson = Lesson.parse("## A\nline one\nline two\nsetup: solver=heun, steps=3\n## B\ntext\n");
        assertThat(lesson.sections()).hasSize(2);
        assertThat(lesson.sections().get(0).setup()).containsEntry("solver", "heun").containsEntry("steps", "3");
        assertThat(lesson.sections().get(0).text()).isEqualTo("line one line two");
    }

    @Test
    void bossScheduleAndExportsWork() throws Exception {
        assertThat(lab.parameters().byKey("schedule").trySet("boss")).isNull();
        FlowRun run = lab.figureProperty().get().runs().get(0);
        assertThat(run.schedule()).isEqualTo("BOSS-8");
        assertThat(run.times()[0]).isZero();
        assertThat(run.times()[8]).isEqualTo(1.0);
        // the charts get both models' cost matrices and the schedules the runs walked
        assertThat(lab.charts().bossPlans().get()).hasSize(2);
        assertThat(lab.charts().bossPlans().get().get(0).schedule().times()).containsExactly(run.times());
        assertThat(lab.charts().bossPlans().get().get(1).schedule().times())
                .containsExactly(lab.figureProperty().get().runs().get(1).times());
        TrajectoryExports.csv(lab.figureProperty().get(), dir);
        assertThat(Files.readAllLines(dir.resolve("samples.csv"))).hasSize(1 + 2 * 300);
        assertThat(Files.readAllLines(dir.resolve("trajectories.csv"))).hasSize(1 + 2 * 150 * 9);
        assertThat(Files.readString(dir.resolve("metrics.csv"))).contains("BOSS-8");
        lab.runExport("animation", ctx -> TrajectoryExports.animation(lab.figureProperty().get(), dir.resolve("anim"), 4, 300, 150, 50, ctx));
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(dir.resolve("anim/frame-0004.png")).exists();
        var reader = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
        try (var in = javax.imageio.ImageIO.createImageInputStream(dir.resolve("anim/trajectories.gif").toFile())) {
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(4);
        }
    }

    @Test
    void switchingTheDeviceMovesTheModelsForTheNextSamplingJob() {
        String opencl = org.flowbench.compute.device.ComputeDevices.list().stream()
                .map(org.flowbench.compute.device.DeviceInfo::name).filter(n -> n.startsWith("opencl")).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(opencl != null, "no OpenCL device on this machine");
        LoadedFlow before = lab.model(TrajectoriesLab.CURVED);
        float[] onCpu = lab.figureProperty().get().runs().get(0).finalState();
        assertThat(before.model().device().name()).isEqualTo("cpu");
        lab.select(4);

        devices.select(opencl);
        assertThat(lab.problemProperty().get()).isNull();
        LoadedFlow after = lab.model(TrajectoriesLab.CURVED);
        assertThat(after).isNotSameAs(before);
        assertThat(after.label()).isEqualTo(before.label());
        assertThat(after.model().device().name()).isEqualTo(opencl);
        assertThat(lab.model(TrajectoriesLab.STRAIGHT).model().device().name()).isEqualTo(opencl);
        assertThat(lab.statusProperty().get()).endsWith("on " + opencl);
        assertThat(lab.selected()).as("the same models, so the selection stays").isEqualTo(4);
        float[] onOpenCl = lab.figureProperty().get().runs().get(0).finalState();
        for (int j = 0; j < onCpu.length; j++) {
            assertThat(onOpenCl[j]).isCloseTo(onCpu[j], within(1e-3f));
        }
        // the cpu copies are freed by the next job that takes the model lock (here the selected
        // particle's inspection), and the cpu device with them
        assertThat(lab.inspectionProperty().get()).hasSize(2);
        assertThat(lab.openDevices()).isEqualTo(1);

        devices.select("opencl:99");
        assertThat(lab.problemProperty().get()).isNotBlank().doesNotContain("\n").contains("opencl:99");
        assertThat(lab.model(TrajectoriesLab.CURVED)).isSameAs(after);

        devices.select("cpu");
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(lab.model(TrajectoriesLab.CURVED).model().device().name()).isEqualTo("cpu");
        assertThat(lab.figureProperty().get().runs().get(0).finalState()).containsExactly(onCpu);
    }

    @Test
    void theTimestepChartFollowsTheTrainingDistribution() {
        assertThat(lab.charts().timesteps().get().spec()).isEqualTo("uniform");
        assertThat(lab.parameters().byKey("trainTime").trySet("u-shaped")).isNull();
        assertThat(lab.parameters().byKey("uShapedA").trySet(8.0)).isNull();
        TimestepHistogram h = lab.charts().timesteps().get();
        assertThat(h.spec()).isEqualTo("u-shaped:8.0");
        assertThat(lab.params().timestepDistribution().spec()).isEqualTo("u-shaped:8.0");
        assertThat(h.density(0)).isGreaterThan(5 * h.density(h.bins() / 2));
        assertThat(lab.parameters().byKey("uShapedA").trySet(0.0)).contains("between");
        assertThat(lab.parameters().byKey("trainTime").trySet("logit-normal")).isNull();
        assertThat(lab.charts().timesteps().get().spec()).isEqualTo("logit-normal");
        assertThat(lab.charts().bossPlans().get()).as("uniform grid: no BOSS chart").isEmpty();
    }
}
