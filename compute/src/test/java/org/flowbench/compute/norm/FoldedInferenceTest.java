package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Folded inference gives the unfolded outputs within 1e-5 of their scale (fp32 sums over up to
 * 300 inputs differ by rounding only, about 1e-6), after training passes that moved the running
 * statistics; timing fields are medians of real runs. No speed is asserted: speed is measured by
 * the command, not by tests.
 */
class FoldedInferenceTest {

    private static ComputeDevice cpu;

    @BeforeAll
    static void open() {
        cpu = new CpuDevice(1);
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    @ParameterizedTest
    @EnumSource(FoldedInference.Kind.class)
    void foldedOutputsMatchUnfolded(FoldedInference.Kind kind) {
        for (int[] shape : new int[][] {{64, 300, 17}, {3, 5, 130}, {257, 64, 64}}) {
            FoldedInference.Result r = FoldedInference.measure(cpu,
                    new FoldedInference.Settings(kind, shape[0], shape[1], shape[2], 5, 1, 3, 7));
            assertThat(r.maxAbsOutput()).as("outputs are not trivially zero").isGreaterThan(0.5);
            assertThat(r.relativeDifference()).as("%s %dx%d->%d", kind, shape[0], shape[1], shape[2])
                    .isLessThanOrEqualTo(1e-5);
            assertThat(r.unfoldedMs()).isPositive();
            assertThat(r.foldedMs()).isPositive();
        }
    }

    @Test
    void badSettingsAreOneLine() {
        assertThatThrownBy(() -> new FoldedInference.Settings(FoldedInference.Kind.BATCH, 1 << 20, 8192, 8192, 1, 1, 1, 1))
                .hasMessageStartingWith("rows x features = ");
        assertThatThrownBy(() -> new FoldedInference.Settings(FoldedInference.Kind.BATCH, 1, 8, 8, 1, 1, 1, 1))
                .hasMessage("rows must be in [2, 1048576], got 1");
        assertThatThrownBy(() -> FoldedInference.Kind.parse("layer"))
                .hasMessage("unknown norm 'layer' for folding (expected one of [batch, unified])");
    }
}
