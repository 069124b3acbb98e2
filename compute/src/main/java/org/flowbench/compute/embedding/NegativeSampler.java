package org.flowbench.compute.embedding;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.hierarchy.Adjacency;

/**
 * Negatives for a positive edge (t, h), as the reference's graph_dataset.pyx draws them: up to
 * K distinct nodes n != t that are not linked to t (or linked with a smaller weight than the
 * edge), at most 10 K draws; if none is found t itself stands in, and the remaining slots repeat
 * earlier negatives at random. During burn-in nodes are drawn proportionally to
 * (weighted in-degree)^dampening with Walker's alias method, afterwards uniformly.
 */
final class NegativeSampler {

    private final Adjacency parents;
    private final int nodes;
    private final double[] aliasProbability; // [nodes]
    private final int[] alias;               // [nodes]

    NegativeSampler(Adjacency parents, double[] inDegree, double dampening) {
        this.parents = parents;
        this.nodes = parents.nodeCount();
        double[] weights = new double[nodes];
        double total = 0;
        for (int i = 0; i < nodes; i++) {
            weights[i] = Math.pow(inDegree[i], dampening);
            total += weights[i];
        }
        aliasProbability = new double[nodes];
        alias = new int[nodes];
        buildAlias(weights, total);
    }

    /** Vose's construction: column i keeps i with probability aliasProbability[i], else gives alias[i]. */
    private void buildAlias(double[] weights, double total) {
        int[] small = new int[nodes];
        int[] large = new int[nodes];
        int ns = 0;
        int nl = 0;
        double[] scaled = new double[nodes];
        for (int i = 0; i < nodes; i++) {
            scaled[i] = weights[i] * nodes / total;
            if (scaled[i] < 1) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            aliasProbability[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            if (scaled[l] < 1) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        while (nl > 0) {
            int l = large[--nl];
            aliasProbability[l] = 1;
            alias[l] = l;
        }
        while (ns > 0) { // only rounding leaves these
            int s = small[--ns];
            aliasProbability[s] = 1;
            alias[s] = s;
        }
    }

    int draw(SeededRandom rng, boolean burnIn) {
        if (!burnIn) {
            return rng.nextInt(nodes);
        }
        int column = rng.nextInt(nodes);
        return rng.nextDouble() < aliasProbability[column] ? column : alias[column];
    }

    /**
     * Fills out[at .. at + count) with negatives for the edge t -> h of weight w.
     *
     * @param marks  per-thread scratch of length nodes; entries equal to {@code stamp} are taken
     */
    void sample(int t, double w, int count, boolean burnIn, SeededRandom rng, int[] out, int at, int[] marks, int stamp) {
        int found = 0;
        int maxTries = 10 * count;
        for (int tries = 0; tries < maxTries && found < count; tries++) {
            int n = draw(rng, burnIn);
            if (n == t || marks[n] == stamp) {
                continue;
            }
            int k = parents.find(t, n);
            if (k >= 0 && parents.weight(k) >= w) {
                continue;
            }
            marks[n] = stamp;
            out[at + found++] = n;
        }
        if (found == 0) {
            out[at + found++] = t;
        }
        for (int i = found; i < count; i++) {
            out[at + i] = out[at + rng.nextInt(i)];
        }
    }
}
