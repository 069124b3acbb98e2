package org.flowbench.compute.ot;

import java.util.Arrays;
import java.util.concurrent.CancellationException;

/**
 * Exact minimum-cost perfect matching on a dense square cost matrix (the linear assignment
 * problem) by the Jonker-Volgenant method (Computing 38, 1987): column reduction, reduction
 * transfer and two rounds of augmenting row reduction find a cheap partial assignment, then each
 * remaining free row is inserted along a shortest augmenting path (Dijkstra on reduced costs
 * c_ij - v_j). O(n^3) in the worst case. On 2D point sets (N(0, I) against moons) the
 * initialisation places only about a quarter of the rows and the augmentations dominate: about
 * 3 ms at n = 128, 12 ms at 256, 0.1 s at 512 and 0.7 s at 1000 on one core (AssignmentBenchmark).
 *
 * <p>The column prices v returned with the solution, together with u_i = min_j (c_ij - v_j),
 * form a feasible dual whose value equals the primal cost, which certifies optimality.
 */
public final class LinearAssignment {

    /** Largest problem accepted; a dense 4096 x 4096 double matrix is 128 MiB. */
    public static final int MAX_SIZE = 4096;

    /** Row-reduction steps allowed per row and pass before the exact augmentation takes over. */
    private static final int ROW_REDUCTION_WORK_PER_ROW = 8;

    private LinearAssignment() {
    }

    /**
     * Solves min over permutations p of sum_i cost[i*n + p(i)].
     *
     * @param cost row-major {@code [n*n]}, finite
     * @param n    problem size, 0..{@link #MAX_SIZE}
     * @throws CancellationException when the calling thread is interrupted (checked at the start and once per augmentation)
     */
    public static AssignmentSolution solve(double[] cost, int n) {
        checkSize(n);
        if (cost == null || cost.length < (long) n * n) {
            throw new IllegalArgumentException("cost matrix must hold n*n = " + (long) n * n + " entries, got "
                    + (cost == null ? "null" : cost.length));
        }
        for (int k = 0; k < n * n; k++) {
            if (!Double.isFinite(cost[k])) {
                throw new IllegalArgumentException("cost matrix has a non-finite entry at row " + k / n + ", column " + k % n);
            }
        }
        return solveUnchecked(cost, n);
    }

    static void checkSize(int n) {
        if (n < 0 || n > MAX_SIZE) {
            throw new IllegalArgumentException("assignment size must be in [0, " + MAX_SIZE + "], got " + n);
        }
    }

