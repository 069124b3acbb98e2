package org.flowbench.compute.norm;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fluctuation measurement: its presets are reproducible, and it shows PowerNorm's Figure 1
 * story (token-like batch statistics move much more than image-like ones) and what the other
 * layers do about it.
 */
class BatchFluctuationTest {

    @Test
    void presetsAreReproducibleFromTheirSeed() {
        for (InputPreset p : InputPreset.values()) {
            InputPreset.Source a = p.source(9);
            InputPreset.Source b = p.source(9);
            InputPreset.Source c = p.source(10);
            float[] first = a.next();
            assertThat(first).hasSize(p.batch() * p.channels() * p.spatial());
            assertThat(Arrays.equals(first, b.next())).as("%s: same seed, same batch", p).isTrue();
            assertThat(Arrays.equals(first, c.next())).as("%s: another seed, another batch", p).isFalse();
            assertThat(Arrays.equals(a.next(), first)).as("%s: the next batch differs", p).isFalse();
        }
        assertThatThrownBy(() -> InputPreset.byId("audio")).hasMessageContaining("unknown input preset 'audio'");
    }

    private static double value(List<BatchFluctuation.Row> rows, String layer, String statisticStart) {
        return rows.stream().filter(r -> r.layer().equals(layer) && r.statistic().startsWith(statisticStart))
                .findFirst().orElseThrow().mean();
    }

    @Test
    void tokenLikeBatchStatisticsFluctuateMuchMoreThanImageLikeOnes() {
        Map<InputPreset, List<BatchFluctuation.Row>> all = new EnumMap<>(InputPreset.class);
        try (CpuDevice d = new CpuDevice()) {
            for (InputPreset p : InputPreset.values()) {
                all.put(p, BatchFluctuation.measure(d, p, 120, 42, null));
            }
        }
        List<BatchFluctuation.Row> image = all.get(InputPreset.IMAGE);
        List<BatchFluctuation.Row> tokens = all.get(InputPreset.TOKENS);
        List<BatchFluctuation.Row> micro = all.get(InputPreset.MICRO);
        double imageVar = value(image, "batch", "batch variance");
        double tokenVar = value(tokens, "batch", "batch variance");
        double imageMean = value(image, "batch", "batch mean");
        assertThat(tokenVar).as("token vs image batch variance deviation").isGreaterThan(5 * imageVar);
        // The batch mean of these token presets moves only a little more than the image one's (about 1.2x).
        assertThat(value(micro, "batch", "batch mean")).as("micro vs image batch mean deviation")
                .isGreaterThan(3 * imageMean);
        assertThat(value(micro, "batch", "batch variance")).isGreaterThan(2 * imageVar);
        // What PowerNorm divides by moves far less than the batch statistic it replaces.
        assertThat(value(tokens, "power", "psi^2 it divides by")).isLessThan(value(tokens, "power", "batch quadratic") / 3);
        assertThat(value(micro, "batch-channel", "estimated")).isLessThan(value(micro, "batch", "batch variance") / 3);
        assertThat(value(tokens, "group", "per-sample")).isZero();
    }
}
