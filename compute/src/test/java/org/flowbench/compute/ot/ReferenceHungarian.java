package org.flowbench.compute.ot;

import java.util.Arrays;

/** Textbook O(n^3) Hungarian method (shortest augmenting path per row), a second solver to check against. */
final class ReferenceHungarian {
    private ReferenceHungarian() {
    }

    static double minimumCost(double[] cost, int n) {
        // Index 0 in the column arrays is a virtual column holding the row being inserted.
        double[] u = new double[n + 1];
        double[] v = new double[n + 1];
        int[] rowOfColumn = new int[n + 1]; // 1-based row, 0 = free
        int[] predecessor = new int[n + 1];
        double[] minReduced = new double[n + 1];
        boolean[] visited = new boolean[n + 1];

        for (int row = 1; row <= n; row++) {
            rowOfColumn[0] = row;
            int column = 0;
            Arrays.fill(minReduced, Double.POSITIVE_INFINITY);
            Arrays.fill(visited, false);
            do {
                visited[column] = true;
                int activeRow = rowOfColumn[column];
                int base = (activeRow - 1) * n - 1; // cost index of (activeRow, j) is base + j
                double ua = u[activeRow];
                double delta = Double.POSITIVE_INFINITY;
                int next = -1;
                for (int j = 1; j <= n; j++) {
                    if (!visited[j]) {
                        double reduced = cost[base + j] - ua - v[j];
                        if (reduced < minReduced[j]) {
                            minReduced[j] = reduced;
                            predecessor[j] = column;
                        }
                        if (minReduced[j] < delta) {
                            delta = minReduced[j];
                            next = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (visited[j]) {
                        u[rowOfColumn[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minReduced[j] -= delta;
                    }
                }
                column = next;
            } while (rowOfColumn[column] != 0);
            do {
                int previous = predecessor[column];
                rowOfColumn[column] = rowOfColumn[previous];
                column = previous;
            } while (column != 0);
        }

        double total = 0;
        for (int j = 1; j <= n; j++) {
            total += cost[(rowOfColumn[j] - 1) * n + j - 1];
        }
        return total;
    }
}
