package org.flowbench.app.cli.gflownet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowbench.app.cli.FlowbenchCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The GFlowNet commands end to end on tiny runs (a few hundred trajectories, 16-unit layers). */
class GfnCommandsTest {

    @TempDir
    static Path dir;

    private static Path model;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowbenchCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static Result ok(String... args) {
        Result r = run(args);
        assertThat(r.code()).as("exit code of %s, stderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    private static void bad(String expected, String... args) {
        Result r = run(args);
        assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
        String last = r.err().strip();
        assertThat(last.lines().count()).as("one line: %s", last).isEqualTo(1);
        assertThat(last).startsWith("flowbench: ").contains(expected);
    }

    private static String[] train(Path out, String loss, long seed) {
        return new String[] {"train-gfn", "--env", "hypergrid:D=2,H=4", "--loss", loss, "--hidden", "16,16", "--batch", "8",
                "--trajectories", "256", "--eval-every", "128", "--seed", Long.toString(seed), "--device", "cpu",
                "--out", out.toString()};
    }

    @BeforeAll
    static void trainOnce() {
        model = dir.resolve("grid.safetensors");
        Result r = ok(train(model, "tb", 3));
        assertThat(r.out()).contains("l1 ").contains("modes_found ").contains("checkpoint ");
        assertThat(r.err()).contains("step 32/32").contains("256 trajectories");
    }

    @Test
    void sameSeedSameBytesAndTheRefusalToOverwrite() throws Exception {
        Path again = dir.resolve("again.safetensors");
        ok(train(again, "tb", 3));
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(model));
        bad("add --force", train(again, "tb", 3));
        List<String> forced = new java.util.ArrayList<>(List.of(train(again, "tb", 4)));
        forced.add("--force");
        ok(forced.toArray(new String[0]));
        assertThat(Files.readAllBytes(again)).isNotEqualTo(Files.readAllBytes(model));
    }

    @Test
    void evalAgreesWithTrainingAndWritesTheDistribution() throws Exception {
        Path csv = dir.resolve("p.csv");
        Result r = ok("eval-gfn", "--model", model.toString(), "--distribution", csv.toString(), "--samples", "2000", "--json",
                "--device", "cpu");
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("env").asText()).isEqualTo("hypergrid:D=2,H=4,R0=0.1,R1=0.5,R2=2");
        assertThat(o.get("l1").asDouble()).isBetween(0.0, 2.0);
        assertThat(o.get("log_z_true").asDouble()).isCloseTo(Math.log(16 * 0.1 + 4 * 0.5), within(1e-9));
        assertThat(o.get("samples").asInt()).isEqualTo(2000);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("x0,x1,p");
        assertThat(lines).hasSize(17);
        double sum = lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[2])).sum();
        assertThat(sum).isCloseTo(1.0, within(1e-9));
        Result text = ok("eval-gfn", "--model", model.toString(), "--device", "cpu");
        assertThat(text.out()).contains("l1 " + o.get("l1").asText());
    }

    @Test
    void exactGivesThePublishedValuesAndTheFlows() throws Exception {
        JsonNode o = new ObjectMapper().readTree(ok("gfn-exact", "--env", "hypergrid:D=4,H=8", "--json").out());
        assertThat(o.get("z").asDouble()).isCloseTo(569.6, within(1e-8));
        assertThat(o.get("modes").asInt()).isEqualTo(16);
        assertThat(o.get("states").asInt()).isEqualTo(4096);
        Path csv = dir.resolve("flows.csv");
        ok("gfn-exact", "--env", "hypergrid:D=2,H=3", "--flows", csv.toString());
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("x0,x1,reward,state_flow,f0,f1,f2");
        String[] origin = lines.get(1).split(",");
        double z = Double.parseDouble(origin[3]);
        assertThat(Double.parseDouble(origin[4]) + Double.parseDouble(origin[5]) + Double.parseDouble(origin[6]))
                .isCloseTo(z, within(1e-12));
        assertThat(ok("gfn-exact", "--env", "sets:U=30,S=20").out()).contains("log_z ");
    }

    @Test
    void setTasksTrainWithEveryLocalLossAndReportTheirTopReward() throws Exception {
        Path sets = dir.resolve("sets.safetensors");
        Path history = dir.resolve("history.csv");
        Result r = ok("train-gfn", "--env", "sets:U=30,S=20", "--loss", "fldb", "--hidden", "16", "--batch", "4",
                "--trajectories", "64", "--eval-every", "32", "--incomplete", "--device", "cpu", "--out", sets.toString(),
                "--history", history.toString());
        assertThat(r.out()).contains("top100_reward ");
        assertThat(Files.readAllLines(history)).hasSize(3);
        Result e = ok("eval-gfn", "--model", sets.toString(), "--samples", "200", "--device", "cpu");
        assertThat(e.out()).contains("top100_reward ").contains("log_z_error ");
        bad("needs an environment small enough", "eval-gfn", "--model", sets.toString(), "--distribution",
                dir.resolve("d.csv").toString(), "--device", "cpu");
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path out = dir.resolve("never.safetensors");
        bad("lacks H", "train-gfn", "--env", "hypergrid:D=2", "--out", out.toString());
        bad("unknown loss", "train-gfn", "--env", "hypergrid:D=2,H=4", "--loss", "kl", "--out", out.toString());
        bad("needs complete trajectories", "train-gfn", "--env", "hypergrid:D=2,H=4", "--loss", "tb", "--incomplete",
                "--out", out.toString());
        bad("--lr must be", "train-gfn", "--env", "hypergrid:D=2,H=4", "--lr", "-1", "--out", out.toString());
        bad("epsilon must be", "train-gfn", "--env", "hypergrid:D=2,H=4", "--epsilon", "2", "--out", out.toString());
        bad("no such file", "eval-gfn", "--model", dir.resolve("missing.safetensors").toString());
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        bad("junk.safetensors", "eval-gfn", "--model", junk.toString(), "--device", "cpu");
        bad("too large to enumerate", "gfn-exact", "--env", "hypergrid:D=8,H=64");
        assertThat(Files.exists(out)).isFalse();
    }
}
