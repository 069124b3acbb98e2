package org.flowbench.app.cli.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowbench.app.cli.FlowbenchCommand;
import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.lm.LmRunFile;
import org.flowbench.compute.lm.SyntheticTask;
import org.flowbench.compute.lm.TransformerLm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** norm-probe and train-lm end to end, in-process, on the cpu device. */
class LmCommandsTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowbenchCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void normProbeReportsEveryLayerOfEveryPlacement() throws Exception {
        Result r = run("norm-probe", "--placement", "pre,post,peri,none,pre-scaled", "--layers", "3", "--width", "16",
                "--heads", "2", "--seeds", "2", "--seq", "8", "--device", "cpu", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("placements")).hasSize(5);
        JsonNode post = root.get("placements").get(1);
        assertThat(post.get("placement").asText()).isEqualTo("post");
        assertThat(post.get("layers")).hasSize(4);
        // Post-LN: the stream leaves every block normalised, so E||x||^2/d is 1.
        assertThat(post.get("layers").get(3).get("mean_square").asDouble()).isBetween(0.999, 1.0);
        assertThat(post.get("layers").get(3).has("ffn_fc_grad_norm")).isTrue();
        assertThat(root.get("placements").get(0).has("layers_inside_band_3se")).isTrue();
        assertThat(r.err()).contains("norm-probe: pre-scaled, 3 layers");
    }

    @Test
    void badSettingsAreOneLineAndExitTwo() {
        Result heads = run("norm-probe", "--width", "30", "--heads", "4", "--device", "cpu");
        assertThat(heads.code()).isEqualTo(2);
        assertThat(heads.err().strip()).isEqualTo("flowbench: heads (4) must divide width (30)");
        Result placement = run("norm-probe", "--placement", "pre,middle", "--device", "cpu");
        assertThat(placement.err().strip()).startsWith("flowbench: unknown placement 'middle'");
        Result task = run("train-lm", "--task", "text", "--out", "x.safetensors", "--device", "cpu");
        assertThat(task.code()).isEqualTo(2);
        assertThat(task.err().strip()).isEqualTo("flowbench: --task text needs --text FILE");
    }

    /**
     * train-lm with batch and power norms, then the commands that read its run file: the model
     * rebuilt from the file gives the evaluation loss the run recorded, bit for bit, and the Depth
     * figure exports; a file without the statistics (as written before they were kept) still
     * exports, one with a NaN statistic is one line naming the tensor.
     */
    @Test
    void trainLmRunFilesKeepTheRunningStatisticsOfBatchNorms(@TempDir Path dir) throws Exception {
        for (String norm : new String[] {"batch", "power"}) {
            Path out = dir.resolve(norm + ".safetensors");
            Result r = run("train-lm", "--task", "copy", "--task-size", "3", "--layers", "2", "--width", "16",
                    "--heads", "2", "--steps", "30", "--batch", "8", "--lr", "1e-2", "--probe-every", "10",
                    "--placement", "pre", "--norm", norm, "--seed", "4", "--out", out.toString(), "--device", "cpu");
            assertThat(r.code()).as(r.err()).isZero();
            LmRunFile.Run run = LmRunFile.read(out);
            assertThat(run.statisticsNote()).isNull();
            assertThat(run.normStatistics().tensors()).containsKey("ln_f." + (norm.equals("batch") ? "running_var"
                    : "running_phi"));
            double stored = Double.parseDouble(run.metadata().get("eval_loss"));
            try (CpuDevice cpu = new CpuDevice(1); TransformerLm lm = run.open(cpu)) {
                double reloaded = TrainLmCommand.evaluationLoss(lm, new SyntheticTask(SyntheticTask.Kind.COPY, 3), 8, 4);
                assertThat(reloaded).as(norm).isEqualTo(stored);
            }
            Result fig = run("export", "--figure", "norm-depth", "--set", "runs=" + out, "--out",
                    dir.resolve(norm + ".png").toString());
            assertThat(fig.code()).as(fig.err()).isZero();
        }
        Path batch = dir.resolve("batch.safetensors");
        Checkpoint c = Safetensors.read(batch);
        Path old = dir.resolve("old.safetensors");
        Safetensors.write(old, new Checkpoint(c.metadata(), c.tensorList().stream()
                .filter(t -> !t.name().contains(".running_")).toList()));
        LmRunFile.Run oldRun = LmRunFile.read(old);
        assertThat(oldRun.normStatistics().isEmpty()).isTrue();
        assertThat(oldRun.statisticsNote()).contains("evaluation mode uses the initial statistics");
        Result oldFig = run("export", "--figure", "norm-depth", "--set", "runs=" + old, "--out",
                dir.resolve("old.png").toString());
        assertThat(oldFig.code()).as(oldFig.err()).isZero();

        Path nan = dir.resolve("nan.safetensors");
        Safetensors.write(nan, new Checkpoint(c.metadata(), c.tensorList().stream().map(t -> {
            if (!t.name().equals("h.1.mlp.norm_in.running_mean")) {
                return t;
            }
            float[] d = t.data().clone();
            d[5] = Float.NaN;
            return new Tensor(t.name(), t.shape(), d);
        }).toList()));
        Result bad = run("export", "--figure", "norm-depth", "--set", "runs=" + nan, "--out",
                dir.resolve("nan.png").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip().lines().reduce((a, b) -> b).orElse("")).isEqualTo("flowbench: nan.safetensors: "
                + "tensor 'h.1.mlp.norm_in.running_mean' holds NaN at index 5 (running statistics must be finite)");
        assertThat(dir.resolve("nan.png")).doesNotExist();
    }

    @Test
    void trainLmWritesARunFileAndRefusesToOverwriteIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run.safetensors");
        String[] args = {"train-lm", "--task", "copy", "--task-size", "3", "--layers", "2", "--width", "16",
            "--heads", "2", "--steps", "20", "--batch", "8", "--probe-every", "10", "--probe-seeds", "2",
            "--placement", "peri", "--optimizer", "adamp", "--out", out.toString(), "--device", "cpu", "--json"};
        Result r = run(args);
        assertThat(r.code()).as(r.err()).isZero();
        LmRunFile.Run run = LmRunFile.read(out);
        assertThat(run.probes()).extracting(p -> p.step()).containsExactly(0, 10, 20);
        assertThat(run.probes().get(0).seeds()).isEqualTo(2);
        assertThat(run.probes().get(2).updateRatio()[0]).isPositive();
        assertThat(run.metadata().get("data")).isEqualTo("copy of length 3");
        assertThat(run.metadata().get("training")).startsWith("adamp lr=0.001");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("probes")).hasSize(3);
        byte[] before = Files.readAllBytes(out);
        Result again = run(args);
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("exists; pass --force to replace it");
        assertThat(Files.readAllBytes(out)).isEqualTo(before);
    }

    @Test
    void trainLmTakesTheBatchStatisticNormsAndFlowAttention(@TempDir Path dir) throws Exception {
        for (String norm : new String[] {"batch", "power"}) {
            Path out = dir.resolve(norm + ".safetensors");
            Result r = run("train-lm", "--task", "copy", "--task-size", "3", "--layers", "2", "--width", "16",
                    "--heads", "2", "--steps", "6", "--batch", "4", "--probe-every", "3", "--norm", norm,
                    "--attention", "flow", "--out", out.toString(), "--device", "cpu", "--json");
            assertThat(r.code()).as(r.err()).isZero();
            LmRunFile.Run run = LmRunFile.read(out);
            assertThat(run.config().norm().label()).isEqualTo(norm);
            assertThat(run.config().attention().label()).isEqualTo("flow");
            assertThat(run.probes()).extracting(p -> p.step()).containsExactly(0, 3, 6);
            assertThat(run.probes().get(2).loss()).isFinite();
            // Flow attention forms no attention distribution: its entropy is recorded as absent.
            assertThat(run.probes().get(2).attnEntropy()[0][0]).isNaN();
            // After training, a loss in evaluation mode (running statistics) on fresh batches.
            double eval = new ObjectMapper().readTree(r.out()).get("eval_loss").asDouble();
            assertThat(eval).isFinite().isPositive();
            assertThat(Double.parseDouble(run.metadata().get("eval_loss"))).isEqualTo(eval);
        }
        Result bad = run("train-lm", "--task", "copy", "--attention", "linear", "--out",
                dir.resolve("x.safetensors").toString(), "--device", "cpu");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("flowbench: unknown attention 'linear' (expected one of [softmax, flow])");
    }

    @Test
    void trainLmReadsATextFileAndRejectsABinaryOne(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("corpus.txt"), "the cat sat on the mat. ".repeat(40));
        Path out = dir.resolve("text.safetensors");
        Result r = run("train-lm", "--task", "text", "--text", text.toString(), "--seq", "16", "--layers", "1",
                "--width", "16", "--heads", "2", "--steps", "5", "--batch", "4", "--out", out.toString(), "--device",
                "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(LmRunFile.read(out).config().vocab()).isEqualTo(11);
        assertThat(r.out()).contains("final_loss");
        Path binary = Files.write(dir.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        Result bad = run("train-lm", "--task", "text", "--text", binary.toString(), "--out",
                dir.resolve("b.safetensors").toString(), "--device", "cpu");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("flowbench: " + binary + ": binary file (a NUL byte at offset 4), not text");
        assertThat(Files.exists(dir.resolve("b.safetensors"))).isFalse();
    }

    @Test
    void divergenceKeepsTheProbesSoFarAndNamesTheStep(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("blowup.safetensors");
        Result r = run("train-lm", "--task", "reverse", "--task-size", "3", "--layers", "2", "--width", "16",
                "--heads", "2", "--steps", "30", "--batch", "4", "--lr", "1e30", "--warmup", "0", "--placement",
                "none", "--probe-every", "1", "--out", out.toString(), "--device", "cpu");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).containsPattern("flowbench: training diverged at step \\d+: loss");
        LmRunFile.Run run = LmRunFile.read(out);
        assertThat(run.metadata()).containsKey("diverged");
        assertThat(run.probes()).isNotEmpty();
    }
}
