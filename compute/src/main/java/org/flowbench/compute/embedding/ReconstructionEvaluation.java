package org.flowbench.compute.embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import org.flowbench.compute.hierarchy.Adjacency;
import org.flowbench.compute.train.TrainingCancelledException;

/**
 * Reconstruction as facebookresearch/poincare-embeddings' hype/graph.py evaluates it: for every
 * node u with neighbours (its rows' id2, i.e. its ancestors in a closure), and each neighbour v,
 * the rank of d(u, v) among the distances from u to all nodes that are not neighbours of u
 * (u itself excluded; 1 is best); mean rank over all (u, v) pairs and MAP, the mean over such
 * nodes of the average precision of their neighbours in order of distance (scikit-learn's
 * average_precision_score, ties grouped).
 * <p>
 * Distances are compared through {@link Manifold#rankingKey}, which orders them exactly as the
 * distance does. Each node's figures depend only on its own distances and are summed in node order, so the
 * result is the same with any number of threads.
 */
public final class ReconstructionEvaluation {

    /** Mean rank, MAP, and how many (u, v) pairs and nodes they average over. */
    public record Result(double meanRank, double meanAveragePrecision, long pairs, int nodes, double seconds) {
    }

    private ReconstructionEvaluation() {
    }

    public static Result evaluate(HierarchyEmbedding embedding, Adjacency neighbours, int threads) {
        return evaluate(embedding, neighbours, threads, null, null);
    }

    /**
     * @param progress  receives the number of nodes done (from worker threads), may be null
     * @param cancelled polled per node, may be null
     */
    public static Result evaluate(HierarchyEmbedding embedding, Adjacency neighbours, int threads, IntConsumer progress,
                                  BooleanSupplier cancelled) {
        int n = embedding.size();
        if (neighbours.nodeCount() != n) {
            throw new IllegalArgumentException("the embedding has " + n + " points but the hierarchy " + neighbours.nodeCount() + " nodes");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        long started = System.nanoTime();
        double[] rankSum = new double[n];
        double[] averagePrecision = new double[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Runnable work = () -> {
            double[] distances = new double[n];
            double[] nd = new double[0];
            long[] strictlyBelow = new long[0];
            long[] atOrBelow = new long[0];
            while (true) {
                if (cancelled != null && cancelled.getAsBoolean()) {
                    throw new TrainingCancelledException(done.get());
                }
                // nodes in blocks of 16 so that threads rarely contend on the counter
                int from = next.getAndAdd(16);
                if (from >= n) {
                    return;
                }
                int to = Math.min(n, from + 16);
                for (int u = from; u < to; u++) {
                    int deg = neighbours.degree(u);
                    if (deg > 0) {
                        if (nd.length < deg) {
                            nd = new double[deg];
                            strictlyBelow = new long[deg + 1];
                            atOrBelow = new long[deg + 1];
                        }
                        evaluateNode(embedding, neighbours, u, distances, nd, strictlyBelow, atOrBelow, rankSum, averagePrecision);
                    }
                }
                int total = done.addAndGet(to - from);
                if (progress != null) {
                    progress.accept(total);
                }
            }
        };
        runAll(work, threads);
        double ranks = 0;
        double ap = 0;
        long pairs = 0;
        int nodes = 0;
        for (int u = 0; u < n; u++) {
            int deg = neighbours.degree(u);
            if (deg > 0) {
                ranks += rankSum[u];
                ap += averagePrecision[u];
                pairs += deg;
                nodes++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(pairs == 0 ? Double.NaN : ranks / pairs, nodes == 0 ? Double.NaN : ap / nodes, pairs, nodes, seconds);
    }

    private static void evaluateNode(HierarchyEmbedding embedding, Adjacency neighbours, int u, double[] distances, double[] nd,
                                     long[] strictlyBelow, long[] atOrBelow, double[] rankSum, double[] averagePrecision) {
        int n = embedding.size();
        int k = embedding.stride();
        double[] table = embedding.table();
        Manifold m = embedding.manifold();
        for (int w = 0; w < n; w++) {
            distances[w] = m.rankingKey(table, u * k, w * k, k);
        }
        int deg = neighbours.degree(u);
        int start = neighbours.start(u);
        for (int j = 0; j < deg; j++) {
            nd[j] = distances[neighbours.target(start + j)];
        }
        Arrays.sort(nd, 0, deg);
        Arrays.fill(strictlyBelow, 0, deg + 1, 0);
        Arrays.fill(atOrBelow, 0, deg + 1, 0);
        int nextNeighbour = 0; // neighbours are sorted by id: walk them alongside w
        for (int w = 0; w < n; w++) {
            if (nextNeighbour < deg && neighbours.target(start + nextNeighbour) == w) {
                nextNeighbour++;
                continue;
            }
            if (w == u) {
                continue;
            }
            double d = distances[w];
            // non-neighbour w is strictly closer than the neighbours from upper(d) on, and no farther from lower(d) on
            strictlyBelow[upperBound(nd, deg, d)]++;
            atOrBelow[lowerBound(nd, deg, d)]++;
        }
        double ranks = 0;
        double ap = 0;
        long closer = 0;
        for (int j = 0; j < deg; j++) {
            closer += strictlyBelow[j];
            ranks += 1 + closer;
        }
        // average precision with ties grouped: at each distinct neighbour distance, precision counts every node at or below it
        long notFarther = 0;
        int j = 0;
        while (j < deg) {
            int g = j;
            while (g + 1 < deg && nd[g + 1] == nd[j]) {
                g++;
            }
            for (int i = j; i <= g; i++) {
                notFarther += atOrBelow[i];
            }
            int positives = g + 1;
            ap += (double) (g - j + 1) / deg * positives / (positives + notFarther);
            j = g + 1;
        }
        rankSum[u] = ranks;
        averagePrecision[u] = ap;
    }

    /** First index in sorted a[0..n) with a[i] > x. */
    private static int upperBound(double[] a, int n, double x) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index in sorted a[0..n) with a[i] >= x. */
    private static int lowerBound(double[] a, int n, double x) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void runAll(Runnable work, int threads) {
        if (threads == 1) {
            work.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "reconstruction-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 1; i < threads; i++) {
                futures.add(pool.submit(work));
            }
            work.run();
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainingCancelledException(0);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
