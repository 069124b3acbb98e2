package org.flowbench.compute.device.opencl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelProfileTest {

    private final KernelProfile profile = new KernelProfile(List.of(
            new KernelProfile.Kernel("op_3_fill", 20, 2_000_000),
            new KernelProfile.Kernel("op_35_gemm_tiled_large", 10, 6_000_000),
            new KernelProfile.Kernel("op_4_copy", 10, 2_000_000)));

    @Test
    void kernelsAreOrderedLongestFirstAndTiesByName() {
        assertThat(profile.kernels()).extracting(KernelProfile.Kernel::name)
                .containsExactly("op_35_gemm_tiled_large", "op_3_fill", "op_4_copy");
        assertThat(profile.launches()).isEqualTo(40);
        assertThat(profile.nanos()).isEqualTo(10_000_000);
    }

    @Test
    void theTableGivesEachKernelPerRepetitionWithItsShareAndTimePerLaunch() {
        String[] lines = profile.table(2, 10).split("\n");
        assertThat(lines).hasSize(5);
        // 10 launches of 6 ms over 2 repetitions: 5 a repetition, 3 ms, 60 %, 600 us a launch.
        assertThat(lines[1].split("\\s+")).containsExactly("op_35_gemm_tiled_large", "5.0", "3.000", "60.0%", "600.0");
        assertThat(lines[4].split("\\s+")).containsExactly("all", "kernels", "20.0", "5.000", "100.0%", "250.0");
    }

    @Test
    void kernelsPastTheRowLimitAreSummedIntoOneRow() {
        String[] lines = profile.table(1, 1).split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[2].split("\\s+")).containsExactly("2", "other", "kernels", "30.0", "4.000", "40.0%", "133.3");
    }

    @Test
    void absurdTableArgumentsAreRefused() {
        assertThatThrownBy(() -> profile.table(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> profile.table(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
