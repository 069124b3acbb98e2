package org.flowbench.views.trajectories;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.nn.CheckpointImport;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.ImportPreset;
import org.flowbench.compute.nn.TimeEmbedding;
import org.flowbench.compute.ode.ExplicitRungeKutta;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The import dialog's view model on the current thread, against the NumPy-made fixtures of the compute module. */
class ImportCheckpointModelTest {

    /** The fixtures (see make_fixtures.py there); tests run in the views module's folder. */
    static final Path FIXTURES = Path.of("../compute/src/test/resources/org/flowbench/compute/nn/import");

    @TempDir
    Path dir;

    private static ImportCheckpointModel opened(String fixture) {
        Path file = FIXTURES.resolve(fixture);
        assertThat(file).exists();
        ImportCheckpointModel model = new ImportCheckpointModel(file, new CurrentThreadTaskExecutor(), Runnable::run);
        model.open();
        return model;
    }

    @Test
    void listsTheTensorsAndInfersTheArchitectureWithTheMatchingPreset() {
        ImportCheckpointModel model = opened("torchcfm-mlp-bf16.safetensors");
        assertThat(model.tensorsProperty().get()).hasSize(8);
        assertThat(model.tensorsProperty().get().get(0))
                .isEqualTo(new ImportCheckpointModel.TensorRow("net.0.weight", "[16, 3]", "BF16"));
        assertThat(model.tensorsProperty().get()).extracting(ImportCheckpointModel.TensorRow::name)
                .contains("net.6.weight", "net.6.bias");
        assertThat(model.presetProperty().get()).isEqualTo(ImportPreset.TORCHCFM_MLP);
        assertThat(model.activationProperty().get()).isEqualTo(Activation.SELU);
        assertThat(model.timeProperty().get()).isEqualTo(TimeEmbedding.RAW);
        assertThat(model.reasonProperty().get()).isNull();
        assertThat(model.architectureProperty().get().spec()).isEqualTo("mlp:in=2,out=2,time=raw,hidden=16x16x16,activation=selu");
        assertThat(model.summaryProperty().get()).isEqualTo(
                "4 Linear layers (BF16), 642 parameters: mlp:in=2,out=2,time=raw,hidden=16x16x16,activation=selu");
        assertThat(model.previewProperty().get()).isNotNull();
    }

    @Test
    void theDefaultPresetIsTheOneWhoseNamesMatch() {
        ImportCheckpointModel fm = opened("flow-matching-mlp.npz");
        assertThat(fm.presetProperty().get()).isEqualTo(ImportPreset.FLOW_MATCHING_MLP);
        assertThat(fm.activationProperty().get()).isEqualTo(Activation.SILU);
        assertThat(fm.architectureProperty().get()).isNotNull();
        assertThat(fm.tensorsProperty().get()).extracting(ImportCheckpointModel.TensorRow::name).contains("main.0.weight");
        ImportCheckpointModel rf = opened("rectified-flow-mlp-f32.safetensors");
        assertThat(rf.presetProperty().get()).isEqualTo(ImportPreset.RECTIFIED_FLOW_MLP);
        assertThat(rf.activationProperty().get()).isEqualTo(Activation.TANH);
        assertThat(rf.reasonProperty().get()).isNull();
    }

    @Test
    void aPresetThatDoesNotFitGivesTheOneLineReasonAndNoPreview() {
        ImportCheckpointModel model = opened("torchcfm-mlp-f32.safetensors");
        assertThat(model.previewProperty().get()).isNotNull();
        model.presetProperty().set(ImportPreset.FLOW_MATCHING_MLP);
        assertThat(model.architectureProperty().get()).isNull();
        assertThat(model.previewProperty().get()).isNull();
        assertThat(model.previewStatusProperty().get()).startsWith("No preview");
        assertThat(model.reasonProperty().get())
                .startsWith("torchcfm-mlp-f32.safetensors: tensor 'net.0.weight' (and 7 more) is not a Linear layer of a flow-matching-mlp")
                .doesNotContain("\n");
        assertThat(model.summaryProperty().get()).isEmpty();
        // back to the right preset: the architecture and the preview come back
        model.presetProperty().set(ImportPreset.TORCHCFM_MLP);
        assertThat(model.reasonProperty().get()).isNull();
        assertThat(model.previewProperty().get()).isNotNull();
        // a time embedding whose width does not fit the first layer
        model.timeProperty().set(TimeEmbedding.sinusoidal(1));
        assertThat(model.architectureProperty().get()).isNull();
        assertThat(model.reasonProperty().get()).contains("do not fit time embedding sin1");
    }

