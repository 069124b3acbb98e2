package org.flowbench.views.norm;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.lm.LmActivations;
import org.flowbench.compute.lm.LmBatch;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmLayout;
import org.flowbench.compute.lm.LmOptimizerConfig;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.LmRecording;
import org.flowbench.compute.lm.LmRunFile;
import org.flowbench.compute.lm.NormKind;
import org.flowbench.compute.lm.Placement;
import org.flowbench.compute.lm.SyntheticTask;
import org.flowbench.compute.lm.TransformerLm;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Depth view model on the calling thread: what its figure shows against probes measured independently. */
class DepthModelTest {

    private static LabContext context() {
        return TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection());
    }

    private static final SyntheticTask TASK = new SyntheticTask(SyntheticTask.Kind.REVERSE, 3);

    private static LmRecording.Settings recording(Placement p, int steps, long seed) {
        LmConfig config = LmConfig.of(TASK.vocab(), TASK.seq(), 16, 2, 3, p);
        return new LmRecording.Settings(config, TASK, LmOptimizerConfig.adamW(3e-3f, 1, steps), 4, 2, 1, seed);
    }

    private static Path write(Path dir, String name, LmRecording.Settings s) throws Exception {
        LmRecording.Result r;
        try (ComputeDevice cpu = new CpuDevice(1)) {
            r = LmRecording.train(cpu, s, null, null);
        }
        Path f = dir.resolve(name);
        LmRunFile.write(f, s.config(), r.parameters(), r.probes(), s.seed(), r.metadata());
        return f;
    }

    @Test
    void theCurvesAtStepZeroAreTheStreamAndGradientsOfAFreshModelMeasuredByHand(@TempDir Path dir) throws Exception {
        LmRecording.Settings s = recording(Placement.PRE, 4, 9);
        Path file = write(dir, "pre.safetensors", s);
        DepthModel model = new DepthModel(context());
        model.load(List.of(file));
        assertThat(model.runs()).hasSize(1);
        model.stepProperty().set(0);
        DepthFigure figure = model.figureProperty().get();
        assertThat(figure.step()).isZero();
        DepthRun shown = figure.runs().get(0);
        LmProbe p = shown.probeAt(0);

        // The same model, batch and pass, measured here without the probes' code.
        double[] variance = new double[4];
        double[] blockGrad = new double[3];
        try (ComputeDevice cpu = new CpuDevice(1); TransformerLm lm = new TransformerLm(cpu, s.config(), 9)) {
            LmBatch b = TASK.next(4, new SeededRandom(9 ^ 0x9E3779B97F4A7C15L));
            lm.forward(b.tokens(), b.targets(), b.batch(), b.seq());
            lm.backward();
            for (int l = 0; l <= 3; l++) {
                float[] x = lm.residual(l);
                double mean = 0;
                for (float v : x) {
                    mean += v / (double) x.length;
                }
                for (float v : x) {
                    variance[l] += (v - mean) * (v - mean) / x.length;
                }
            }
            float[] g = cpu.download(lm.gradients());
            for (LmLayout.Entry e : lm.layout().entries()) {
                if (e.layer() >= 1 && e.layer() <= 3) {
                    for (int i = 0; i < e.size(); i++) {
                        blockGrad[e.layer() - 1] += (double) g[e.offset() + i] * g[e.offset() + i];
                    }
                }
            }
        }
        double[] shownVariance = DepthMetric.VARIANCE.values(p, shown.config());
        double[] shownGrad = DepthMetric.GRADIENT_NORM.values(p, shown.config());
        for (int l = 0; l <= 3; l++) {
            assertThat(shownVariance[l]).isCloseTo(variance[l], within(1e-6 * variance[l] + 1e-12));
        }
        for (int l = 0; l < 3; l++) {
            assertThat(shownGrad[l]).isCloseTo(Math.sqrt(blockGrad[l]), within(1e-4 * Math.sqrt(blockGrad[l])));
        }
        assertThat(java.util.Arrays.stream(DepthMetric.UPDATE_RATIO.values(p, shown.config())).allMatch(Double::isNaN)).isTrue();
    }

    @Test
    void aRunFileDivergenceNoteIsReadOnlyWhereItsNumbersFit() {
        LmConfig config = new LmConfig(TASK.vocab(), TASK.seq(), 16, 2, 2, Placement.PRE, NormKind.LAYER, false, false,
                LmConfig.Init.GPT2, 1f, Activation.GELU);
        LmRecording.Result r;
        try (ComputeDevice cpu = new CpuDevice(1)) {
            r = LmRecording.train(cpu, new LmRecording.Settings(config, TASK, LmOptimizerConfig.adamW(1e-2f, 1, 8), 2, 4, 1, 3),
                    null, null);
        }
        java.util.function.Function<String, DepthRun> runWith = note -> DepthRun.of(new LmRunFile.Run(config, r.parameters(),
                r.normStatistics(), r.probes(), java.util.Map.of("diverged", note), null),
                Path.of("run.safetensors"));
        DepthRun read = runWith.apply("training diverged at step 42: loss is NaN at layer 3");
        assertThat(read.divergedStep()).isEqualTo(42);
        assertThat(read.divergedLayer()).isEqualTo(3);
        DepthRun hostile = runWith.apply("training diverged at step 99999999999999999999 at layer 12345678901");
        assertThat(hostile.diverged()).isFalse();
        assertThat(hostile.divergedLayer()).isEqualTo(-1);
    }

    @Test
    void aRunWithBatchNormsReadsItsActivationsWithItsRunningStatistics(@TempDir Path dir) throws Exception {
        LmConfig config = new LmConfig(TASK.vocab(), TASK.seq(), 16, 2, 2, Placement.PRE, NormKind.BATCH, false, false,
                LmConfig.Init.GPT2, 1f, Activation.GELU);
        LmRecording.Settings s = new LmRecording.Settings(config, TASK, LmOptimizerConfig.adamW(1e-2f, 1, 8), 4, 4, 1, 3);
        LmRecording.Result r;
        try (ComputeDevice cpu = new CpuDevice(1)) {
            r = LmRecording.train(cpu, s, null, null);
        }
        assertThat(r.normStatistics().isEmpty()).isFalse();
        assertThat(DepthRun.of(r).normStatistics()).isSameAs(r.normStatistics());
        Path file = dir.resolve("batch.safetensors");
        LmRunFile.write(file, config, r.parameters(), r.normStatistics(), r.probes(), 3, r.metadata());
        DepthModel model = new DepthModel(context());
        model.load(List.of(file));
        assertThat(model.messageProperty().get()).isEqualTo("Showing Pre-LN");
        float[] shown = model.activationsProperty().get().values().abs()[2];
        LmBatch batch = LmActivations.batchFor(config, TASK.describe(), DepthModel.ACTIVATION_SEQUENCES, 7);
        try (ComputeDevice cpu = new CpuDevice(1)) {
            assertThat(shown).containsExactly(
                    LmActivations.measure(cpu, config, r.parameters(), r.normStatistics(), batch).abs()[2]);
            assertThat(shown).isNotEqualTo(LmActivations.measure(cpu, config, r.parameters(), batch).abs()[2]);
        }
        // A file from before run files kept the statistics opens, and the page says what the read-out uses.
        Checkpoint c = Safetensors.read(file);
        Path old = dir.resolve("old.safetensors");
        Safetensors.write(old, new Checkpoint(c.metadata(), c.tensorList().stream()
                .filter(t -> !t.name().contains(".running_")).toList()));
        model.open(old);
        assertThat(model.runs()).hasSize(1);
        assertThat(model.messageProperty().get()).isEqualTo("Opened old.safetensors (Pre-LN, 8 steps); old.safetensors "
                + "holds no running statistics of its batch norms: the |x| read-out normalises with the batch's own "
                + "statistics");
    }

    @Test
    void metricStepAndOpeningAFileChangeWhatTheFigureShows(@TempDir Path dir) throws Exception {
        Path pre = write(dir, "pre.safetensors", recording(Placement.PRE, 6, 1));
        Path post = write(dir, "post.safetensors", recording(Placement.POST, 6, 1));
        Path post2 = write(dir, "post2.safetensors", recording(Placement.POST, 6, 2));
        DepthModel model = new DepthModel(context());
        model.load(List.of(pre, post));
        assertThat(model.maxStep()).isEqualTo(6);
        assertThat(model.stepProperty().get()).isEqualTo(6);
        assertThat(model.figureProperty().get().runs()).extracting(DepthRun::label).containsExactly("Pre-LN", "Post-LN");
        model.metricProperty().set(DepthMetric.MAX_ABS);
        assertThat(model.figureProperty().get().metric()).isEqualTo(DepthMetric.MAX_ABS);
        model.stepProperty().set(3);
        assertThat(model.figureProperty().get().runs().get(0).probeAt(3).step()).isEqualTo(2);
        // |x| of the chosen run's weights (the second: Post-LN) at its last layer.
        DepthFigure.Activations a = model.activationsProperty().get();
        assertThat(a).isNotNull();
        assertThat(a.runLabel()).isEqualTo("Post-LN");
        assertThat(a.layer()).isEqualTo(3);
        model.activationLayerProperty().set(1);
        assertThat(model.activationsProperty().get().layer()).isEqualTo(1);
        // A file of a placement already shown replaces that run.
        model.open(post2);
        assertThat(model.runs()).hasSize(2);
        assertThat(model.runs().get(1).source()).isEqualTo(post2);
        assertThat(model.messageProperty().get()).startsWith("Opened post2.safetensors");
        // A broken file leaves the runs as they were and says why in one line.
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2, 3});
        model.open(bad);
        assertThat(model.runs()).hasSize(2);
        assertThat(model.messageProperty().get()).contains("bad.safetensors").doesNotContain("\n");
    }

    @Test
    void trainingShowsEachPlacementOnTheSameSeedAndEndsWithTheRecordedRuns() {
        DepthModel model = new DepthModel(context());
        LmRecording.Settings pre = recording(Placement.PRE, 4, 5);
        LmRecording.Settings peri = recording(Placement.PERI, 4, 5);
        model.train(List.of(pre, peri));
        assertThat(model.busyProperty().get()).isFalse();
        assertThat(model.runs()).extracting(DepthRun::label).containsExactly("Pre-LN", "Peri-LN");
        assertThat(model.runs().get(0).probes()).extracting(LmProbe::step).containsExactly(0, 2, 4);
        LmRecording.Result expected;
        try (ComputeDevice cpu = new CpuDevice(1)) {
            expected = LmRecording.train(cpu, peri, null, null);
        }
        assertThat(model.runs().get(1).parameters()).containsExactly(expected.parameters());
        assertThat(model.messageProperty().get()).isEqualTo("Trained Pre-LN, Peri-LN");
        assertThat(model.stepProperty().get()).isEqualTo(4);
    }

    @Test
    void probesExportAsOneCsvRowPerRunStepAndLayer() {
        DepthRun run = NormTestRuns.run(Placement.PRE, 4, 20);
        String csv = DepthCsv.format(List.of(run));
        String[] lines = csv.split("\n");
        assertThat(lines[0]).isEqualTo(DepthCsv.HEADER);
        assertThat(lines).hasSize(1 + 3 * 5);
        String[] layer2Step10 = lines[1 + 5 + 2].split(",", -1);
        assertThat(layer2Step10[2]).isEqualTo("10");
        assertThat(layer2Step10[4]).isEqualTo("2");
        assertThat(Double.parseDouble(layer2Step10[5])).isCloseTo(Math.pow(10, 2 / 4.0 - 1) * 1.1, within(1e-9));
        assertThat(lines[1].split(",", -1)[9]).as("per-block columns are empty at layer 0").isEmpty();
    }
}
