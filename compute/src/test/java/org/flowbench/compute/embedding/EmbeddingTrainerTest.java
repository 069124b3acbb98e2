package org.flowbench.compute.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.hierarchy.Adjacency;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.train.TrainingCancelledException;
import org.junit.jupiter.api.Test;

class EmbeddingTrainerTest {

    /** Transitive closure of a complete tree with the given branching and depth; the root is "r". */
    static EdgeList treeClosure(int branching, int depth) {
        EdgeList.Builder b = EdgeList.builder();
        List<List<String>> ancestors = new ArrayList<>();
        List<String> level = List.of("r");
        ancestors.add(List.of());
        List<List<String>> levelAncestors = List.of(List.of());
        for (int d = 1; d <= depth; d++) {
            List<String> next = new ArrayList<>();
            List<List<String>> nextAnc = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                for (int c = 0; c < branching; c++) {
                    String child = level.get(i) + "." + c;
                    List<String> anc = new ArrayList<>(levelAncestors.get(i));
                    anc.add(level.get(i));
                    for (String a : anc) {
                        b.add(child, a, 1);
                    }
                    next.add(child);
                    nextAnc.add(anc);
                }
            }
            level = next;
            levelAncestors = nextAnc;
        }
        return b.build();
    }

    private static EmbeddingConfig small(Manifold m, long seed) {
        return new EmbeddingConfig(m, 2, 60, m == EuclideanManifold.INSTANCE ? 0.5 : 1.0, 10, 10, 0.1, 0.75, 10, seed, 1);
    }

    @Test
    void sameSeedSameBytesWhateverTheThreadCount() {
        EdgeList tree = treeClosure(3, 4);
        for (Manifold m : new Manifold[] {PoincareManifold.INSTANCE, LorentzManifold.INSTANCE, EuclideanManifold.INSTANCE}) {
            // a batch large enough that the work is really split among the threads
            EmbeddingConfig c = small(m, 5).withEpochs(8).withBatchSize(200);
            double[] one = new EmbeddingTrainer(tree, c).train(null, null).coordinates();
            double[] again = new EmbeddingTrainer(tree, c).train(null, null).coordinates();
            double[] three = new EmbeddingTrainer(tree, c.withThreads(3)).train(null, null).coordinates();
            double[] other = new EmbeddingTrainer(tree, c.withSeed(6)).train(null, null).coordinates();
            assertThat(bits(again)).as(m.name()).isEqualTo(bits(one));
            assertThat(bits(three)).as(m.name()).isEqualTo(bits(one));
            assertThat(bits(other)).as(m.name()).isNotEqualTo(bits(one));
        }
    }

    private static long[] bits(double[] v) {
        return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @Test
    void learnsATreeOnEveryManifold() {
        EdgeList tree = treeClosure(3, 3);
        for (Manifold m : new Manifold[] {PoincareManifold.INSTANCE, LorentzManifold.INSTANCE, EuclideanManifold.INSTANCE}) {
            HierarchyEmbedding start = new EmbeddingTrainer(tree, small(m, 1).withEpochs(0)).train(null, null);
            List<Double> losses = new ArrayList<>();
            HierarchyEmbedding end = new EmbeddingTrainer(tree, small(m, 1).withEpochs(150)).train(r -> losses.add(r.loss()), null);
            ReconstructionEvaluation.Result before = ReconstructionEvaluation.evaluate(start, tree.parents(), 1);
            ReconstructionEvaluation.Result after = ReconstructionEvaluation.evaluate(end, tree.parents(), 1);
            assertThat(losses).hasSize(150);
            assertThat(losses.get(149)).as(m.name()).isLessThan(losses.get(0));
            // a tree of 40 nodes fits the hyperbolic plane, not the Euclidean one
            double expected = m == EuclideanManifold.INSTANCE ? before.meanAveragePrecision() + 0.15 : 0.95;
            assertThat(after.meanAveragePrecision()).as(m.name()).isGreaterThan(expected);
            if (m != EuclideanManifold.INSTANCE) {
                assertThat(losses.get(149)).as(m.name()).isLessThan(losses.get(0) * 0.1);
            }
            assertThat(end.firstInvalidPoint()).isNull();
        }
        // in the ball, the root sits nearer the centre than the leaves
        HierarchyEmbedding ball = new EmbeddingTrainer(tree, small(PoincareManifold.INSTANCE, 1).withEpochs(150)).train(null, null);
        double rootNorm = norm(ball.point(tree.idOf("r")));
        double leafNorm = norm(ball.point(tree.idOf("r.0.1.2")));
        assertThat(rootNorm).isLessThan(leafNorm);
    }

    private static double norm(double[] x) {
        return Math.sqrt(Arrays.stream(x).map(v -> v * v).sum());
    }

    @Test
    void reportsEveryEpochAndStopsWhenCancelled() {
        EdgeList tree = treeClosure(2, 3);
        List<String> seen = new ArrayList<>();
        new EmbeddingTrainer(tree, small(PoincareManifold.INSTANCE, 2).withEpochs(12)).train(r -> {
            seen.add(r.epoch() + (r.burnIn() ? "b" : ""));
            assertThat(r.snapshot().size()).isEqualTo(tree.nodeCount());
            assertThat(r.learningRate()).isEqualTo(r.burnIn() ? 0.1 : 1.0);
        }, null);
        assertThat(seen).startsWith("1b", "2b").contains("10b", "11", "12").hasSize(12);
        AtomicInteger epochs = new AtomicInteger();
        assertThatThrownBy(() -> new EmbeddingTrainer(tree, small(PoincareManifold.INSTANCE, 2).withEpochs(50))
                .train(r -> epochs.incrementAndGet(), () -> epochs.get() >= 3))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(epochs.get()).isEqualTo(3);
    }

    @Test
    void negativesAreNeverTheNodeOrItsAncestorsAndBurnInFollowsDegree() {
        EdgeList tree = treeClosure(3, 3);
        Adjacency parents = tree.parents();
        double[] inDegree = new double[tree.nodeCount()];
        for (int e = 0; e < tree.edgeCount(); e++) {
            inDegree[tree.parent(e)] += 1;
        }
        NegativeSampler sampler = new NegativeSampler(parents, inDegree, 0.75);
        SeededRandom rng = new SeededRandom(41);
        int[] marks = new int[tree.nodeCount()];
        int[] out = new int[10];
        int[] counts = new int[tree.nodeCount()];
        for (int trial = 1; trial <= 3000; trial++) {
            int t = rng.nextInt(tree.nodeCount());
            boolean burnIn = trial % 2 == 0;
            sampler.sample(t, 1.0, 10, burnIn, rng, out, 0, marks, trial);
            for (int n : out) {
                assertThat(n == t ? parents.degree(t) : 0).isZero(); // t only stands in when nothing else is possible
                assertThat(parents.contains(t, n)).isFalse();
            }
            if (burnIn) {
                int n = sampler.draw(rng, true);
                counts[n]++;
            }
        }
        // leaves have in-degree 0: never drawn during burn-in
        assertThat(counts[tree.idOf("r.0.1.2")]).isZero();
        // root (in-degree 39) against a first-level node (in-degree 12): ratio (39/12)^0.75 = 2.42
        double ratio = (double) counts[tree.idOf("r")] / counts[tree.idOf("r.0")];
        assertThat(ratio).isBetween(1.8, 3.2);
    }

    @Test
    void divergenceIsReportedWithTheStep() {
        EdgeList tree = treeClosure(2, 2);
        EmbeddingConfig wild = new EmbeddingConfig(EuclideanManifold.INSTANCE, 2, 50, 1e200, 5, 0, 1, 0.75, 4, 1, 1);
        assertThatThrownBy(() -> new EmbeddingTrainer(tree, wild).train(null, null)).hasMessageContaining("diverged");
    }

    @Test
    void refusesAnEmbeddingLargerThanTheHeapBeforeAllocatingIt() {
        EdgeList tree = treeClosure(2, 2);
        // 7 nodes: fine at any sane dimension; the bound is checked against the heap, so pick a dimension that cannot fit
        long heap = Runtime.getRuntime().maxMemory();
        int dim = EmbeddingConfig.MAX_DIM;
        EdgeList.Builder many = EdgeList.builder();
        int nodes = (int) Math.min(Integer.MAX_VALUE / 8, heap / (8L * dim) + 10);
        for (int i = 1; i < nodes; i++) {
            many.add("n" + i, "n0", 1);
        }
        EdgeList big = many.build();
        assertThatThrownBy(() -> new EmbeddingTrainer(big, small(PoincareManifold.INSTANCE, 1).withDim(dim)))
                .hasMessageContaining("MB").hasMessageContaining("lower the dimension");
        assertThat(new EmbeddingTrainer(tree, small(PoincareManifold.INSTANCE, 1).withDim(dim)).snapshot().dim()).isEqualTo(dim);
    }

    @Test
    void rejectsAbsurdSettings() {
        assertThatThrownBy(() -> new EmbeddingConfig(PoincareManifold.INSTANCE, 0, 1, 0.1, 1, 0, 0.1, 0.75, 1, 1, 1)).hasMessageContaining("dim");
        assertThatThrownBy(() -> new EmbeddingConfig(PoincareManifold.INSTANCE, 2, 1, Double.NaN, 1, 0, 0.1, 0.75, 1, 1, 1)).hasMessageContaining("lr");
        assertThatThrownBy(() -> new EmbeddingConfig(PoincareManifold.INSTANCE, 2, 1, 0.1, 0, 0, 0.1, 0.75, 1, 1, 1)).hasMessageContaining("negatives");
    }
}
