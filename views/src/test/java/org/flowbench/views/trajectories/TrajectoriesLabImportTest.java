package org.flowbench.views.trajectories;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.nn.CheckpointImport;
import org.flowbench.compute.nn.ImportPreset;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** TrajectoriesLab.importCheckpoint on the current thread: a PyTorch state dict enters the left panel. */
class TrajectoriesLabImportTest {

    private TrajectoriesLab lab;

    @BeforeEach
    void open() {
        lab = new TrajectoriesLab(TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()), true);
        assertThat(lab.parameters().byKey("particles").trySet(300)).isNull();
        assertThat(lab.problemProperty().get()).isNull();
    }

    @AfterEach
    void close() {
        lab.close();
    }

    @Test
    void theImportedModelTakesTheLeftPanelAndIsSampled() {
        Path file = ImportCheckpointModelTest.FIXTURES.resolve("torchcfm-mlp.npz");
        LoadedFlow right = lab.model(TrajectoriesLab.STRAIGHT);
        lab.files().importCheckpoint(file, ImportPreset.TORCHCFM_MLP, null, null, "8gaussians", "moons");
        assertThat(lab.problemProperty().get()).isNull();
        LoadedFlow left = lab.model(TrajectoriesLab.CURVED);
        assertThat(left.label()).isEqualTo("imported \u00b7 torchcfm-mlp.npz");
        assertThat(left.model().architecture().spec()).isEqualTo("mlp:in=2,out=2,time=raw,hidden=16x16x16,activation=selu");
        assertThat(left.metadata()).containsEntry(CheckpointImport.KEY_IMPORTED_FROM, "torchcfm-mlp.npz")
                .containsEntry(CheckpointImport.KEY_IMPORT_PRESET, "torchcfm-mlp")
                .containsEntry(Checkpoint.KEY_SOURCE, "8gaussians").containsEntry(Checkpoint.KEY_TARGET, "moons");
        assertThat(lab.model(TrajectoriesLab.STRAIGHT)).isSameAs(right);
        FlowRun shown = lab.figureProperty().get().runs().get(0);
        assertThat(shown.label()).isEqualTo(left.label());
        // the left panel now flows from its own source
        assertThat(shown.positionsAt(0)).containsExactly(
                org.flowbench.compute.data.Datasets.byName("8gaussians").sample(300, lab.params().sampling().seed()));
        // a foreign file is not reopened from a session: the panel keeps no file
        assertThat(lab.viewState(null)).doesNotContainKey("left");
    }

    @Test
    void aFileThePresetDoesNotFitLeavesThePanelAsItWas() {
        LoadedFlow before = lab.model(TrajectoriesLab.CURVED);
        Path file = ImportCheckpointModelTest.FIXTURES.resolve("torchcfm-mlp-f32.safetensors");
        lab.files().importCheckpoint(file, ImportPreset.RECTIFIED_FLOW_MLP, Activation.TANH, null, "normal", "moons");
        assertThat(lab.model(TrajectoriesLab.CURVED)).isSameAs(before);
        assertThat(lab.problemProperty().get()).startsWith("torchcfm-mlp-f32.safetensors: tensor 'net.0.weight'");
        lab.files().importCheckpoint(file, ImportPreset.TORCHCFM_MLP, null, null, "normal", "no-such-set");
        assertThat(lab.model(TrajectoriesLab.CURVED)).isSameAs(before);
        assertThat(lab.problemProperty().get()).contains("no-such-set");
    }
}
