package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** AdamW with warm-up and cosine decay, the synthetic tasks and the text reader. */
class LmTrainingTest {

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
    void scheduleWarmsUpLinearlyThenFollowsTheCosineToItsFloor() {
        LmOptimizerConfig c = LmOptimizerConfig.adamW(1e-3f, 10, 110);
        assertThat(c.learningRate(1)).isCloseTo(1e-4, within(1e-10));
        assertThat(c.learningRate(10)).isCloseTo(1e-3, within(1e-10));
        assertThat(c.learningRate(60)).isCloseTo(1e-3 * (0.1 + 0.9 * 0.5), within(1e-9));
        assertThat(c.learningRate(110)).isCloseTo(1e-4, within(1e-10));
        assertThatThrownBy(() -> LmOptimizerConfig.adamW(1e-3f, 20, 10)).hasMessageContaining("warm-up in [0, steps]");
    }

    @Test
    void reverseTaskIsLearnedFarBelowChance() {
        SyntheticTask task = new SyntheticTask(SyntheticTask.Kind.REVERSE, 4);
        LmConfig config = LmConfig.of(task.vocab(), task.seq(), 32, 4, 2, Placement.PRE);
        SeededRandom rnd = new SeededRandom(1);
        double first;
        double last = 0;
        try (TransformerLm model = new TransformerLm(cpu, config, 3);
             LmTrainer trainer = new LmTrainer(model, new LmOptimizerConfig(3e-3f, 0.9f, 0.98f, 1e-8f, 0.01f, 20,
                     300, 0.1f, 0f))) {
            first = trainer.step(task.next(32, rnd), null);
            for (int i = 1; i < 300; i++) {
                double loss = trainer.step(task.next(32, rnd), null);
                last = i >= 290 ? last + loss / 10 : last;
            }
        }
        assertThat(first).isCloseTo(Math.log(task.vocab()), within(0.2));
        // Chance is ln 10 = 2.30 nats per answer symbol.
        assertThat(last).as("loss over the last 10 steps").isLessThan(0.3);
    }

    @Test
    void clippingBoundsTheAppliedGradientAndDivergenceNamesTheStep() {
        SyntheticTask task = new SyntheticTask(SyntheticTask.Kind.MODADD, 7);
        LmConfig config = LmConfig.of(task.vocab(), task.seq(), 16, 2, 1, Placement.NONE);
        SeededRandom rnd = new SeededRandom(4);
        try (TransformerLm model = new TransformerLm(cpu, config, 3);
             LmTrainer trainer = new LmTrainer(model, LmOptimizerConfig.adamW(1e-3f, 0, 10).withClipNorm(1e-3f))) {
            trainer.step(task.next(8, rnd), () -> assertThat(LmTrainer.norm(cpu.download(model.gradients())))
                    .isCloseTo(1e-3, within(1e-6)));
            assertThat(trainer.lastGradientNorm()).isGreaterThan(1e-3);
            float[] p = cpu.download(model.parameters());
            p[model.layout().require("h.1.mlp.fc.weight").offset()] = Float.NaN;
            cpu.upload(p, model.parameters());
            assertThatThrownBy(() -> trainer.step(task.next(8, rnd), null)).isInstanceOf(LmDivergedException.class)
                    .hasMessage("training diverged at step 2: loss NaN (first non-finite values at layer 1)");
        }
    }

    @Test
    void tasksPutTheLossOnlyWhereTheAnswerIsDetermined() {
        LmBatch copy = new SyntheticTask(SyntheticTask.Kind.COPY, 3).next(1, new SeededRandom(2));
        int[] t = copy.tokens();
        assertThat(t[3]).isEqualTo(SyntheticTask.ALPHABET);
        assertThat(copy.targets()).containsExactly(-1, -1, -1, t[0], t[1], t[2], -1);
        assertThat(new int[] {t[4], t[5], t[6]}).containsExactly(t[0], t[1], t[2]);
        LmBatch add = new SyntheticTask(SyntheticTask.Kind.MODADD, 97).next(1, new SeededRandom(2));
        assertThat(add.targets()[3]).isEqualTo((add.tokens()[0] + add.tokens()[2]) % 97);
    }

    @Test
    void textFilesAreCheckedBeforeUse(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        Path binary = Files.write(dir.resolve("b.bin"), new byte[] {'a', 0, 'b'});
        Path latin1 = Files.write(dir.resolve("l.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
        Path good = Files.writeString(dir.resolve("g.txt"), "héllo wörld, héllo", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TextCorpus.read(empty, 4)).hasMessage(empty + ": the file is empty");
        assertThatThrownBy(() -> TextCorpus.read(binary, 4)).hasMessageContaining("binary file (a NUL byte at offset 1)");
        assertThatThrownBy(() -> TextCorpus.read(latin1, 2)).hasMessageContaining("not UTF-8 text");
        assertThatThrownBy(() -> TextCorpus.read(dir.resolve("none.txt"), 2)).hasMessageContaining("no such file");
        assertThatThrownBy(() -> TextCorpus.read(good, 40)).hasMessageContaining("too few");
        TextCorpus c = TextCorpus.read(good, 5);
        assertThat(c.vocab()).isEqualTo(10);
        LmBatch b = c.next(3, new SeededRandom(1));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j + 1 < 5; j++) {
                assertThat(b.targets()[i * 5 + j]).isEqualTo(b.tokens()[i * 5 + j + 1]);
            }
        }
    }
}