    @Test
    void choosingAPresetResetsTheOverridesToItsDefaults() {
        ImportCheckpointModel model = opened("torchcfm-mlp-f32.safetensors");
        model.activationProperty().set(Activation.TANH);
        assertThat(model.architectureProperty().get().activation()).isEqualTo(Activation.TANH);
        assertThat(model.request().activation()).isEqualTo(Activation.TANH);
        model.presetProperty().set(ImportPreset.RECTIFIED_FLOW_MLP);
        model.presetProperty().set(ImportPreset.TORCHCFM_MLP);
        assertThat(model.activationProperty().get()).isEqualTo(Activation.SELU);
    }

    @Test
    void thePreviewIsTheImportedModelRunWithEightEulerSteps() throws Exception {
        Path file = FIXTURES.resolve("torchcfm-mlp-f16.safetensors");
        ImportCheckpointModel model = opened("torchcfm-mlp-f16.safetensors");
        model.sourceProperty().set("8gaussians");
        model.activationProperty().set(Activation.TANH);
        TrajectoriesFigure preview = model.previewProperty().get();
        assertThat(preview.runs()).hasSize(1);
        FlowRun run = preview.runs().get(0);
        assertThat(run.n()).isEqualTo(ImportCheckpointModel.PREVIEW_PARTICLES);
        assertThat(run.steps()).isEqualTo(ImportCheckpointModel.PREVIEW_STEPS);
        assertThat(run.totalNfe()).isEqualTo(8);
        assertThat(run.label()).isEqualTo("imported \u00b7 torchcfm-mlp-f16.safetensors");
        float[] noise = Datasets.byName("8gaussians").sample(ImportCheckpointModel.PREVIEW_PARTICLES, ImportCheckpointModel.PREVIEW_SEED);
        assertThat(run.positionsAt(0)).containsExactly(noise);
        float[] expected;
        try (CpuDevice cpu = new CpuDevice(1);
             FlowModelFile.Loaded loaded = CheckpointImport.load(cpu, file, ImportPreset.TORCHCFM_MLP, Activation.TANH, null)) {
            expected = ExplicitRungeKutta.EULER.integrate(loaded.model(), noise, noise.length / 2, TimeGrid.uniform(0, 1, 8)).finalState();
        }
        float[] shown = run.positionsAt(1.0);
        assertThat(shown).hasSize(expected.length);
        for (int j = 0; j < expected.length; j++) {
            assertThat(shown[j]).as("coordinate %d", j).isCloseTo(expected[j], within(1e-5f));
        }
        ImportCheckpointModel.Request request = model.request();
        assertThat(request.preset()).isEqualTo(ImportPreset.TORCHCFM_MLP);
        assertThat(request.source()).isEqualTo("8gaussians");
        assertThat(request.target()).isEqualTo("moons");
    }

    @Test
    void anUnreadableFileSaysWhyInOneLine() throws Exception {
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        ImportCheckpointModel model = new ImportCheckpointModel(junk, new CurrentThreadTaskExecutor(), Runnable::run);
        model.open();
        assertThat(model.tensorsProperty().get()).isEmpty();
        assertThat(model.architectureProperty().get()).isNull();
        assertThat(model.reasonProperty().get()).startsWith("junk.safetensors").doesNotContain("\n");
    }

    @Test
    void aFlowbenchCheckpointIsOpenedNotImported() {
        Path file = SampleModels.folder().resolve(SampleModels.CURVED);
        ImportCheckpointModel model = new ImportCheckpointModel(file, new CurrentThreadTaskExecutor(), Runnable::run);
        model.open();
        assertThat(model.tensorsProperty().get()).extracting(ImportCheckpointModel.TensorRow::name).contains("net.0.weight");
        assertThat(model.architectureProperty().get()).isNull();
        assertThat(model.reasonProperty().get())
                .isEqualTo("moons-1rf.safetensors: a Flowbench checkpoint (velocity-mlp), nothing to import: open it with File > Open");
    }
}
