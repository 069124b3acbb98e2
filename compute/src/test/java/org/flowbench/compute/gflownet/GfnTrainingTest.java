package org.flowbench.compute.gflownet;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.train.TrainingCancelledException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GfnTrainingTest {

    private static ComputeDevice device;

    @BeforeAll
    static void open() {
        device = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    private static GfnTraining.Config small(String env, String loss, long trajectories, long seed) {
        return new GfnTraining.Config(env, loss, new int[] {64, 64}, org.flowbench.compute.device.Activation.RELU, 16,
                trajectories, 1e-3, 0.1, 0, 1, seed, 0, 0, false, 512);
    }

    @Test
    void trajectoryBalanceLearnsTheSmallGrid() {
        GfnTraining.Trained trained = GfnTraining.train(device, small("hypergrid:D=2,H=8", "tb", 8192, 1), null, null, null);
        GfnTraining.Snapshot first = trained.history().get(0);
        GfnTraining.Snapshot last = trained.last();
        assertThat(last.l1()).isLessThan(0.25);
        assertThat(last.l1()).isLessThan(first.l1() / 2);
        assertThat(last.logZError()).isLessThan(0.3);
        assertThat(last.modesFound()).isEqualTo(4);
        assertThat(last.trajectoriesSeen()).isEqualTo(8192);
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        GfnTraining.Config config = small("hypergrid:D=2,H=4", "db", 256, 5);
        GfnTraining.Trained a = GfnTraining.train(device, config, null, null, null);
        GfnTraining.Trained b = GfnTraining.train(device, config, null, null, null);
        assertThat(b.parameters()).containsExactly(a.parameters());
        GfnTraining.Trained c = GfnTraining.train(device, small("hypergrid:D=2,H=4", "db", 256, 6), null, null, null);
        assertThat(c.parameters()).isNotEqualTo(a.parameters());
    }

    @Test
    void everyObjectiveTrainsOnSetsAndGrids() {
        for (String loss : new String[] {"tb", "db", "subtb:0.9", "fldb", "fm"}) {
            GfnTraining.Trained grid = GfnTraining.train(device, small("hypergrid:D=2,H=5", loss, 320, 2), null, null, null);
            assertThat(grid.last().l1()).as(loss).isBetween(0.0, 2.0);
            GfnTraining.Trained sets = GfnTraining.train(device, small("sets:U=30,S=20", loss, 160, 2), null, null, null);
            assertThat(sets.last().topMeanReward()).as(loss).isPositive();
            assertThat(sets.last().l1()).isNaN();
            assertThat(sets.last().logZError()).isFinite();
            assertThat(sets.last().modesFound()).isEqualTo(-1);
        }
    }

    @Test
    void forwardLookingTrainingFromIncompleteTrajectoriesLearnsTheGrid() {
        GfnTraining.Config config = small("hypergrid:D=2,H=8", "fldb", 4096, 3).withIncomplete(true);
        GfnTraining.Trained trained = GfnTraining.train(device, config, null, null, null);
        assertThat(trained.last().l1()).isLessThan(trained.history().get(0).l1());
        assertThatThrownBy(() -> small("hypergrid:D=2,H=8", "tb", 10, 1).withIncomplete(true))
                .hasMessageContaining("needs complete trajectories");
    }

    @Test
    void replayAndExplorationRun() {
        GfnTraining.Config config = small("hypergrid:D=2,H=6", "tb", 512, 4).withReplay(256, 8).withExploration(0.1, 2.0);
        GfnTraining.Trained trained = GfnTraining.train(device, config, null, null, null);
        assertThat(trained.last().l1()).isBetween(0.0, 2.0);
    }

    @Test
    void cancellingStopsBeforeTheNextStep() {
        AtomicInteger steps = new AtomicInteger();
        assertThatThrownBy(() -> GfnTraining.train(device, small("hypergrid:D=2,H=8", "tb", 10_000, 1),
                (step, total, loss) -> steps.set(step), null, () -> steps.get() >= 3))
                .isInstanceOf(TrainingCancelledException.class).hasMessageContaining("after 3 steps");
    }

    @Test
    void badConfigsAreRefused() {
        assertThatThrownBy(() -> small("hypergrid:D=2,H=8", "tb", 0, 1)).hasMessageContaining("trajectories");
        assertThatThrownBy(() -> small("hypergrid:D=2,H=8", "tb", 10, 1).withExploration(1.5, 1)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> small("hypergrid:D=2,H=8", "nope", 10, 1)).hasMessageContaining("unknown loss");
    }
}
