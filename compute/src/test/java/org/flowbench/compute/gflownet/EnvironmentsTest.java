package org.flowbench.compute.gflownet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EnvironmentsTest {

    @Test
    void specsReadBackToTheSameEnvironment() {
        GfnEnvironment grid = Environments.parse("HyperGrid:d=4,h=8,R0=0.01");
        assertThat(grid.spec()).isEqualTo("hypergrid:D=4,H=8,R0=0.01,R1=0.5,R2=2");
        assertThat(Environments.parse(grid.spec()).spec()).isEqualTo(grid.spec());
        GfnEnvironment sets = Environments.parse("sets:U=30,S=20");
        assertThat(sets.spec()).isEqualTo("sets:U=30,S=20,energy_seed=0");
        assertThat(Environments.parse(sets.spec()).spec()).isEqualTo(sets.spec());
    }

    @Test
    void badDescriptionsNameTheProblem() {
        assertThatThrownBy(() -> Environments.parse("hypergrid:D=2")).hasMessageContaining("lacks H");
        assertThatThrownBy(() -> Environments.parse("hypergrid:D=2,H=8,X=1")).hasMessageContaining("unknown key 'x'");
        assertThatThrownBy(() -> Environments.parse("hypergrid:D=2,H=eight")).hasMessageContaining("'eight' is not a whole number");
        assertThatThrownBy(() -> Environments.parse("hypergrid:D=2,H=8,R0=0")).hasMessageContaining("R0 must be positive");
        assertThatThrownBy(() -> Environments.parse("hypergrid:D=2,H=8,R0=NaN")).hasMessageContaining("not a finite number");
        assertThatThrownBy(() -> Environments.parse("hypergrid:D=100000,H=8")).hasMessageContaining("D must be in");
        assertThatThrownBy(() -> Environments.parse("sets:U=10,S=11")).hasMessageContaining("S must be in [1, U]");
        assertThatThrownBy(() -> Environments.parse("grid:D=2")).hasMessageContaining("unknown environment 'grid'");
        assertThatThrownBy(() -> Environments.parse("hypergrid:D=2,D=3,H=8")).hasMessageContaining("twice");
    }

    @Test
    void sizesBeyondTheLimitsAreRefusedOrNotEnumerated() {
        // 2^21 states would fit the state bound, but 43 integers each do not fit the memory bound.
        assertThat(new HyperGrid(21, 2).stateCount()).isEqualTo(-1);
        assertThat(new HyperGrid(20, 2).stateCount()).isEqualTo(1 << 20);
        assertThat(new HyperGrid(3, 128).stateCount()).isEqualTo(128 * 128 * 128);
        assertThat(new HyperGrid(4, 64).stateCount()).isEqualTo(-1);
        assertThatThrownBy(() -> StateGraph.of(new HyperGrid(4, 64))).hasMessageContaining("too many states");
        assertThat(new SetGeneration(80, 60, 0).stateCount()).isEqualTo(-1);
        assertThatThrownBy(() -> new NetworkShape(65536, 3, new int[] {8192, 8192}, org.flowbench.compute.device.Activation.RELU))
                .hasMessageContaining("parameters, more than");
    }

    @Test
    void hypergridMovesMasksAndEncoding() {
        HyperGrid grid = new HyperGrid(2, 4);
        int[] s = {3, 1};
        boolean[] forward = new boolean[3];
        grid.forwardMask(s, forward);
        assertThat(forward).containsExactly(false, true, true);
        boolean[] backward = new boolean[2];
        grid.backwardMask(new int[] {0, 2}, backward);
        assertThat(backward).containsExactly(false, true);
        int[] next = new int[2];
        grid.step(s, 1, next);
        assertThat(next).containsExactly(3, 2);
        grid.stepBack(next, 1, next);
        assertThat(next).containsExactly(3, 1);
        assertThat(grid.parentCount(s)).isEqualTo(2);
        float[] code = new float[8];
        grid.encode(s, code, 0);
        assertThat(code).containsExactly(0, 0, 0, 1, 0, 1, 0, 0);
        assertThatThrownBy(() -> grid.step(s, 0, next)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hypergridRewardRegions() {
        HyperGrid grid = new HyperGrid(2, 8);
        assertThat(grid.reward(new int[] {0, 0})).isCloseTo(0.6, within(1e-12));
        assertThat(grid.reward(new int[] {1, 6})).isCloseTo(2.6, within(1e-12));
        assertThat(grid.reward(new int[] {3, 4})).isCloseTo(0.1, within(1e-12));
        assertThat(grid.reward(new int[] {0, 3})).isCloseTo(0.1, within(1e-12));
        assertThat(grid.isMode(new int[] {6, 6})).isTrue();
        assertThat(grid.isMode(new int[] {7, 7})).isFalse();
        assertThat(grid.energy(new int[] {1, 1})).isCloseTo(-Math.log(2.6), within(1e-12));
    }

    @Test
    void setsAddUntilFullThenExit() {
        SetGeneration sets = new SetGeneration(5, 2, 3);
        int[] s = sets.initialState();
        boolean[] mask = new boolean[6];
        sets.forwardMask(s, mask);
        assertThat(mask).containsExactly(true, true, true, true, true, false);
        sets.step(s, 2, s);
        sets.step(s, 4, s);
        sets.forwardMask(s, mask);
        assertThat(mask).containsExactly(false, false, false, false, false, true);
        double[] e = sets.energies();
        assertThat(sets.logReward(s)).isCloseTo(-(e[2] + e[4]), within(1e-12));
        assertThat(sets.energy(s)).isCloseTo(-sets.logReward(s), within(1e-15));
        assertThat(sets.parentCount(s)).isEqualTo(2);
        double[] sorted = e.clone();
        java.util.Arrays.sort(sorted);
        assertThat(sets.maxLogReward()).isCloseTo(-(sorted[0] + sorted[1]), within(1e-15));
        assertThat(java.util.Arrays.stream(e).allMatch(v -> v >= 0 && v < 1)).isTrue();
        // The energies are a function of the seed alone.
        assertThat(new SetGeneration(5, 2, 3).energies()).containsExactly(e);
        assertThat(new SetGeneration(5, 2, 4).energies()).isNotEqualTo(e);
    }
}
