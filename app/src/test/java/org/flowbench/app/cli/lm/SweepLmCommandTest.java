package org.flowbench.app.cli.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowbench.compute.lm.LmSweep;
import org.flowbench.compute.lm.Placement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** sweep-lm end to end, in-process, on the cpu device. */
class SweepLmCommandTest {

    private static String[] args(Path out, String... extra) {
        String[] base = {"sweep-lm", "--placement", "post,pre", "--lr", "1e-3,1e-2", "--warmup", "on,off", "--seeds", "0",
            "--task", "copy", "--task-size", "3", "--layers", "2", "--width", "16", "--heads", "2", "--steps", "8",
            "--batch", "4", "--device", "cpu", "--out", out.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void writesOneRowPerRunTheSameBytesForTheSameSeedsAndRefusesToOverwrite(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sweep.csv");
        LmCommandsTest.Result r = LmCommandsTest.run(args(out, "--json"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("sweep-lm: 8 runs of 8 steps").contains("run 8/8 pre lr 0.01 warm-up off seed 0");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("runs")).hasSize(8);
        assertThat(json.get("runs").get(0).get("placement").asText()).isEqualTo("post");
        LmSweep.Sweep sweep = LmSweep.read(out);
        assertThat(sweep.outcomes()).hasSize(8);
        assertThat(sweep.outcomes().get(7).cell()).isEqualTo(new LmSweep.Cell(Placement.PRE, 1e-2f, false, 0));
        assertThat(sweep.settings().warmupSteps()).isZero();
        assertThat(sweep.outcomes().get(0).finalLoss())
                .isEqualTo(json.get("runs").get(0).get("final_loss").asDouble(), org.assertj.core.api.Assertions.within(1e-4));
        byte[] first = Files.readAllBytes(out);
        LmCommandsTest.Result again = LmCommandsTest.run(args(out));
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().strip()).isEqualTo("flowbench: " + out + " exists; pass --force to replace it");
        LmCommandsTest.Result forced = LmCommandsTest.run(args(out, "--force"));
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("placement").contains("final_loss");
        assertThat(Files.readAllBytes(out)).isEqualTo(first);
    }

    @Test
    void badListsAreOneLineAndExitTwo(@TempDir Path dir) {
        Path out = dir.resolve("s.csv");
        LmCommandsTest.Result lr = LmCommandsTest.run("sweep-lm", "--lr", "1e-3,fast", "--out", out.toString(), "--device", "cpu");
        assertThat(lr.code()).isEqualTo(2);
        assertThat(lr.err().strip()).isEqualTo("flowbench: --lr: 'fast' is not a number");
        LmCommandsTest.Result warm = LmCommandsTest.run("sweep-lm", "--warmup", "maybe", "--out", out.toString(), "--device", "cpu");
        assertThat(warm.err().strip()).isEqualTo("flowbench: --warmup: 'maybe' is not on or off");
        LmCommandsTest.Result seeds = LmCommandsTest.run("sweep-lm", "--seeds", "-1", "--out", out.toString(), "--device", "cpu");
        assertThat(seeds.err().strip()).isEqualTo("flowbench: --seeds: '-1' is not a whole number 0 or above");
        LmCommandsTest.Result p = LmCommandsTest.run("sweep-lm", "--placement", "middle", "--out", out.toString(), "--device", "cpu");
        assertThat(p.err().strip()).startsWith("flowbench: unknown placement 'middle'");
        assertThat(Files.exists(out)).isFalse();
    }
}
