package org.flowbench.compute.lm;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One probe of the tiny GPT-2: the tokens it reads, its loss against the model run by hand, bad tokens. */
class CheckpointProbeTest {

    private static Path gpt2() throws Exception {
        return Path.of(CheckpointProbeTest.class.getResource("gpt2-tiny/model.safetensors").toURI());
    }

    @Test
    void readsAtMostItsContextEachTokenPredictingTheNext() throws Exception {
        Gpt2Checkpoint ckpt = Gpt2Checkpoint.read(gpt2(), null);
        int context = ckpt.config().context();
        int[] tokens = new int[context + 10];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 37 + 5) % 256;
        }
        int[] first = Arrays.copyOf(tokens, context);
        int[] targets = new int[context];
        for (int i = 0; i < context; i++) {
            targets[i] = i + 1 < context ? first[i + 1] : -1;
        }
        try (CpuDevice cpu = new CpuDevice(1)) {
            LmProbe trimmed = CheckpointProbe.probe(ckpt, cpu, tokens);
            LmProbe exact = CheckpointProbe.probe(ckpt, cpu, first);
            assertThat(trimmed.variance()).containsExactly(exact.variance());
            double loss;
            try (TransformerLm lm = ckpt.open(cpu)) {
                loss = lm.forward(first, targets, 1, context);
            }
            assertThat(trimmed.loss()).isEqualTo(loss);
            assertThat(trimmed.step()).isZero();
        }
        assertThat(CheckpointProbe.utf8Bytes("a\u00e9")).containsExactly(0x61, 0xc3, 0xa9);
    }

    @Test
    void noTokensOrAnIdOutsideTheVocabularyIsOneLine() throws Exception {
        Gpt2Checkpoint ckpt = Gpt2Checkpoint.read(gpt2(), null);
        try (CpuDevice cpu = new CpuDevice(1)) {
            assertThatThrownBy(() -> CheckpointProbe.probe(ckpt, cpu, new int[0]))
                    .hasMessageContaining("no tokens").hasMessageContaining("model.safetensors");
            assertThatThrownBy(() -> CheckpointProbe.probe(ckpt, cpu, new int[] {1, 256}))
                    .hasMessageContaining("256 (item 2)").hasMessageContaining("[0, 256)");
        }
    }
}
