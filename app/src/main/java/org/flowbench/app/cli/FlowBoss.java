package org.flowbench.app.cli;

import org.flowbench.compute.boss.Boss;
import org.flowbench.compute.boss.BossCostMatrix;
import org.flowbench.compute.boss.BossSchedule;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.train.Reflow;

/** BOSS schedules of a loaded model (Nguyen et al.; flows.md), for boss, sample and eval. */
final class FlowBoss {

    /** Fine grid M of the paper. */
    static final int DEFAULT_GRID = BossCostMatrix.DEFAULT_FINE_STEPS;
    /** Reference noise samples the jump costs average over. */
    static final int DEFAULT_REFERENCE = 1000;

    private FlowBoss() {
    }

    /** The optimal {@code steps}-step schedule from a fine Euler trajectory over fresh reference noise. */
    static BossSchedule optimal(FlowModelFile.Loaded model, int steps, int grid, int reference, long seed) {
        if (steps > grid) {
            throw new IllegalArgumentException("a " + steps + "-step schedule needs a fine grid of at least " + steps
                    + " steps, got --grid " + grid);
        }
        float[] noise = FlowModels.source(model).sample(reference, Reflow.roundSeed(seed, 3000));
        BossCostMatrix costs = BossCostMatrix.measure(model.model(), noise, reference, grid, IntegrationMonitor.NONE);
        return Boss.optimalSchedule(costs, steps);
    }

    static TimeGrid schedule(FlowModelFile.Loaded model, int steps, int grid, int reference, long seed) {
        return optimal(model, steps, grid, reference, seed).grid();
    }
}
