package org.flowbench.views.trajectories;

import org.flowbench.compute.boss.BossCostMatrix;
import org.flowbench.compute.boss.BossSchedule;

/**
 * A model's BOSS schedule and the cost matrix it was chosen from: c[i][j], the error of one
 * Euler jump from fine-grid time t_i to t_j, and the K jumps of least total cost. Immutable.
 *
 * @param label    the model, as its panel is titled
 * @param costs    the measured cost matrix on the fine grid
 * @param schedule the chosen K-step schedule (fine-grid indices)
 */
public record BossPlan(String label, BossCostMatrix costs, BossSchedule schedule) {
}
