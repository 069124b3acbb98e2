package org.flowbench.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.Checkpoints;
import org.flowbench.compute.nn.FlowModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The flow commands end to end on tiny models (a few dozen steps, 8-unit layers), so each runs in about a second. */
class FlowCommandsTest {

    @TempDir
    static Path dir;

    private static Path model;

    private static CommandLineRunner ok(String... args) {
        CommandLineRunner r = CommandLineRunner.run(args);
        assertThat(r.exitCode()).as("exit code of %s, stderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    private static void bad(String expected, String... args) {
        CommandLineRunner r = CommandLineRunner.run(args);
        assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
        String last = r.err().strip();
        assertThat(last.lines().count()).as("one line: %s", last).isEqualTo(1);
        assertThat(last).startsWith("flowbench: ").contains(expected);
    }

    private static String[] train(Path out, long seed) {
        return new String[] {"train-flow", "--source", "normal", "--target", "moons", "--coupling", "ot", "--path", "icfm",
                "--sigma", "0.1", "--hidden", "8,8", "--activation", "selu", "--steps", "30", "--batch", "32", "--lr", "1e-2",
                "--time-dist", "u-shaped:4", "--loss", "huber:0.01", "--seed", Long.toString(seed), "--device", "cpu",
                "--out", out.toString()};
    }

    @BeforeAll
    static void trainOnce() {
        model = dir.resolve("m.safetensors");
        CommandLineRunner r = ok(train(model, 7));
        assertThat(r.out()).contains("final_loss ").contains("checkpoint ");
        assertThat(r.err()).contains("step 30/30");
    }

    @Test
    void trainFlowWritesARecordedCheckpointAndSameSeedGivesSameBytes() throws IOException {
        Checkpoint c = Checkpoints.load(model);
        assertThat(c.metadata()).containsEntry(Checkpoint.KEY_KIND, FlowModelFile.KIND_VELOCITY)
                .containsEntry(Checkpoint.KEY_SOURCE, "normal").containsEntry(Checkpoint.KEY_TARGET, "moons")
                .containsEntry(Checkpoint.KEY_COUPLING, "ot").containsEntry(Checkpoint.KEY_PATH, "icfm")
                .containsEntry(Checkpoint.KEY_REFLOW_ROUND, "1").containsEntry(Checkpoint.KEY_SEED, "7")
                .containsEntry(Checkpoint.KEY_ARCHITECTURE, "mlp:in=2,out=2,time=sin4,hidden=8x8,activation=selu");
        JsonNode training = new ObjectMapper().readTree(c.metadata().get(Checkpoint.KEY_TRAINING));
        assertThat(training.get("steps").asInt()).isEqualTo(30);
        assertThat(training.get("sigma").asDouble()).isEqualTo(0.1);
        assertThat(training.get("time_distribution").asText()).isEqualTo("u-shaped:4.0");

        Path again = dir.resolve("again.safetensors");
        ok(train(again, 7));
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(model));
        Path other = dir.resolve("other.safetensors");
        ok(train(other, 8));
        assertThat(Files.readAllBytes(other)).isNotEqualTo(Files.readAllBytes(model));
    }

    @Test
    void sampleWritesPointsAndTrajectoriesReproducibly() throws IOException {
        Path samples = dir.resolve("s.csv");
        Path traj = dir.resolve("t.csv");
        CommandLineRunner r = ok("sample", "--model", model.toString(), "--solver", "euler", "--nfe", "10", "--n", "25",
                "--out", samples.toString(), "--trajectories", traj.toString(), "--every", "5", "--seed", "3");
        assertThat(r.out()).contains("nfe 10");
        List<String> lines = Files.readAllLines(samples);
        assertThat(lines).hasSize(26);
        assertThat(lines.get(0)).isEqualTo("x,y");
        List<String> path = Files.readAllLines(traj);
        assertThat(path.get(0)).isEqualTo("particle,step,t,x,y");
        assertThat(path).hasSize(1 + 25 * 3);
        assertThat(path.get(1)).startsWith("0,0,0.0,");
        assertThat(path.get(3)).startsWith("0,10,1.0,");
        // The trajectory's last frame is the sample.
        assertThat(path.get(3).substring("0,10,1.0,".length())).isEqualTo(lines.get(1));

        Path again = dir.resolve("s2.csv");
        ok("sample", "--model", model.toString(), "--solver", "euler", "--nfe", "10", "--n", "25", "--out", again.toString(), "--seed", "3");
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(samples));

