package org.flowbench.compute.ot;

/**
 * An optimal assignment of n rows to n columns with its dual certificate.
 *
 * @param rowToColumn {@code [n]}: row i is assigned to column rowToColumn[i]
 * @param totalCost   sum of c[i][rowToColumn[i]]
 * @param rowPotential    {@code [n]} dual variables u
 * @param columnPotential {@code [n]} dual variables v, with u_i + v_j <= c_ij
 */
public record AssignmentSolution(int[] rowToColumn, double totalCost, double[] rowPotential, double[] columnPotential) {

    public int size() {
        return rowToColumn.length;
    }

    /** The inverse permutation: column j is assigned to row columnToRow()[j]. */
    public int[] columnToRow() {
        int[] inverse = new int[rowToColumn.length];
        for (int i = 0; i < rowToColumn.length; i++) {
            inverse[rowToColumn[i]] = i;
        }
        return inverse;
    }
}
