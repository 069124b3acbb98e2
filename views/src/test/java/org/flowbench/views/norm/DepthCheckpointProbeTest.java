package org.flowbench.views.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.lm.Gpt2Checkpoint;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.LmProbes;
import org.flowbench.compute.lm.TransformerLm;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Probing a GPT-2 checkpoint from the Depth page: the run it shows against the model measured here. */
class DepthCheckpointProbeTest {

    /** The tiny GPT-2 made with Hugging Face transformers (vocabulary 256, 2 layers, width 32). */
    static final Path GPT2 = Path.of("../compute/src/test/resources/org/flowbench/compute/lm/gpt2-tiny/model.safetensors");

    private static DepthModel model() {
        return new DepthModel(TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()));
    }

    @Test
    void theProbedRunShowsTheCheckpointsStreamOnTheTextsBytes() throws Exception {
        String text = "Hello, depth!";
        DepthModel model = model();
        model.probeCheckpoint(GPT2, text);
        assertThat(model.runs()).hasSize(1);
        DepthRun run = model.runs().get(0);
        assertThat(run.label()).isEqualTo("GPT-2 model.safetensors");
        assertThat(run.probes()).hasSize(1);
        assertThat(run.lastStep()).isZero();
        assertThat(model.messageProperty().get()).startsWith("Probed model.safetensors").doesNotContain("\n");
        DepthFigure figure = model.figureProperty().get();
        LmProbe shown = figure.runs().get(0).probeAt(0);

        // The same file, tokens and pass, measured here: the variance of each layer's stream by hand, and LmProbes.
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        int[] ids = new int[n];
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        for (int i = 0; i < n; i++) {
            targets[i] = i + 1 < n ? ids[i + 1] : -1;
        }
        Gpt2Checkpoint ckpt = Gpt2Checkpoint.read(GPT2, null);
        int layers = ckpt.config().layers();
        double[] variance = new double[layers + 1];
        LmProbe direct;
        try (ComputeDevice cpu = new CpuDevice(1); TransformerLm lm = ckpt.open(cpu)) {
            double loss = lm.forward(ids, targets, 1, n);
            lm.backward();
            for (int l = 0; l <= layers; l++) {
                float[] x = lm.residual(l);
                double mean = 0;
                for (float v : x) {
                    mean += v / (double) x.length;
                }
                for (float v : x) {
                    variance[l] += (v - mean) * (v - mean) / x.length;
                }
            }
            direct = LmProbes.measure(lm, 0, loss, null, null);
        }
        double[] shownVariance = DepthMetric.VARIANCE.values(shown, run.config());
        for (int l = 0; l <= layers; l++) {
            assertThat(shownVariance[l]).isCloseTo(variance[l], within(1e-6 * variance[l] + 1e-12));
        }
        assertThat(shown.variance()).containsExactly(direct.variance());
        assertThat(shown.meanSquare()).containsExactly(direct.meanSquare());
        assertThat(shown.maxAbs()).containsExactly(direct.maxAbs());
        assertThat(shown.groupGradNorm()).containsExactly(direct.groupGradNorm());
        assertThat(shown.loss()).isEqualTo(direct.loss());
    }

    @Test
    void theProbeJoinsTheRunsShownAndCommaSeparatedIdsAreTokens() {
        DepthModel model = model();
        model.probeCheckpoint(GPT2, "72, 105, 33");
        model.probeCheckpoint(GPT2, "Hi!");
        assertThat(model.runs()).hasSize(2);
        // "Hi!" is the bytes 72, 105, 33: the same tokens, the same probe
        assertThat(model.runs().get(0).probes().get(0).variance())
                .containsExactly(model.runs().get(1).probes().get(0).variance());
        assertThat(model.runs().get(0).data()).startsWith("3 tokens");
    }

    @Test
    void badFilesAndInputsSayWhyInOneLineAndLeaveTheRunsAsTheyWere(@TempDir Path dir) throws Exception {
        DepthModel model = model();
        model.probeCheckpoint(GPT2, "abc");
        assertThat(model.runs()).hasSize(1);

        Path pickle = dir.resolve("pytorch_model.bin");
        Files.write(pickle, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46});
        String expected = null;
        try {
            Gpt2Checkpoint.read(pickle, null);
        } catch (Exception e) {
            expected = e.getMessage();
        }
        assertThat(expected).isNotNull();
        model.probeCheckpoint(pickle, "abc");
        assertThat(model.runs()).hasSize(1);
        assertThat(model.messageProperty().get()).contains(expected).contains("pytorch_model.bin").doesNotContain("\n");

        // an id outside the vocabulary of 256
        model.probeCheckpoint(GPT2, "1, 2, 300");
        assertThat(model.runs()).hasSize(1);
        assertThat(model.messageProperty().get()).contains("300").contains("[0, 256)").doesNotContain("\n");
        model.probeCheckpoint(GPT2, "   ");
        assertThat(model.runs()).hasSize(1);
        assertThat(model.messageProperty().get()).contains("token ids");
    }

    @Test
    void textNeedsAByteVocabularyElseTokenIds() {
        assertThat(DepthModel.checkpointTokens("Hi", 256)).containsExactly(72, 105);
        assertThat(DepthModel.checkpointTokens(" 5,7 ,9", 50257)).containsExactly(5, 7, 9);
        assertThatThrownBy(() -> DepthModel.checkpointTokens("Hi", 50257))
                .hasMessageContaining("50257").hasMessageContaining("token ids");
        assertThatThrownBy(() -> DepthModel.checkpointTokens("99999999999999", 50257))
                .hasMessageContaining("outside the vocabulary");
    }
}