        Path adaptive = dir.resolve("s3.csv");
        CommandLineRunner d = ok("sample", "--model", model.toString(), "--solver", "dopri5", "--atol", "1e-4", "--rtol", "1e-4",
                "--n", "25", "--out", adaptive.toString());
        assertThat(d.out()).containsPattern("nfe \\d+");
    }

    @Test
    void evalPrintsTheFourFiguresAndJson() throws IOException {
        CommandLineRunner r = ok("eval", "--model", model.toString(), "--n", "64", "--solver", "midpoint", "--nfe", "20");
        assertThat(r.out().lines().map(l -> l.split(" ")[0]).toList()).containsExactly("w2", "straightness", "npe", "nfe");
        assertThat(r.out()).contains("nfe 20");
        CommandLineRunner j = ok("eval", "--model", model.toString(), "--target", "moons", "--n", "64", "--json");
        JsonNode o = new ObjectMapper().readTree(j.out());
        assertThat(o.get("nfe").asInt()).isEqualTo(100);
        assertThat(o.get("w2").asDouble()).isPositive();
        assertThat(o.get("solver").asText()).isEqualTo("rk4 25 steps (100 NFE)");
    }

    @Test
    void reflowThenDistillGivesAOneStepGenerator() throws IOException {
        Path twoRf = dir.resolve("2rf.safetensors");
        CommandLineRunner r = ok("reflow", "--model", model.toString(), "--pairs", "200", "--steps", "20", "--batch", "32",
                "--warm-start", "--solver", "euler", "--nfe", "10", "--out", twoRf.toString());
        assertThat(r.out()).containsPattern("round 1 reflow_round 2 final_loss \\S+ straightness \\S+");
        Checkpoint c = Checkpoints.load(twoRf);
        assertThat(c.metadata()).containsEntry(Checkpoint.KEY_REFLOW_ROUND, "2").containsEntry(Checkpoint.KEY_COUPLING, "reflow")
                .containsEntry(Checkpoint.KEY_TARGET, "moons");

        Path oneStep = dir.resolve("one.safetensors");
        ok("distill", "--model", twoRf.toString(), "--pairs", "200", "--steps", "20", "--batch", "32", "--solver", "euler",
                "--nfe", "10", "--out", oneStep.toString());
        assertThat(Checkpoints.load(oneStep).metadata()).containsEntry(Checkpoint.KEY_KIND, FlowModelFile.KIND_ONE_STEP);
        CommandLineRunner s = ok("sample", "--model", oneStep.toString(), "--n", "10", "--out", dir.resolve("o.csv").toString());
        assertThat(s.out()).contains("nfe 1");
        bad("one Euler step", "sample", "--model", oneStep.toString(), "--solver", "rk4", "--n", "10", "--out", dir.resolve("o2.csv").toString());
        bad("expected velocity-mlp", "reflow", "--model", oneStep.toString(), "--out", dir.resolve("x.safetensors").toString());
    }

    @Test
    void bossWritesAScheduleThatSampleUses() throws IOException {
        Path schedule = dir.resolve("schedule.csv");
        CommandLineRunner r = ok("boss", "--model", model.toString(), "--k", "4", "--grid", "20", "--n", "64", "--out", schedule.toString());
        List<String> lines = Files.readAllLines(schedule);
        assertThat(lines.get(0)).startsWith("step,t");
        assertThat(lines).hasSize(6);
        assertThat(lines.get(1)).startsWith("0,0.0");
        assertThat(lines.get(5)).startsWith("4,1.0");
        assertThat(r.out()).contains("schedule ");
        CommandLineRunner s = ok("sample", "--model", model.toString(), "--schedule", schedule.toString(), "--n", "10",
                "--out", dir.resolve("b.csv").toString());
        assertThat(s.out()).contains("nfe 4");
        CommandLineRunner e = ok("eval", "--model", model.toString(), "--schedule", "boss:3", "--n", "32");
        assertThat(e.out()).contains("nfe 3");
    }

    @Test
    void badInputGivesExitTwoAndOneLine() throws IOException {
        String out = dir.resolve("never.safetensors").toString();
        bad("unknown dataset 'spiral9'", "train-flow", "--target", "spiral9", "--out", out);
        bad("--steps must be a positive whole number, got 0", "train-flow", "--target", "moons", "--steps", "0", "--out", out);
        bad("--batch must be a positive whole number, got -5", "train-flow", "--target", "moons", "--batch", "-5", "--out", out);
        bad("--lr must be a positive finite number, got NaN", "train-flow", "--target", "moons", "--lr", "NaN", "--out", out);
        bad("--lr must be a positive finite number, got -0.1", "train-flow", "--target", "moons", "--lr", "-0.1", "--out", out);
        bad("unknown coupling 'sinkhorn'", "train-flow", "--target", "moons", "--coupling", "sinkhorn", "--out", out);
        bad("unknown activation 'swish'", "train-flow", "--target", "moons", "--activation", "swish", "--out", out);
        bad("unknown time distribution 'beta'", "train-flow", "--target", "moons", "--time-dist", "beta", "--out", out);
        bad("no such file", "sample", "--model", dir.resolve("absent.safetensors").toString(), "--out", dir.resolve("a.csv").toString());
        Path corrupt = dir.resolve("corrupt.safetensors");
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        bad("corrupt.safetensors: not a safetensors file", "eval", "--model", corrupt.toString());
        Path text = dir.resolve("readme.safetensors");
        Files.writeString(text, "# Flowbench\nA desktop workbench for flows.\n");
        bad("readme.safetensors: not a safetensors file", "sample", "--model", text.toString(), "--out", dir.resolve("a.csv").toString());
        Path truncated = dir.resolve("truncated.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        bad("truncated.safetensors: ", "sample", "--model", truncated.toString(), "--out", dir.resolve("a.csv").toString());
        bad("not a multiple of rk4's 4", "sample", "--model", model.toString(), "--nfe", "10", "--out", dir.resolve("a.csv").toString());
        bad("unknown solver 'rk9'", "eval", "--model", model.toString(), "--solver", "rk9");
        bad("--n must be a positive whole number, got 0", "sample", "--model", model.toString(), "--n", "0", "--out", dir.resolve("a.csv").toString());
        bad("--atol must be a positive finite number", "eval", "--model", model.toString(), "--solver", "dopri5", "--atol", "-1");
        bad("--k must be a positive whole number, got 0", "boss", "--model", model.toString(), "--k", "0", "--out", dir.resolve("b.csv").toString());
        assertThat(Files.exists(dir.resolve("never.safetensors"))).isFalse();
    }
}
