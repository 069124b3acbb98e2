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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Sweeps of training runs, their file, the recorded run they are made of, and the activation read-out. */
class LmSweepTest {

    private static ComputeDevice cpu;

    @BeforeAll
    static void open() {
        cpu = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    private static LmSweep.Settings tiny(int steps) {
        SyntheticTask task = new SyntheticTask(SyntheticTask.Kind.REVERSE, 3);
        LmConfig model = LmConfig.of(task.vocab(), task.seq(), 16, 2, 2, Placement.PRE);
        return new LmSweep.Settings(model, SyntheticTask.Kind.REVERSE, 3, steps, 4, 2, 0.1f);
    }

    @Test
    void gridVariesTheSeedFastestAndRefusesEmptyOrHugeAxes() {
        List<LmSweep.Cell> cells = LmSweep.grid(List.of(Placement.POST, Placement.PRE), List.of(1e-3f, 1e-2f),
                List.of(true, false), List.of(0L, 1L, 2L));
        assertThat(cells).hasSize(24);
        assertThat(cells.get(0)).isEqualTo(new LmSweep.Cell(Placement.POST, 1e-3f, true, 0));
        assertThat(cells.get(1)).isEqualTo(new LmSweep.Cell(Placement.POST, 1e-3f, true, 1));
        assertThat(cells.get(3)).isEqualTo(new LmSweep.Cell(Placement.POST, 1e-3f, false, 0));
        assertThat(cells.get(23)).isEqualTo(new LmSweep.Cell(Placement.PRE, 1e-2f, false, 2));
        assertThatThrownBy(() -> LmSweep.grid(List.of(), List.of(1e-3f), List.of(true), List.of(0L)))
                .hasMessageContaining("at least one value");
        List<Long> seeds = new ArrayList<>();
        for (long s = 0; s < 20_000; s++) {
            seeds.add(s);
        }
        assertThatThrownBy(() -> LmSweep.grid(List.of(Placement.PRE), List.of(1e-3f), List.of(true), seeds))
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> LmSweep.grid(List.of(Placement.PRE), List.of(-1f), List.of(true), List.of(0L)))
                .hasMessageContaining("positive");
    }

    @Test
    void aModelThatDoesNotFitTheTaskIsRefused() {
        LmConfig wrong = LmConfig.of(5, 7, 16, 2, 2, Placement.PRE);
        assertThatThrownBy(() -> new LmSweep.Settings(wrong, SyntheticTask.Kind.REVERSE, 3, 10, 4, 2, 0.1f))
                .hasMessageContaining("does not fit the task");
    }

    @Test
    void eachRunIsTheRecordedRunOfItsCellAndTheSameSeedsGiveTheSameBytes() {
        LmSweep.Settings s = tiny(12);
        List<LmSweep.Cell> cells = LmSweep.grid(List.of(Placement.POST, Placement.PERI), List.of(3e-3f),
                List.of(true, false), List.of(5L));
        List<Integer> seen = new ArrayList<>();
        LmSweep.Sweep a = LmSweep.run(cpu, s, cells, (done, total, o) -> seen.add(done), () -> false);
        LmSweep.Sweep b = LmSweep.run(cpu, s, cells, null, null);
        assertThat(seen).containsExactly(1, 2, 3, 4);
        assertThat(LmSweep.format(a)).isEqualTo(LmSweep.format(b));
        // The outcome of one cell is the mean of the last tenth of its own losses.
        LmRecording.Result r = LmRecording.train(cpu, s.recording(cells.get(3), 12), null, null);
        assertThat(r.losses()).hasSize(12);
        assertThat(a.outcomes().get(3).finalLoss()).isEqualTo(r.losses()[11]);
        assertThat(a.outcomes().get(3).diverged()).isFalse();
        // Warm-up changes the run.
        assertThat(a.outcomes().get(2).finalLoss()).isNotEqualTo(a.outcomes().get(3).finalLoss());
    }

    @Test
    void aDivergingRunIsMarkedWithItsStepAndLayer() {
        LmSweep.Settings s = new LmSweep.Settings(tiny(12).model().withPlacement(Placement.NONE).withLayers(4),
                SyntheticTask.Kind.REVERSE, 3, 30, 4, 0, 0f);
        LmSweep.Sweep sweep = LmSweep.run(cpu, s, List.of(new LmSweep.Cell(Placement.NONE, 1e4f, false, 1)), null, null);
        LmSweep.Outcome o = sweep.outcomes().get(0);
        assertThat(o.diverged()).isTrue();
        assertThat(o.divergedStep()).isBetween(2, 30);
        assertThat(o.finalLoss()).isNaN();
        LmSweep.Sweep back = LmSweep.parse(LmSweep.format(sweep));
        assertThat(back.outcomes().get(0).divergedStep()).isEqualTo(o.divergedStep());
        assertThat(back.outcomes().get(0).divergedLayer()).isEqualTo(o.divergedLayer());
    }