    static AssignmentSolution solveUnchecked(double[] c, int n) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("assignment of size " + n + " cancelled before it started");
        }
        if (n == 0) {
            return new AssignmentSolution(new int[0], 0, new double[0], new double[0]);
        }
        if (n == 1) {
            return new AssignmentSolution(new int[] {0}, c[0], new double[] {0}, new double[] {c[0]});
        }
        int[] rowsol = new int[n]; // column of row i, -1 when free
        int[] colsol = new int[n]; // row of column j, -1 when free
        double[] v = new double[n];
        Arrays.fill(rowsol, -1);
        Arrays.fill(colsol, -1);

        // Column reduction: each column's price is its smallest cost; assign that row if free.
        int[] matches = new int[n];
        for (int j = n - 1; j >= 0; j--) {
            double min = c[j];
            int imin = 0;
            for (int i = 1; i < n; i++) {
                double h = c[i * n + j];
                if (h < min) {
                    min = h;
                    imin = i;
                }
            }
            v[j] = min;
            if (++matches[imin] == 1) {
                rowsol[imin] = j;
                colsol[j] = imin;
            } else if (v[j] < v[rowsol[imin]]) {
                int j1 = rowsol[imin];
                rowsol[imin] = j;
                colsol[j] = imin;
                colsol[j1] = -1;
            } else {
                colsol[j] = -1;
            }
        }

        // Reduction transfer: a row that got exactly one column lowers that column's price to its
        // second-best reduced cost, so the slack can be used by other rows.
        int[] free = new int[n];
        int numFree = 0;
        for (int i = 0; i < n; i++) {
            if (matches[i] == 0) {
                free[numFree++] = i;
            } else if (matches[i] == 1) {
                int j1 = rowsol[i];
                double min = Double.POSITIVE_INFINITY;
                int base = i * n;
                for (int j = 0; j < n; j++) {
                    if (j != j1) {
                        double h = c[base + j] - v[j];
                        if (h < min) {
                            min = h;
                        }
                    }
                }
                v[j1] -= min;
            }
            // a row that won several columns keeps the cheapest; the others were left unassigned
        }

        // Augmenting row reduction, two passes. Its running time depends on the cost values (a
        // contested column's price may drop by tiny steps many times), so each pass is capped and
        // rows it has not placed go on to the shortest-path phase, which is exact regardless.
        long reductionBudget = ROW_REDUCTION_WORK_PER_ROW * (long) n;
        for (int pass = 0; pass < 2; pass++) {
            int k = 0;
            int previousFree = numFree;
            numFree = 0;
            long work = 0;
            while (k < previousFree) {
                if (++work > reductionBudget) {
                    // numFree <= k, so moving the unprocessed rows down never overwrites one
                    while (k < previousFree) {
                        free[numFree++] = free[k++];
                    }
                    break;
                }
                int i = free[k++];
                int base = i * n;
                double umin = c[base] - v[0];
                int j1 = 0;
                int j2 = -1;
                double usubmin = Double.POSITIVE_INFINITY;
                for (int j = 1; j < n; j++) {
                    double h = c[base + j] - v[j];
                    if (h < usubmin) {
                        if (h >= umin) {
                            usubmin = h;
                            j2 = j;
                        } else {
                            usubmin = umin;
                            umin = h;
                            j2 = j1;
                            j1 = j;
                        }
                    }
                }
                int i0 = colsol[j1];
                if (umin < usubmin) {
                    v[j1] -= usubmin - umin;
                } else if (i0 >= 0) {
                    j1 = j2;
                    i0 = colsol[j2];
                }
                if (i0 >= 0) {
                    rowsol[i0] = -1;
                }
                rowsol[i] = j1;
                colsol[j1] = i;
                if (i0 >= 0) {
                    if (umin < usubmin) {
                        free[--k] = i0;
                    } else {
                        free[numFree++] = i0;
                    }
                }
            }
        }

        // Augmentation: shortest augmenting path from each remaining free row.
        double[] d = new double[n];
        int[] pred = new int[n];
        int[] collist = new int[n];
        for (int f = 0; f < numFree; f++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("assignment cancelled with " + (numFree - f) + " of " + n + " rows left to place");
            }
            int freeRow = free[f];
            int fbase = freeRow * n;
            for (int j = 0; j < n; j++) {
                d[j] = c[fbase + j] - v[j];
                pred[j] = freeRow;
                collist[j] = j;
            }
            int low = 0;
            int up = 0;
            int last = 0;
            int endOfPath = -1;
            double min = 0;
            boolean found = false;
            do {
                if (up == low) {
                    // collect the columns at the new minimum distance into collist[low..up)
                    last = low - 1;
                    min = d[collist[up++]];
                    for (int k = up; k < n; k++) {
                        int j = collist[k];
                        double h = d[j];
                        if (h <= min) {
                            if (h < min) {
                                up = low;
                                min = h;
                            }
                            collist[k] = collist[up];
                            collist[up++] = j;
                        }
                    }
                    for (int k = low; k < up; k++) {
                        if (colsol[collist[k]] < 0) {
                            endOfPath = collist[k];
                            found = true;
                            break;
                        }
                    }
                }
                if (!found) {
                    int j1 = collist[low++];
                    int i = colsol[j1];
                    int base = i * n;
                    double h = c[base + j1] - v[j1] - min;
                    for (int k = up; k < n; k++) {
                        int j = collist[k];
                        double v2 = c[base + j] - v[j] - h;
                        if (v2 < d[j]) {
                            pred[j] = i;
                            if (v2 == min) {
                                if (colsol[j] < 0) {
                                    endOfPath = j;
                                    found = true;
                                    break;
                                }
                                collist[k] = collist[up];
                                collist[up++] = j;
                            }
                            d[j] = v2;
                        }
                    }
                }
            } while (!found);

            for (int k = 0; k <= last; k++) {
                int j1 = collist[k];
                v[j1] += d[j1] - min;
            }
            int i;
            do {
                i = pred[endOfPath];
                colsol[endOfPath] = i;
                int j1 = endOfPath;
                endOfPath = rowsol[i];
                rowsol[i] = j1;
            } while (i != freeRow);
        }

        double total = 0;
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            int base = i * n;
            total += c[base + rowsol[i]];
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                best = Math.min(best, c[base + j] - v[j]);
            }
            u[i] = best;
        }
        return new AssignmentSolution(rowsol, total, u, v);
    }
}
