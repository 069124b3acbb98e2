package org.flowbench.app.cli.poincare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowbench.app.cli.FlowbenchCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wordnet-closure, embed and eval-embedding end to end on small hierarchies. */
class PoincareCommandsTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowbenchCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static Run ok(String... args) {
        Run r = run(args);
        assertThat(r.exitCode()).as("exit code of %s, stderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    private static void bad(String expected, String... args) {
        Run r = run(args);
        assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(r.err().strip().lines().filter(l -> l.startsWith("flowbench: ")).count()).isEqualTo(1);
        assertThat(last).startsWith("flowbench: ").contains(expected);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    private Path tree() throws IOException {
        // the closure of a small tree: r has children a, b; a has children a1, a2; b has b1
        Path p = dir.resolve("tree.csv");
        Files.writeString(p, "id1,id2,weight\na,r,1\nb,r,1\na1,a,1\na1,r,1\na2,a,1\na2,r,1\nb1,b,1\nb1,r,1\n");
        return p;
    }

    @Test
    void embedThenEvaluateInEveryFormat() throws IOException {
        Path edges = tree();
        for (String ext : new String[] {"tsv", "txt", "safetensors"}) {
            Path out = dir.resolve("emb." + ext);
            Run trained = ok("embed", "--edges", edges.toString(), "--dim", "2", "--epochs", "60", "--lr", "1", "--negatives", "3",
                    "--burn-in", "5", "--batch", "4", "--seed", "3", "--eval", "--json", "--out", out.toString());
            JsonNode j = new ObjectMapper().readTree(trained.out());
            assertThat(j.get("nodes").asInt()).isEqualTo(6);
            assertThat(j.get("map").asDouble()).isGreaterThan(0.9);
            assertThat(trained.err()).contains("epoch 60/60").contains("burn-in");
            Run eval = ok("eval-embedding", "--edges", edges.toString(), "--embedding", out.toString(), "--json");
            JsonNode e = new ObjectMapper().readTree(eval.out());
            assertThat(e.get("pairs").asInt()).isEqualTo(8);
            assertThat(e.get("map").asDouble()).isCloseTo(j.get("map").asDouble(), org.assertj.core.api.Assertions.within(ext.equals("safetensors") ? 1e-3 : 1e-12));
        }
        assertThat(Files.readString(dir.resolve("emb.tsv")).lines().count()).isEqualTo(6);
    }

    @Test
    void sameSeedWritesTheSameBytes() throws IOException {
        Path edges = tree();
        Path a = dir.resolve("a.tsv");
        Path b = dir.resolve("b.tsv");
        String[] common = {"embed", "--edges", edges.toString(), "--manifold", "lorentz", "--dim", "3", "--epochs", "20", "--negatives", "3",
                "--batch", "3", "--seed", "11"};
        ok(concat(common, "--threads", "1", "--out", a.toString()));
        ok(concat(common, "--threads", "4", "--out", b.toString()));
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        // lorentz TSV rows hold dim + 1 hyperboloid coordinates
        assertThat(Files.readString(a).lines().findFirst().orElseThrow().split("\t")).hasSize(5);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badInputIsOneLineWithExitTwo() throws IOException {
        Path edges = tree();
        Path cyclic = dir.resolve("cyclic.csv");
        Files.writeString(cyclic, "a,b\nb,c\nc,a\n");
        bad("cycle", "embed", "--edges", cyclic.toString(), "--out", dir.resolve("x.tsv").toString());
        Path badRow = dir.resolve("bad.csv");
        Files.writeString(badRow, "a,b\nc\n");
        bad("line 2", "embed", "--edges", badRow.toString(), "--out", dir.resolve("x.tsv").toString());
        bad("never loaded", "embed", "--edges", edges.toString(), "--out", dir.resolve("x.pth").toString());
        bad("unknown manifold", "embed", "--edges", edges.toString(), "--manifold", "sphere", "--out", dir.resolve("x.tsv").toString());
        bad("lr must be", "embed", "--edges", edges.toString(), "--lr", "NaN", "--out", dir.resolve("x.tsv").toString());
        bad("no such file", "embed", "--edges", dir.resolve("none.csv").toString(), "--out", dir.resolve("x.tsv").toString());
        Path existing = dir.resolve("existing.tsv");
        Files.writeString(existing, "keep me");
        bad("already exists", "embed", "--edges", edges.toString(), "--epochs", "1", "--out", existing.toString());
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        ok("embed", "--edges", edges.toString(), "--epochs", "1", "--negatives", "2", "--out", existing.toString(), "--force");
        assertThat(Files.readString(existing)).isNotEqualTo("keep me");

        Path unknown = dir.resolve("unknown.tsv");
        Files.writeString(unknown, "a\t0.1\t0.1\nzebra\t0.2\t0.1\n");
        bad("'zebra' is not a node", "eval-embedding", "--edges", edges.toString(), "--embedding", unknown.toString());
        Path nan = dir.resolve("nan.tsv");
        Files.writeString(nan, "a\t0.1\tNaN\n");
        bad("not a finite number", "eval-embedding", "--edges", edges.toString(), "--embedding", nan.toString());
        Path outside = dir.resolve("outside.tsv");
        Files.writeString(outside, "a\t0.9\t0.9\n");
        bad("outside the unit ball", "eval-embedding", "--edges", edges.toString(), "--embedding", outside.toString());
        bad("never loaded", "eval-embedding", "--edges", edges.toString(), "--embedding", dir.resolve("model.pth").toString());
    }

    @Test
    void wordnetClosureWritesTheReferenceMammals() throws IOException {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/wordnet/data.noun")), "WordNet 3.0 (Debian package wordnet-base) is not installed");
        Path out = dir.resolve("mammals.csv");
        Run r = ok("wordnet-closure", "--root", "mammal.n.01", "--out", out.toString(), "--json");
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("nodes").asInt()).isEqualTo(1180);
        assertThat(j.get("edges").asInt()).isEqualTo(6540);
        // the shipped sample is exactly what the command writes
        Path shipped = Path.of("..", "samples", "poincare", "mammal_closure.csv");
        if (Files.exists(shipped)) {
            assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(shipped));
        }
        bad("already exists", "wordnet-closure", "--out", out.toString());
        bad("no noun synset named 'mammal.n.99'", "wordnet-closure", "--root", "mammal.n.99", "--out", dir.resolve("m.csv").toString());
        bad("wordnet-base", "wordnet-closure", "--wordnet", dir.toString(), "--out", dir.resolve("m2.csv").toString());
    }
}
