package org.flowbench.compute.hierarchy;

import java.util.Arrays;

/**
 * Compressed sparse rows: the neighbours of node u are {@code target(k)} for k in
 * [{@code start(u)}, {@code end(u)}), sorted by id and without repeats; a repeated edge keeps
 * its largest weight. Immutable.
 */
public final class Adjacency {

    private final int[] offsets;    // [nodes + 1]
    private final int[] targets;    // [edges]
    private final double[] weights; // [edges]

    private Adjacency(int[] offsets, int[] targets, double[] weights) {
        this.offsets = offsets;
        this.targets = targets;
        this.weights = weights;
    }

    /** Builds rows from edges from[i] -> to[i]. */
    static Adjacency of(int nodes, int[] from, int[] to, double[] weight) {
        int[] counts = new int[nodes + 1];
        for (int f : from) {
            counts[f + 1]++;
        }
        for (int i = 0; i < nodes; i++) {
            counts[i + 1] += counts[i];
        }
        int[] fill = Arrays.copyOf(counts, nodes);
        long[] packed = new long[from.length]; // target in the high half, edge index in the low half, for sorting
        int[] order = new int[from.length];
        for (int i = 0; i < from.length; i++) {
            order[fill[from[i]]++] = i;
        }
        int[] offsets = new int[nodes + 1];
        int[] targets = new int[from.length];
        double[] weights = new double[from.length];
        int out = 0;
        for (int u = 0; u < nodes; u++) {
            int lo = counts[u];
            int hi = counts[u + 1];
            for (int k = lo; k < hi; k++) {
                packed[k] = ((long) to[order[k]] << 32) | order[k];
            }
            Arrays.sort(packed, lo, hi);
            offsets[u] = out;
            for (int k = lo; k < hi; k++) {
                int target = (int) (packed[k] >>> 32);
                double w = weight[(int) packed[k]];
                if (out > offsets[u] && targets[out - 1] == target) {
                    weights[out - 1] = Math.max(weights[out - 1], w);
                } else {
                    targets[out] = target;
                    weights[out] = w;
                    out++;
                }
            }
        }
        offsets[nodes] = out;
        return new Adjacency(offsets, Arrays.copyOf(targets, out), Arrays.copyOf(weights, out));
    }

    public int nodeCount() {
        return offsets.length - 1;
    }

    /** Number of distinct edges. */
    public int edgeCount() {
        return targets.length;
    }

    public int start(int node) {
        return offsets[node];
    }

    public int end(int node) {
        return offsets[node + 1];
    }

    public int degree(int node) {
        return offsets[node + 1] - offsets[node];
    }

    public int target(int k) {
        return targets[k];
    }

    public double weight(int k) {
        return weights[k];
    }

    /** The position k of the edge u -> v, or -1. */
    public int find(int u, int v) {
        int k = Arrays.binarySearch(targets, offsets[u], offsets[u + 1], v);
        return k >= 0 ? k : -1;
    }

    public boolean contains(int u, int v) {
        return find(u, v) >= 0;
    }
}
