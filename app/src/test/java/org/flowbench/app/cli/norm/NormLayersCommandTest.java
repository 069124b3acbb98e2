package org.flowbench.app.cli.norm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowbench.app.cli.FlowbenchCommand;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flowbench norm-layers}: its table, its JSON and its one-line errors. */
class NormLayersCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowbenchCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsATableWithARowPerLayerStatistic() {
        Run r = run("norm-layers", "--preset", "image", "--batches", "30", "--device", "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("image: 30 batches of 32 x 16 x 256 on cpu");
        String[] lines = r.out().strip().split("\\R");
        assertThat(lines).hasSize(9);
        assertThat(lines[0]).contains("preset").contains("layer").contains("mean dev");
        assertThat(r.out()).contains("batch variance vs running variance").contains("group");
    }

    @Test
    void jsonShowsTokenBatchVarianceMovingMoreThanImageBatchVariance() throws Exception {
        Run r = run("norm-layers", "--preset", "image,tokens", "--batches", "80", "--device", "cpu", "--json",
                "--seed", "7");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("burn_in").asInt()).isEqualTo(20);
        double image = 0;
        double tokens = 0;
        for (JsonNode row : o.get("rows")) {
            if (row.get("layer").asText().equals("batch") && row.get("statistic").asText().startsWith("batch variance")) {
                if (row.get("preset").asText().equals("image")) {
                    image = row.get("mean_deviation").asDouble();
                } else {
                    tokens = row.get("mean_deviation").asDouble();
                }
            }
        }
        assertThat(image).isPositive();
        assertThat(tokens).isGreaterThan(3 * image);
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        Run unknown = run("norm-layers", "--preset", "audio", "--device", "cpu");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("flowbench: unknown input preset 'audio'; choose image, tokens or micro");
        Run few = run("norm-layers", "--batches", "5", "--device", "cpu");
        assertThat(few.code()).isEqualTo(2);
        assertThat(few.err().strip()).startsWith("flowbench: --batches must be between 21 and 100000");
        Run notNumber = run("norm-layers", "--batches", "many");
        assertThat(notNumber.code()).isEqualTo(2);
        assertThat(notNumber.err().strip().lines().count()).isEqualTo(1);
    }
}
