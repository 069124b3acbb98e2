package org.flowbench.app.cli.norm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowbench.app.cli.FlowbenchCommand;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flowbench fold-norm}: its table, its JSON and its one-line errors. */
class FoldNormCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowbenchCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsBothNormsWithTheSameOutputs() {
        Run r = run("fold-norm", "--rows", "128", "--in", "32", "--out", "48", "--warmup", "1", "--repeats", "3",
                "--device", "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("fold-norm: batch, 128 x 32 -> 48 on cpu").contains("fold-norm: unified");
        String[] lines = r.out().strip().split("\\R");
        assertThat(lines).hasSize(4);
        assertThat(lines[1]).contains("unfolded ms").contains("folded ms");
        assertThat(lines[2]).startsWith("batch").contains(" yes ");
        assertThat(lines[3]).startsWith("unified").contains(" yes ");
    }

    @Test
    void jsonHasOneResultPerNorm() throws Exception {
        Run r = run("fold-norm", "--norm", "unified", "--rows", "64", "--in", "16", "--out", "16", "--repeats", "2",
                "--device", "cpu", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("results")).hasSize(1);
        JsonNode u = root.get("results").get(0);
        assertThat(u.get("norm").asText()).isEqualTo("unified");
        assertThat(u.get("relative_difference").asDouble()).isLessThanOrEqualTo(1e-5);
        assertThat(u.get("same_output").asBoolean()).isTrue();
        assertThat(u.get("folded_ms").asDouble()).isPositive();
    }

    @Test
    void badSettingsAreOneLineAndExitTwo() {
        Run norm = run("fold-norm", "--norm", "layer", "--device", "cpu");
        assertThat(norm.code()).isEqualTo(2);
        assertThat(norm.err().strip()).isEqualTo(
                "flowbench: unknown norm 'layer' for folding (expected one of [batch, unified])");
        Run rows = run("fold-norm", "--rows", "1", "--device", "cpu");
        assertThat(rows.code()).isEqualTo(2);
        assertThat(rows.err().strip()).isEqualTo("flowbench: rows must be in [2, 1048576], got 1");
    }
}
