package org.flowbench.compute.boss;

import java.util.ArrayList;
import java.util.List;

/**
 * The BOSS dynamic program (flows.md): dp[i][1] = c[i][M];
 * dp[i][k] = min_{i < j < M} c[i][j] + dp[j][k-1]; the K-step schedule is backtracked from
 * dp[0][K]. O(K M^2) time, O(K M) memory. Ties go to the earliest next index.
 */
public final class Boss {

    private Boss() {
    }

    /** The least-cost schedule of exactly {@code steps} jumps from t_0 to t_M. */
    public static BossSchedule optimalSchedule(BossCostMatrix costs, int steps) {
        return optimalSchedules(costs, steps).get(steps - 1);
    }

    /** The least-cost schedules of 1, 2, ..., {@code maxSteps} jumps (one DP for all). */
    public static List<BossSchedule> optimalSchedules(BossCostMatrix costs, int maxSteps) {
        if (costs == null) {
            throw new IllegalArgumentException("BOSS cost matrix is missing");
        }
        int m = costs.fineSteps();
        if (maxSteps < 1 || maxSteps > m) {
            throw new IllegalArgumentException("BOSS steps must be in [1, " + m + "] (the fine grid size), got " + maxSteps);
        }
        double[][] dp = new double[maxSteps + 1][m + 1];
        int[][] next = new int[maxSteps + 1][m + 1];
        for (double[] row : dp) {
            java.util.Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        for (int i = 0; i < m; i++) {
            dp[1][i] = costs.cost(i, m);
            next[1][i] = m;
        }
        for (int k = 2; k <= maxSteps; k++) {
            // k jumps from i need at least k - 1 intermediate points, so i <= m - k
            for (int i = 0; i <= m - k; i++) {
                double best = Double.POSITIVE_INFINITY;
                int arg = -1;
                for (int j = i + 1; j <= m - k + 1; j++) {
                    double candidate = costs.cost(i, j) + dp[k - 1][j];
                    if (candidate < best) {
                        best = candidate;
                        arg = j;
                    }
                }
                dp[k][i] = best;
                next[k][i] = arg;
            }
        }
        List<BossSchedule> schedules = new ArrayList<>(maxSteps);
        for (int k = 1; k <= maxSteps; k++) {
            int[] indices = new int[k + 1];
            double[] times = new double[k + 1];
            int at = 0;
            for (int step = 0; step < k; step++) {
                indices[step] = at;
                times[step] = costs.time(at);
                at = next[k - step][at];
            }
            indices[k] = m;
            times[k] = costs.time(m);
            schedules.add(new BossSchedule(indices, times, dp[k][0]));
        }
        return schedules;
    }
}
