package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.HyperGrid;
import org.flowbench.compute.gflownet.StateGraph;

/**
 * The HyperGrid's states seen on two chosen axes: cell {@code (u, v)} collects every state whose
 * coordinate on {@code axisX} is u and on {@code axisY} is v (the other axes summed out, a
 * marginal; on a 2D grid each cell is one state). A 1D grid is one row.
 *
 * @param cellOfState {@code [graph.size()]}, the cell index {@code u + width * v} of every state
 */
record GridCells(int width, int height, int axisX, int axisY, int[] cellOfState) {

    static GridCells of(StateGraph graph, int axisX, int axisY) {
        if (!(graph.environment() instanceof HyperGrid grid)) {
            throw new IllegalArgumentException("the grid view needs a HyperGrid, not " + graph.environment().spec());
        }
        int d = grid.gridDimension();
        if (axisX < 0 || axisX >= d || (d > 1 && (axisY < 0 || axisY >= d || axisY == axisX))) {
            throw new IllegalArgumentException("axes " + axisX + " and " + axisY + " must be two different axes of 0.."
                    + (d - 1));
        }
        int h = grid.height();
        int[] cells = new int[graph.size()];
        int[] s = new int[d];
        for (int i = 0; i < cells.length; i++) {
            graph.state(i, s);
            cells[i] = s[axisX] + h * (d > 1 ? s[axisY] : 0);
        }
        return new GridCells(h, d > 1 ? h : 1, axisX, d > 1 ? axisY : -1, cells);
    }

    int cells() {
        return width * height;
    }

    /** Sums a per-state array into cells ({@code [cells()]}). */
    double[] project(double[] perState) {
        double[] out = new double[cells()];
        for (int i = 0; i < cellOfState.length; i++) {
            out[cellOfState[i]] += perState[i];
        }
        return out;
    }

    /** Whether each cell holds a state that is a mode of the reward. */
    boolean[] modes(StateGraph graph) {
        boolean[] out = new boolean[cells()];
        int[] s = new int[graph.environment().dimension()];
        for (int i = 0; i < cellOfState.length; i++) {
            graph.state(i, s);
            if (graph.canTerminate(i) && graph.environment().isMode(s)) {
                out[cellOfState[i]] = true;
            }
        }
        return out;
    }
}
