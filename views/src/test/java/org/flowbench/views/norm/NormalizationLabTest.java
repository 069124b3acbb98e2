package org.flowbench.views.norm;

import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab on the calling thread: its pages, the set-up keys, sessions and File > Open. */
class NormalizationLabTest {

    private final List<String> status = new ArrayList<>();

    private NormalizationLab lab() {
        LabContext base = TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection());
        return new NormalizationLab(new LabContext(base.executor(), base.devices(), base.theme(), base.dialogs(),
                status::add, base.later()));
    }

    @Test
    void opensWithTheSamplesAndNamesItsPagesByTheirFirstWord() {
        NormalizationLab lab = lab();
        assertThat(lab.pages()).extracting(NormalizationLab::pageKey).containsExactly("depth", "sweep", "layers", "scale");
        assertThat(lab.depth().model().runs()).hasSize(3);
        assertThat(lab.sweep().model().sweepProperty().get().outcomes()).hasSize(48);
        assertThat(lab.currentFigure()).containsInstanceOf(DepthFigure.class);
        lab.close();
    }

    @Test
    void theTabsBehindDepthComputeOnlyOnceTheyAreShown() {
        NormalizationLab lab = lab();
        NormLayersPage layers = (NormLayersPage) lab.pages().get(2);
        ScaleInvariancePage scale = (ScaleInvariancePage) lab.pages().get(3);
        assertThat(layers.currentFigure()).as("nothing computed while the Depth tab opens").isEmpty();
        assertThat(scale.currentFigure()).isEmpty();
        layers.onShown();
        scale.onShown();
        assertThat(layers.currentFigure()).isPresent();
        assertThat(scale.currentFigure()).isPresent();
        lab.close();
    }

    @Test
    void aSessionReopensTheRunsMetricStepAndSweepFromRelativePaths(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        Files.createDirectories(runs);
        Path pre = Files.copy(NormSamples.folder().resolve("depth-pre.safetensors"), runs.resolve("a.safetensors"));
        Path sweep = Files.copy(NormSamples.folder().resolve(NormSamples.SWEEP), runs.resolve("s.csv"));
        NormalizationLab lab = lab();
        lab.depth().model().load(List.of(pre));
        lab.sweep().model().load(sweep);
        lab.applySetup(Map.of("page", "depth", "metric", "update-ratio", "step", "250"));
        Map<String, Object> state = lab.viewState(dir);
        assertThat(state.toString()).contains("runs/a.safetensors").contains("runs/s.csv").doesNotContain(dir.toString());

        NormalizationLab reopened = lab();
        reopened.restoreViewState(state, dir);
        assertThat(reopened.depth().model().runs()).extracting(DepthRun::source).containsExactly(pre);
        assertThat(reopened.depth().model().metricProperty().get()).isEqualTo(DepthMetric.UPDATE_RATIO);
        assertThat(reopened.depth().model().stepProperty().get()).isEqualTo(250);
        assertThat(reopened.sweep().model().fileProperty().get()).isEqualTo(sweep);
        // entries that are malformed or name missing files are skipped
        reopened.restoreViewState(Map.of("depth", Map.of("metric", "loudness", "runs", List.of("gone.safetensors")),
                "sweep", "not a map"), dir);
        assertThat(reopened.depth().model().runs()).extracting(DepthRun::source).containsExactly(pre);
        assertThat(status.get(status.size() - 1)).startsWith("Session: unknown metric 'loudness'");
    }

    @Test
    void setUpsForPagesThisLabLacksAreIgnoredWithAStatusLine() {
        NormalizationLab lab = lab();
        lab.applySetup(Map.of("page", "attention", "heads", "4"));
        assertThat(status.get(status.size() - 1))
                .isEqualTo("The lesson names a page 'attention' this lab does not have (pages: depth, sweep, layers, scale)");
        lab.applySetup(Map.of("page", "depth", "metric", "sideways"));
        assertThat(status.get(status.size() - 1)).startsWith("unknown metric 'sideways'");
    }

    @Test
    void openingARunFileShowsItInDepth(@TempDir Path dir) throws Exception {
        NormalizationLab lab = lab();
        Path peri = Files.copy(NormSamples.folder().resolve("depth-peri.safetensors"), dir.resolve("mine.safetensors"));
        lab.open(peri);
        assertThat(lab.depth().model().runs()).hasSize(3);
        assertThat(lab.depth().model().runs().get(2).source()).isEqualTo(peri);
    }

    @Test
    void anAttentionSetUpTrainsItsPlacementsWithFlowAttentionAndABadOneChangesNothing() {
        NormalizationLab lab = lab();
        DepthModel model = lab.depth().model();
        model.setTrainSettings(new DepthModel.TrainSettings(List.of(org.flowbench.compute.lm.Placement.PRE), 16, 2, 2, 4,
                1e-2f, true, 1, org.flowbench.compute.lm.SyntheticTask.Kind.REVERSE, 4, 4,
                org.flowbench.compute.lm.AttentionKind.SOFTMAX));
        lab.applySetup(Map.of("page", "depth", "attention", "sideways"));
        assertThat(status.get(status.size() - 1)).contains("sideways");
        assertThat(model.trainSettings().attention()).isEqualTo(org.flowbench.compute.lm.AttentionKind.SOFTMAX);
        lab.applySetup(Map.of("page", "depth", "placement", "pre;peri", "attention", "flow", "train", "true"));
        assertThat(model.runs()).extracting(r -> r.config().attention())
                .containsExactly(org.flowbench.compute.lm.AttentionKind.FLOW, org.flowbench.compute.lm.AttentionKind.FLOW);
        assertThat(model.runs()).extracting(DepthRun::label).containsExactly("Pre-LN", "Peri-LN");
        lab.close();
    }
}
