package org.flowbench.compute.lm;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The running statistics of batch and power norms in run files: a reloaded model evaluates bit
 * for bit as the one saved, files without them still load, and bad statistics are one line.
 */
class LmRunStatisticsTest {

    private static final SyntheticTask TASK = new SyntheticTask(SyntheticTask.Kind.REVERSE, 6);
    private static ComputeDevice cpu;

    @BeforeAll
    static void open() {
        cpu = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    /** Peri-LN: input, output and final norms, so every kind of norm position is saved. */
    private static LmConfig config(NormKind norm) {
        return new LmConfig(TASK.vocab(), TASK.seq(), 8, 2, 2, Placement.PERI, norm, false, false,
                LmConfig.Init.GPT2, 1f, Activation.GELU);
    }

    /** A model trained a few steps, with what evaluation gives on a fixed batch. */
    private record Trained(LmConfig config, float[] parameters, LmNormStatistics statistics, float[] evalLogits,
                           double evalLoss, LmBatch batch) {
    }

    private static Trained train(NormKind norm) {
        LmConfig config = config(norm);
        try (TransformerLm lm = new TransformerLm(cpu, config, 5);
             LmTrainer trainer = new LmTrainer(lm, LmOptimizerConfig.adamW(1e-2f, 0, 6))) {
            SeededRandom rnd = new SeededRandom(2);
            for (int s = 0; s < 6; s++) {
                trainer.step(TASK.next(4, rnd), null);
            }
            LmBatch batch = TASK.next(3, new SeededRandom(99));
            lm.setTraining(false);
            double loss = lm.forward(batch.tokens(), batch.targets(), batch.batch(), batch.seq());
            float[] logits = lm.logits(batch.tokens(), batch.batch(), batch.seq());
            return new Trained(config, cpu.download(lm.parameters()), lm.normStatistics(), logits, loss, batch);
        }
    }

    /** Evaluation-mode logits and loss of {@code model} on {@code batch}. */
    private static Object[] evaluate(TransformerLm model, LmBatch batch) {
        model.setTraining(false);
        double loss = model.forward(batch.tokens(), batch.targets(), batch.batch(), batch.seq());
        float[] logits = model.logits(batch.tokens(), batch.batch(), batch.seq());
        return new Object[] {logits, loss};
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }

    private static Path save(Path dir, String name, Trained t, Map<String, String> extra) throws Exception {
        Path file = dir.resolve(name);
        LmRunFile.write(file, t.config(), t.parameters(), t.statistics(), List.of(), 5, extra);
        return file;
    }

    /** A copy of {@code file} with its tensors passed through {@code edit} (null drops one). */
    private static Path rewrite(Path file, Path to, UnaryOperator<Tensor> edit) throws Exception {
        Checkpoint c = Safetensors.read(file);
        List<Tensor> kept = new ArrayList<>();
        for (Tensor t : c.tensorList()) {
            Tensor e = edit.apply(t);
            if (e != null) {
                kept.add(e);
            }
        }
        Safetensors.write(to, new Checkpoint(c.metadata(), kept));
        return to;
    }

    @ParameterizedTest
    @EnumSource(value = NormKind.class, names = {"BATCH", "POWER"})
    void reloadedModelEvaluatesBitForBit(NormKind norm, @TempDir Path dir) throws Exception {
        Trained t = train(norm);
        List<String> names = LmNormStatistics.names(t.config());
        // 2 blocks x 2 sublayers x (in, out) + ln_f = 9 positions
        assertThat(names).hasSize(9 * norm.runningStatistics().size())
                .contains("h.1.attn.norm_in." + norm.runningStatistics().get(0), "ln_f." + norm.runningStatistics().get(0));
        assertThat(t.statistics().tensors().keySet()).containsExactlyElementsOf(names);
        // Training moved the statistics away from their initial values (mean 0, variance and psi 1).
        String first = "h.1.attn.norm_in." + norm.runningStatistics().get(norm.runningStatistics().size() - 1);
        assertThat(t.statistics().tensors().get(first)).isNotEqualTo(new float[] {1, 1, 1, 1, 1, 1, 1, 1});

        Path file = save(dir, "run.safetensors", t, Map.of());
        assertThat(Safetensors.read(file).tensor(first, 8).data()).containsExactly(t.statistics().tensors().get(first));
        LmRunFile.Run run = LmRunFile.read(file);
        assertThat(run.statisticsNote()).isNull();
        assertThat(run.normStatistics().tensors().keySet()).containsExactlyElementsOf(names);
        try (TransformerLm reloaded = run.open(cpu)) {
            Object[] e = evaluate(reloaded, t.batch());
            assertThat(bits((float[]) e[0])).containsExactly(bits(t.evalLogits()));
            assertThat(Double.doubleToRawLongBits((double) e[1])).isEqualTo(Double.doubleToRawLongBits(t.evalLoss()));
        }
        // The weights alone (what a run file held before) evaluate differently.
        try (TransformerLm weightsOnly = new TransformerLm(cpu, t.config(), run.parameters())) {
            Object[] e = evaluate(weightsOnly, t.batch());
            assertThat(bits((float[]) e[0])).isNotEqualTo(bits(t.evalLogits()));
        }
    }

    @Test
    void fileWithoutStatisticsLoadsWithANote(@TempDir Path dir) throws Exception {
        Trained t = train(NormKind.BATCH);
        Path file = save(dir, "run.safetensors", t, Map.of());
        Path old = rewrite(file, dir.resolve("old.safetensors"),
                x -> x.name().endsWith(".running_mean") || x.name().endsWith(".running_var") ? null : x);
        LmRunFile.Run run = LmRunFile.read(old);
        assertThat(run.normStatistics().isEmpty()).isTrue();
        assertThat(run.parameters()).containsExactly(t.parameters());
        assertThat(run.statisticsNote()).isEqualTo("old.safetensors holds no running statistics of its batch norms "
                + "(written before run files kept them): evaluation mode uses the initial statistics "
                + "(mean 0, variance 1)");
        try (TransformerLm model = run.open(cpu);
             TransformerLm fresh = new TransformerLm(cpu, t.config(), t.parameters())) {
            assertThat(bits((float[]) evaluate(model, t.batch())[0]))
                    .containsExactly(bits((float[]) evaluate(fresh, t.batch())[0]));
        }
        // A norm kind without running statistics says nothing.
        Trained layer = train(NormKind.LAYER);
        assertThat(layer.statistics().isEmpty()).isTrue();
        LmRunFile.Run plain = LmRunFile.read(save(dir, "layer.safetensors", layer, Map.of()));
        assertThat(plain.statisticsNote()).isNull();
        assertThat(plain.normStatistics().isEmpty()).isTrue();
    }

    @Test
    void badStatisticsAreOneLineNamingTheTensor(@TempDir Path dir) throws Exception {
        Trained t = train(NormKind.POWER);
        Path file = save(dir, "run.safetensors", t, Map.of());
        String phi = "h.2.mlp.norm_out.running_phi";

        Path shape = rewrite(file, dir.resolve("shape.safetensors"),
                x -> x.name().equals(phi) ? new Tensor(phi, new int[] {7}, new float[7]) : x);
        assertOneLine(shape, "shape.safetensors: tensor '" + phi + "' has shape [7], expected [8]");

        Path nan = rewrite(file, dir.resolve("nan.safetensors"), x -> withValue(x, phi, 2, Float.NaN));
        assertOneLine(nan, "nan.safetensors: tensor '" + phi + "' holds NaN at index 2 (running statistics must be "
                + "finite)");

        Path negative = rewrite(file, dir.resolve("negative.safetensors"), x -> withValue(x, phi, 0, -3f));
        assertOneLine(negative, "negative.safetensors: tensor '" + phi + "' holds -3.0 at index 0");

        Path partial = rewrite(file, dir.resolve("partial.safetensors"), x -> x.name().equals(phi) ? null : x);
        assertOneLine(partial, "partial.safetensors: no tensor named '" + phi + "'");

        // A batch norm's running mean may be negative, its variance not.
        Trained b = train(NormKind.BATCH);
        Path batch = save(dir, "batch.safetensors", b, Map.of());
        Path mean = rewrite(batch, dir.resolve("mean.safetensors"), x -> withValue(x, "ln_f.running_mean", 1, -5f));
        assertThat(LmRunFile.read(mean).normStatistics().tensors().get("ln_f.running_mean")[1]).isEqualTo(-5f);
        Path inf = rewrite(batch, dir.resolve("inf.safetensors"),
                x -> withValue(x, "ln_f.running_var", 1, Float.POSITIVE_INFINITY));
        assertOneLine(inf, "inf.safetensors: tensor 'ln_f.running_var' holds Infinity at index 1");
    }

    @Test
    void divergedRunWithoutFiniteStatisticsStillLoads(@TempDir Path dir) throws Exception {
        Trained t = train(NormKind.BATCH);
        Path file = save(dir, "run.safetensors", t, Map.of("diverged", "diverged at step 6 at layer 2"));
        Path nan = rewrite(file, dir.resolve("diverged.safetensors"),
                x -> withValue(x, "h.1.mlp.norm_in.running_var", 0, Float.NaN));
        LmRunFile.Run run = LmRunFile.read(nan);
        assertThat(run.normStatistics().isEmpty()).isTrue();
        assertThat(run.statisticsNote()).isEqualTo("diverged.safetensors: the run diverged and its running statistics "
                + "are not finite ('h.1.mlp.norm_in.running_var'): evaluation mode uses the initial statistics "
                + "(mean 0, variance 1)");
    }

    @Test
    void writingRefusesAModelWithBatchNormsWithoutItsStatistics(@TempDir Path dir) {
        Trained t = train(NormKind.BATCH);
        assertThatThrownBy(() -> LmRunFile.write(dir.resolve("x.safetensors"), t.config(), t.parameters(), List.of(),
                5, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch norms is saved with the running statistics");
        assertThat(dir.resolve("x.safetensors")).doesNotExist();
    }

    @Test
    void statisticsThatDoNotFitTheModelAreRefused() {
        Trained t = train(NormKind.BATCH);
        Map<String, float[]> values = new LinkedHashMap<>(t.statistics().tensors());
        values.remove("ln_f.running_var");
        assertThatThrownBy(() -> LmNormStatistics.of(t.config(), values))
                .hasMessage("no running statistic 'ln_f.running_var'");
        values.put("ln_f.running_var", new float[3]);
        assertThatThrownBy(() -> LmNormStatistics.of(t.config(), values))
                .hasMessage("running statistic 'ln_f.running_var' has 3 values, the model's width is 8");
        float[] negative = new float[8];
        negative[4] = -1;
        values.put("ln_f.running_var", negative);
        try (TransformerLm model = new TransformerLm(cpu, t.config(), t.parameters())) {
            assertThatThrownBy(() -> model.setNormStatistics(LmNormStatistics.of(t.config(), values)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ln_f: running variance of channel 4 is -1.0 (expected a finite value >= 0)");
            LmConfig power = config(NormKind.POWER);
            assertThatThrownBy(() -> LmNormStatistics.of(power, t.statistics().tensors()))
                    .hasMessageContaining("no running statistic 'h.1.attn.norm_in.running_phi'");
        }
    }

    @Test
    void activationsOfAStoredModelUseItsRunningStatistics() {
        Trained t = train(NormKind.BATCH);
        LmActivations stored = LmActivations.measure(cpu, t.config(), t.parameters(), t.statistics(), t.batch());
        float[] expected;
        try (TransformerLm model = new TransformerLm(cpu, t.config(), t.parameters())) {
            model.setNormStatistics(t.statistics());
            model.setTraining(false);
            model.forward(t.batch().tokens(), t.batch().targets(), t.batch().batch(), t.batch().seq());
            expected = model.residual(2);
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(stored.abs()[2][i]).isEqualTo(Math.abs(expected[i]));
        }
        // Without statistics the read-out normalises with the batch's own, as before they were stored.
        LmActivations batchStats = LmActivations.measure(cpu, t.config(), t.parameters(), t.batch());
        assertThat(batchStats.abs()[2]).isNotEqualTo(stored.abs()[2]);
    }

    private static Tensor withValue(Tensor t, String name, int index, float value) {
        if (!t.name().equals(name)) {
            return t;
        }
        float[] d = t.data().clone();
        d[index] = value;
        return new Tensor(name, t.shape(), d);
    }

    private static void assertOneLine(Path file, String start) {
        assertThatThrownBy(() -> LmRunFile.read(file)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageStartingWith(start).hasMessageNotContaining("\n");
    }
}
