package org.flowbench.compute.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.hierarchy.Adjacency;
import org.flowbench.compute.hierarchy.EdgeList;
import org.junit.jupiter.api.Test;

class ReconstructionEvaluationTest {

    /** A random DAG on n nodes: edges only from higher to lower ids. */
    static EdgeList randomDag(int n, double p, SeededRandom rng) {
        EdgeList.Builder b = EdgeList.builder();
        for (int i = 0; i < n; i++) {
            b.id("n" + i);
        }
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (rng.nextDouble() < p) {
                    b.add("n" + i, "n" + j, 1);
                }
            }
        }
        return b.build();
    }

    static HierarchyEmbedding randomEmbedding(EdgeList e, SeededRandom rng, boolean coarse) {
        double[] t = new double[e.nodeCount() * 2];
        for (int i = 0; i < t.length; i++) {
            double v = (rng.nextDouble() * 2 - 1) * 0.7;
            t[i] = coarse ? Math.round(v * 4) / 4.0 * 0.9 : v; // coarse: many exact ties
        }
        return new HierarchyEmbedding(e.names(), PoincareManifold.INSTANCE, 2, t);
    }

    /** The reference's reading written out plainly: ranks by counting, AP by scikit-learn's threshold sweep. */
    static double[] bruteForce(HierarchyEmbedding emb, Adjacency adj) {
        double rankSum = 0;
        long pairs = 0;
        double apSum = 0;
        int nodes = 0;
        int n = emb.size();
        for (int u = 0; u < n; u++) {
            if (adj.degree(u) == 0) {
                continue;
            }
            List<Integer> nb = new ArrayList<>();
            for (int k = adj.start(u); k < adj.end(u); k++) {
                nb.add(adj.target(k));
            }
            for (int v : nb) {
                int rank = 1;
                for (int w = 0; w < n; w++) {
                    if (w != u && !nb.contains(w) && emb.distance(u, w) < emb.distance(u, v)) {
                        rank++;
                    }
                }
                rankSum += rank;
                pairs++;
            }
            // AP = sum over distinct thresholds t (neighbour distances) of (new recall) * precision(d <= t)
            java.util.TreeSet<Double> thresholds = new java.util.TreeSet<>();
            for (int v : nb) {
                thresholds.add(emb.distance(u, v));
            }
            double ap = 0;
            double prevRecall = 0;
            for (double t : thresholds) {
                int tp = 0;
                int all = 0;
                for (int w = 0; w < n; w++) {
                    if (w != u && emb.distance(u, w) <= t) {
                        all++;
                        if (nb.contains(w)) {
                            tp++;
                        }
                    }
                }
                double recall = (double) tp / nb.size();
                ap += (recall - prevRecall) * tp / all;
                prevRecall = recall;
            }
            apSum += ap;
            nodes++;
        }
        return new double[] {rankSum / pairs, apSum / nodes};
    }

    @Test
    void agreesWithAPlainImplementationWithAndWithoutTies() {
        SeededRandom rng = new SeededRandom(31);
        for (int trial = 0; trial < 20; trial++) {
            EdgeList e = randomDag(40 + rng.nextInt(30), 0.1, rng);
            HierarchyEmbedding emb = randomEmbedding(e, rng, trial % 2 == 1);
            double[] expected = bruteForce(emb, e.parents());
            ReconstructionEvaluation.Result r = ReconstructionEvaluation.evaluate(emb, e.parents(), 1 + trial % 3);
            assertThat(r.meanRank()).isCloseTo(expected[0], within(1e-12));
            assertThat(r.meanAveragePrecision()).isCloseTo(expected[1], within(1e-12));
        }
    }

    @Test
    void aPerfectEmbeddingScoresOneAndThreadsDoNotChangeTheResult() {
        // a chain c -> b -> a (closure) and d -> a, placed so every ancestor is nearer than any non-ancestor
        EdgeList e = EdgeList.builder().add("c", "b", 1).add("c", "a", 1).add("b", "a", 1).add("d", "a", 1).build();
        // ids: c=0, b=1, a=2, d=3
        double[] t = {0.3, 0.5, 0.3, 0.0, 0.0, 0.0, -0.3, 0.0};
        HierarchyEmbedding emb = new HierarchyEmbedding(e.names(), PoincareManifold.INSTANCE, 2, t);
        ReconstructionEvaluation.Result r = ReconstructionEvaluation.evaluate(emb, e.parents(), 1);
        assertThat(r.meanRank()).isEqualTo(1.0);
        assertThat(r.meanAveragePrecision()).isEqualTo(1.0);
        assertThat(r.pairs()).isEqualTo(4);
        assertThat(r.nodes()).isEqualTo(3);
        SeededRandom rng = new SeededRandom(32);
        EdgeList big = randomDag(300, 0.05, rng);
        HierarchyEmbedding random = randomEmbedding(big, rng, false);
        ReconstructionEvaluation.Result one = ReconstructionEvaluation.evaluate(random, big.parents(), 1);
        ReconstructionEvaluation.Result four = ReconstructionEvaluation.evaluate(random, big.parents(), 4);
        assertThat(four.meanRank()).isEqualTo(one.meanRank());
        assertThat(four.meanAveragePrecision()).isEqualTo(one.meanAveragePrecision());
    }

    @Test
    void aNonAncestorNearerThanAnAncestorCostsRankAndPrecision() {
        EdgeList e = EdgeList.builder().add("b", "a", 1).add("x", "y", 1).build();
        // ids: b=0, a=1, x=2, y=3; for b: a at distance from 0.0 to 0.6, x at 0.1 (non-ancestor, nearer)
        double[] t = {0.0, 0.0, 0.6, 0.0, 0.1, 0.0, -0.1, 0.0};
        HierarchyEmbedding emb = new HierarchyEmbedding(e.names(), PoincareManifold.INSTANCE, 2, t);
        ReconstructionEvaluation.Result r = ReconstructionEvaluation.evaluate(emb, e.parents(), 1);
        // b: non-ancestors x (0.1), y (0.1) are nearer than a: rank 3, AP 1/3.
        // x: ancestor y at 0.2; non-ancestor b at 0.1 nearer: rank 2, AP 1/2.
        assertThat(r.meanRank()).isCloseTo((3 + 2) / 2.0, within(1e-15));
        assertThat(r.meanAveragePrecision()).isCloseTo((1 / 3.0 + 1 / 2.0) / 2, within(1e-15));
    }
}
