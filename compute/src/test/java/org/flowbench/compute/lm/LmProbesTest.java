package org.flowbench.compute.lm;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Probes against closed forms, Xiong et al.'s band at initialisation, and the run file. */
class LmProbesTest {

    private static ComputeDevice cpu;

    @BeforeAll
    static void open() {
        cpu = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    @Test
    void postLnStreamHasUnitMeanSquareAndUniformAttentionHasLogEntropy() {
        LmConfig config = LmConfig.of(20, 8, 16, 2, 3, Placement.POST);
        try (TransformerLm m = new TransformerLm(cpu, config, 1)) {
            // Zero query/key weights and biases: every score is 0, so attention is uniform over the prefix.
            float[] p = cpu.download(m.parameters());
            for (int l = 1; l <= 3; l++) {
                LmLayout.Entry w = m.layout().require("h." + l + ".attn.qkv.weight");
                LmLayout.Entry b = m.layout().require("h." + l + ".attn.qkv.bias");
                for (int i = 0; i < 16; i++) {
                    for (int j = 0; j < 32; j++) {
                        p[w.offset() + i * 48 + j] = 0;
                    }
                }
                java.util.Arrays.fill(p, b.offset(), b.offset() + 32, 0f);
            }
            cpu.upload(p, m.parameters());
            LmBatch b = new RandomTokens(20, 8).next(3, new SeededRandom(2));
            double loss = m.forward(b.tokens(), b.targets(), 3, 8);
            m.backward();
            LmProbe probe = LmProbes.measure(m, 0, loss, null, null);
            for (int l = 1; l <= 3; l++) {
                assertThat(probe.meanSquare()[l]).as("layer %d", l).isCloseTo(1.0, within(1e-3));
                assertThat(probe.variance()[l]).isCloseTo(1.0, within(1e-3));
            }
            double uniform = 0;
            for (int i = 0; i < 8; i++) {
                uniform += Math.log(i + 1) / 8;
            }
            for (double[] heads : probe.attnEntropy()) {
                for (double e : heads) {
                    assertThat(e).isCloseTo(uniform, within(1e-5));
                }
            }
            assertThat(probe.updateRatio()[0]).isNaN();
        }
    }

    @Test
    void preLnFfnOnlyStreamGrowsInsideXiongsBandAtInitialisation() {
        // Xiong et al. 2020, Lemma 1: Pre-LN, ReLU FFN, Xavier init: (1 + l/2) d <= E||x_l||^2 <= (1 + 3l/2) d.
        // With fan-in init the expectation sits on the lower edge, so the seed mean must be within
        // 3 standard errors of the band.
        int layers = 12;
        LmConfig config = new LmConfig(64, 16, 64, 1, layers, Placement.PRE, NormKind.LAYER, true, false,
                LmConfig.Init.FAN_IN, 1f, Activation.RELU);
        long[] seeds = {1, 2, 3, 4, 5, 6, 7, 8};
        List<LmProbe> probes = LmProbes.atInitialisation(cpu, config, new RandomTokens(64, 16), 4, seeds);
        LmProbe mean = LmProbe.mean(probes);
        double[] se = LmProbe.standardError(probes.stream().map(LmProbe::meanSquare).toList());
        for (int l = 0; l <= layers; l++) {
            assertThat(mean.meanSquare()[l]).as("E||x_%d||^2 / d", l)
                    .isBetween(1 + l / 2.0 - 3 * se[l], 1 + 1.5 * l + 3 * se[l]);
        }
        assertThat(mean.meanSquare()[layers]).isGreaterThan(mean.meanSquare()[layers / 2] + 2);
    }

    @Test
    void runFileRoundTripsWeightsAndProbes(@TempDir Path dir) throws Exception {
        LmConfig config = LmConfig.of(11, 6, 8, 2, 2, Placement.PERI);
        Path file = dir.resolve("run.safetensors");
        List<LmProbe> probes = new ArrayList<>();
        float[] params;
        try (TransformerLm m = new TransformerLm(cpu, config, 3);
             LmTrainer t = new LmTrainer(m, LmOptimizerConfig.adamW(1e-3f, 0, 3))) {
            LmData data = new RandomTokens(11, 6);
            SeededRandom rnd = new SeededRandom(1);
            for (int s = 0; s < 3; s++) {
                float[] before = cpu.download(m.parameters());
                double loss = t.step(data.next(2, rnd), null);
                probes.add(LmProbes.measure(m, s, loss, before, cpu.download(m.parameters())));
            }
            params = cpu.download(m.parameters());
        }
        LmRunFile.write(file, config, params, probes, 3, Map.of("training", "test"));
        LmRunFile.Run run = LmRunFile.read(file);
        assertThat(run.config()).isEqualTo(config);
        assertThat(run.parameters()).containsExactly(params);
        assertThat(run.probes()).hasSize(3);
        assertThat(run.probes().get(2).meanSquare()[2]).isCloseTo(probes.get(2).meanSquare()[2], within(1e-5));
        assertThat(run.probes().get(1).updateRatio()[1]).isCloseTo(probes.get(1).updateRatio()[1], within(1e-6))
                .isPositive();
        assertThat(run.metadata()).containsEntry("training", "test");

        Path other = Files.write(dir.resolve("x.safetensors"), Files.readAllBytes(file));
        byte[] bytes = Files.readAllBytes(other);
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace(LmRunFile.KIND,
                "transformer-lm-xyz");
        Files.write(other, s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> LmRunFile.read(other)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("checkpoint of kind 'transformer-lm-xyz'");

        // A description that claims a bigger model than the tensors hold names the first missing tensor.
        Path bigger = dir.resolve("bigger.safetensors");
        String claim = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("layers=2 ", "layers=9 ");
        Files.write(bigger, claim.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> LmRunFile.read(bigger)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("no tensor named 'h.3.attn.norm_in.weight'");
    }

    @Test
    void aRunFileWhoseMetadataHoldsALineBreakIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        LmConfig config = LmConfig.of(11, 6, 8, 2, 1, Placement.PRE);
        float[] params;
        try (TransformerLm m = new TransformerLm(cpu, config, 3)) {
            params = cpu.download(m.parameters());
        }
        Path file = dir.resolve("run.safetensors");
        LmRunFile.write(file, config, params, List.of(), 3, Map.of());
        Checkpoint stored = Safetensors.read(file);
        Safetensors.write(file, stored.withMetadata(Map.of(LmRunFile.KEY_GROUPS, "embed\nattention\r,mlp")));
        assertThatThrownBy(() -> LmRunFile.read(file)).isInstanceOf(CheckpointFormatException.class)
                .hasMessage("run.safetensors: probe groups 'embed\\nattention\\r,mlp' do not match the model's");
    }
}