    @Test
    void theFileRoundTripsAndBadFilesAreOneLineNamingTheLine(@TempDir Path dir) throws Exception {
        LmSweep.Settings s = tiny(4);
        LmSweep.Sweep sweep = LmSweep.run(cpu, s, LmSweep.grid(List.of(Placement.PRE), List.of(1e-3f, 1e-2f),
                List.of(true), List.of(0L)), null, null);
        Path file = dir.resolve("sweep.csv");
        LmSweep.write(file, sweep);
        LmSweep.Sweep back = LmSweep.read(file);
        assertThat(back.settings()).isEqualTo(s);
        assertThat(back.outcomes()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(back.outcomes().get(i).cell()).isEqualTo(sweep.outcomes().get(i).cell());
            assertThat(back.outcomes().get(i).finalLoss()).isCloseTo(sweep.outcomes().get(i).finalLoss(), within(1e-5));
        }
        String text = Files.readString(file);
        Files.writeString(dir.resolve("bad.csv"), text.replace("pre,0.01,on", "sideways,0.01,on"));
        assertThatThrownBy(() -> LmSweep.read(dir.resolve("bad.csv")))
                .hasMessageContaining("bad.csv").hasMessageContaining("line 12").hasMessageContaining("sideways");
        Files.writeString(dir.resolve("short.csv"), text.replace(",on,0,", ",on,"));
        assertThatThrownBy(() -> LmSweep.read(dir.resolve("short.csv"))).hasMessageContaining("expected 8 fields");
        Files.write(dir.resolve("binary.csv"), new byte[] {0, 1, 2, 3});
        assertThatThrownBy(() -> LmSweep.read(dir.resolve("binary.csv"))).hasMessageContaining("not a sweep file");
        Files.writeString(dir.resolve("nosize.csv"), text.replace("# task_size=3\n", ""));
        assertThatThrownBy(() -> LmSweep.read(dir.resolve("nosize.csv"))).hasMessageContaining("task_size");
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).startsWith("# flowbench sweep-lm\n");
    }

    @Test
    void aCarriageReturnInsideARowEndsTheLineSoTheErrorIsOneLine(@TempDir Path dir) throws Exception {
        LmSweep.Sweep sweep = new LmSweep.Sweep(tiny(4), List.of(
                new LmSweep.Outcome(new LmSweep.Cell(Placement.PRE, 1e-3f, true, 0), 1.25, -1, -1)));
        String text = LmSweep.format(sweep);
        Path file = dir.resolve("cr.csv");
        Files.writeString(file, text.replace(",1.25000,", ",1.2\r5000,"));
        assertThatThrownBy(() -> LmSweep.read(file))
                .hasMessageStartingWith(file + ": line 11: expected 8 fields, got 5")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n"));
    }

    @Test
    void aRecordingEqualsTheTrainingLoopItDescribesAndCanBeCancelled() {
        SyntheticTask task = new SyntheticTask(SyntheticTask.Kind.COPY, 3);
        LmConfig config = LmConfig.of(task.vocab(), task.seq(), 16, 2, 2, Placement.PERI);
        LmOptimizerConfig opt = LmOptimizerConfig.adamW(3e-3f, 2, 9);
        LmRecording.Settings s = new LmRecording.Settings(config, task, opt, 4, 4, 2, 11);
        List<Integer> probedAt = new ArrayList<>();
        LmRecording.Result r = LmRecording.train(cpu, s, (step, steps, loss, p) -> {
            if (p != null) {
                probedAt.add(p.step());
            }
        }, () -> false);
        assertThat(probedAt).containsExactly(0, 4, 8, 9);
        assertThat(r.probes()).hasSize(4);
        assertThat(r.probes().get(0).seeds()).isEqualTo(2);
        float[] expected;
        try (TransformerLm lm = new TransformerLm(cpu, config, 11); LmTrainer t = new LmTrainer(lm, opt)) {
            SeededRandom rnd = new SeededRandom(11).split();
            for (int i = 0; i < 9; i++) {
                t.step(task.next(4, rnd), null);
            }
            expected = cpu.download(lm.parameters());
        }
        assertThat(r.parameters()).containsExactly(expected);
        assertThat(r.metadata()).containsEntry("data", task.describe()).doesNotContainKey("diverged");
        assertThatThrownBy(() -> LmRecording.train(cpu, s, null, () -> true)).isInstanceOf(CancellationException.class);
    }

    @Test
    void activationsAreTheAbsoluteResidualStreamOfTheStoredWeights() {
        SyntheticTask task = new SyntheticTask(SyntheticTask.Kind.REVERSE, 4);
        LmConfig config = LmConfig.of(task.vocab(), task.seq(), 16, 2, 3, Placement.PRE);
        LmBatch batch = LmActivations.batchFor(config, task.describe(), 2, 3);
        assertThat(batch.seq()).isEqualTo(task.seq());
        assertThat(batch.tokens()).containsExactly(task.next(2, new SeededRandom(3)).tokens());
        float[] params;
        float[] residual2;
        try (TransformerLm lm = new TransformerLm(cpu, config, 4)) {
            params = cpu.download(lm.parameters());
            lm.forward(batch.tokens(), batch.targets(), batch.batch(), batch.seq());
            residual2 = lm.residual(2);
        }
        LmActivations a = LmActivations.measure(cpu, config, params, batch);
        assertThat(a.rows()).isEqualTo(2 * task.seq());
        assertThat(a.abs()).hasNumberOfRows(4);
        for (int r = 0; r < a.rows(); r++) {
            for (int c = 0; c < 16; c++) {
                assertThat(a.at(2, r, c)).isEqualTo(Math.abs(residual2[r * 16 + c]));
            }
        }
        // An unknown data description falls back to random tokens over the whole context.
        LmBatch random = LmActivations.batchFor(config, "text of somewhere.txt", 2, 3);
        assertThat(random.seq()).isEqualTo(config.context());
        assertThat(java.util.Arrays.stream(random.tokens()).allMatch(t -> t >= 0 && t < config.vocab())).isTrue();
        // So does a task no run can have, as a hostile run file might name.
        for (String impossible : new String[] {"copy of length 0", "copy of length 99999999999999999999",
                "modadd mod 2147483648", "reverse of length 100000"}) {
            assertThat(LmActivations.batchFor(config, impossible, 2, 3).seq()).as(impossible).isEqualTo(config.context());
        }
    }
}
