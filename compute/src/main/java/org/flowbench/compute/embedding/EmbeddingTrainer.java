package org.flowbench.compute.embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.hierarchy.Adjacency;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.train.TrainingCancelledException;
import org.flowbench.compute.train.TrainingDivergedException;

/**
 * Trains an embedding of a hierarchy's edges with the loss of Nickel and Kiela (2017):
 * for an edge (u, v) with negatives N(u), -log(e^{-d(u,v)} / sum over N(u) and v of e^{-d(u,v')}),
 * averaged over a batch, followed by one Riemannian SGD step of every point the batch touched
 * (its gradient summed over the batch, as the reference's sparse gradients are). Each epoch
 * visits the edges in a fresh seeded permutation; burn-in epochs use lr times the burn-in
 * multiplier and degree-weighted negatives.
 * <p>
 * Reproducible: the permutation, the initial points and each edge's negatives come from
 * generators seeded by (seed, epoch, position), and the batch's gradients are summed in a fixed
 * order; the rows of a batch are split among {@code threads} workers only to compute, so the
 * same seed gives the same bytes with any number of threads. Not thread-safe; one run per
 * instance.
 */
public final class EmbeddingTrainer {

    /** Work per batch (rows x slots x coordinates) below which the batch runs on the calling thread. */
    private static final int PARALLEL_WORK = 16_384;

    /** Called after every epoch on the training thread. */
    @FunctionalInterface
    public interface EpochListener {
        void epochDone(EpochReport report);
    }

    /**
     * What an epoch did. {@link #snapshot()} copies the current points and is valid only during
     * the callback.
     */
    public static final class EpochReport {
        private final int epoch;
        private final int epochs;
        private final double loss;
        private final double learningRate;
        private final boolean burnIn;
        private final double seconds;
        private final EmbeddingTrainer trainer;

        EpochReport(int epoch, int epochs, double loss, double learningRate, boolean burnIn, double seconds, EmbeddingTrainer trainer) {
            this.epoch = epoch;
            this.epochs = epochs;
            this.loss = loss;
            this.learningRate = learningRate;
            this.burnIn = burnIn;
            this.seconds = seconds;
            this.trainer = trainer;
        }

        /** 1-based number of the finished epoch. */
        public int epoch() {
            return epoch;
        }

        public int epochs() {
            return epochs;
        }

        /** Mean of the batch losses of this epoch. */
        public double loss() {
            return loss;
        }

        public double learningRate() {
            return learningRate;
        }

        public boolean burnIn() {
            return burnIn;
        }

        /** Wall time of this epoch. */
        public double seconds() {
            return seconds;
        }

        public HierarchyEmbedding snapshot() {
            return trainer.snapshot();
        }
    }

    private final EdgeList edges;
    private final EmbeddingConfig config;
    private final Manifold manifold;
    private final int nodes;
    private final int k;
    private final double[] table;      // [nodes * k]
    private final Adjacency parents;
    private final NegativeSampler sampler;
    private final int slots;           // 1 positive + negatives
    // per batch: the nodes in each slot and their gradients
    private final int[] batchNodes;    // [batch * (1 + slots)]: t, then h and negatives
    private final double[] batchGrad;  // [batch * (1 + slots) * k]
    private final double[] rowLoss;    // [batch]
    private final double[] gradient;   // [nodes * k], zero outside a step
    private final int[] touched;       // nodes with a gradient this step, in first-touch order
    private final boolean[] isTouched;
    private final Worker[] workers;

    public EmbeddingTrainer(EdgeList edges, EmbeddingConfig config) {
        if (edges.edgeCount() == 0) {
            throw new IllegalArgumentException("nothing to embed: the hierarchy has no edges");
        }
        this.edges = edges;
        this.config = config;
        this.manifold = config.manifold();
        this.nodes = edges.nodeCount();
        this.k = manifold.coordinates(config.dim());
        long cells = (long) nodes * k;
        // the points and their gradient accumulator, checked against the heap before either is allocated
        long bytes = 2 * 8 * cells;
        long available = Runtime.getRuntime().maxMemory() / 2;
        if (cells > Integer.MAX_VALUE - 16 || bytes > available) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%d nodes of dimension %d need %d MB for training; at most %d MB of this JVM's heap are used (lower the dimension or raise -Xmx)",
                    nodes, config.dim(), bytes >> 20, available >> 20));
        }
        this.table = new double[(int) cells];
        this.parents = edges.parents();
        double[] inDegree = new double[nodes];
        for (int e = 0; e < edges.edgeCount(); e++) {
            inDegree[edges.parent(e)] += edges.weight(e);
        }
        this.sampler = new NegativeSampler(parents, inDegree, config.dampening());
        this.slots = 1 + config.negatives();
        int batch = Math.min(config.batchSize(), edges.edgeCount());
        long slotCells = (long) batch * (1 + slots) * k;
        if (slotCells > 64L << 20) {
            throw new IllegalArgumentException("batch " + config.batchSize() + " with " + config.negatives()
                    + " negatives needs more working memory than allowed; use a smaller batch");
        }
        this.batchNodes = new int[batch * (1 + slots)];
        this.batchGrad = new double[(int) slotCells];
        this.rowLoss = new double[batch];
        this.gradient = new double[(int) cells];
        this.touched = new int[nodes];
        this.isTouched = new boolean[nodes];
        this.workers = new Worker[config.threads()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker();
        }
        SeededRandom init = new SeededRandom(config.seed());
        for (int i = 0; i < nodes; i++) {
            manifold.initialize(table, i * k, k, init);
        }
    }

    /** Per-thread scratch. */
    private final class Worker {
        final int[] marks = new int[nodes];
        int stamp;
        final double[] distances = new double[slots];
    }

    /** A generator for (seed, a, b): independent streams for each epoch and position. */
    static SeededRandom stream(long seed, long a, long b) {
        long s = new SeededRandom(seed ^ 0x632BE59BD9B4E019L).nextLong();
        s = new SeededRandom(s + a * 0x9E3779B97F4A7C15L).nextLong();
        return new SeededRandom(s + b * 0xBF58476D1CE4E5B9L);
    }

    public HierarchyEmbedding snapshot() {
        return HierarchyEmbedding.wrap(edges.names(), manifold, config.dim(), table.clone());
    }

    /** Runs all epochs; returns the final embedding. */
    public HierarchyEmbedding train(EpochListener listener, BooleanSupplier cancelled) {
        ExecutorService pool = workers.length > 1 ? Executors.newFixedThreadPool(workers.length - 1, r -> {
            Thread t = new Thread(r, "embedding-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            int batchesDone = 0;
            int edgeCount = edges.edgeCount();
            int batch = rowLoss.length;
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                long started = System.nanoTime();
                boolean burnIn = epoch < config.burnInEpochs();
                double lr = burnIn ? config.learningRate() * config.burnInMultiplier() : config.learningRate();
                int[] order = stream(config.seed(), epoch, -1).permutation(edgeCount);
                double lossSum = 0;
                int batches = 0;
                for (int first = 0; first < edgeCount; first += batch) {
                    if ((cancelled != null && cancelled.getAsBoolean()) || Thread.currentThread().isInterrupted()) {
                        throw new TrainingCancelledException(batchesDone);
                    }
                    int rows = Math.min(batch, edgeCount - first);
                    double loss = step(order, first, rows, epoch, burnIn, lr, pool);
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException(batchesDone + 1, loss, lr);
                    }
                    lossSum += loss;
                    batches++;
                    batchesDone++;
                }
                if (listener != null) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    listener.epochDone(new EpochReport(epoch + 1, config.epochs(), lossSum / batches, lr, burnIn, seconds, this));
                }
            }
            return snapshot();
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** One batch: forward and gradients (in parallel when worth it), a fixed-order sum, then the updates. */
    private double step(int[] order, int first, int rows, int epoch, boolean burnIn, double lr, ExecutorService pool) {
        int stride = 1 + slots;
        Arrays.fill(batchGrad, 0, rows * stride * k, 0.0);
        boolean parallel = pool != null && (long) rows * stride * k >= PARALLEL_WORK;
        if (parallel) {
            int parts = Math.min(workers.length, rows);
            List<Future<?>> futures = new ArrayList<>(parts - 1);
            for (int p = 1; p < parts; p++) {
                int lo = rows * p / parts;
                int hi = rows * (p + 1) / parts;
                Worker w = workers[p];
                futures.add(pool.submit(() -> forward(order, first, lo, hi, rows, epoch, burnIn, w)));
            }
            forward(order, first, 0, rows / parts, rows, epoch, burnIn, workers[0]);
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TrainingCancelledException(0);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new IllegalStateException(e.getCause());
                }
            }
        } else {
            forward(order, first, 0, rows, rows, epoch, burnIn, workers[0]);
        }
        // sum the slot gradients per node in row and slot order, whatever thread computed them
        int count = 0;
        for (int s = 0; s < rows * stride; s++) {
            int node = batchNodes[s];
            if (!isTouched[node]) {
                isTouched[node] = true;
                touched[count++] = node;
            }
            int g = node * k;
            int b = s * k;
            for (int i = 0; i < k; i++) {
                gradient[g + i] += batchGrad[b + i];
            }
        }
        for (int c = 0; c < count; c++) {
            int node = touched[c];
            manifold.step(table, node * k, k, gradient, node * k, lr);
            Arrays.fill(gradient, node * k, node * k + k, 0.0);
            isTouched[node] = false;
        }
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            loss += rowLoss[r];
        }
        return loss / rows;
    }

    /** Negatives, distances, loss and slot gradients of rows [lo, hi) of the batch starting at {@code first}. */
    private void forward(int[] order, int first, int lo, int hi, int rows, int epoch, boolean burnIn, Worker w) {
        int stride = 1 + slots;
        double scale = 1.0 / rows; // the batch loss is a mean over its rows
        for (int r = lo; r < hi; r++) {
            int position = first + r;
            int e = order[position];
            int t = edges.child(e);
            int base = r * stride;
            batchNodes[base] = t;
            batchNodes[base + 1] = edges.parent(e);
            SeededRandom rng = stream(config.seed(), epoch, position);
            w.stamp++;
            if (w.stamp == 0) {
                Arrays.fill(w.marks, 0);
                w.stamp = 1;
            }
            sampler.sample(t, edges.weight(e), slots - 1, burnIn, rng, batchNodes, base + 2, w.marks, w.stamp);
            double[] d = w.distances;
            double min = Double.POSITIVE_INFINITY;
            for (int j = 0; j < slots; j++) {
                d[j] = manifold.distance(table, t * k, batchNodes[base + 1 + j] * k, k);
                min = Math.min(min, d[j]);
            }
            double sum = 0;
            for (int j = 0; j < slots; j++) {
                sum += Math.exp(min - d[j]);
            }
            rowLoss[r] = d[0] - min + Math.log(sum);
            // dL/dd_j = [j == 0] - softmax(-d)_j
            for (int j = 0; j < slots; j++) {
                double p = Math.exp(min - d[j]) / sum;
                double coefficient = ((j == 0) ? 1 - p : -p) * scale;
                if (coefficient != 0) {
                    manifold.distanceGradient(table, t * k, batchNodes[base + 1 + j] * k, k, coefficient,
                            batchGrad, base * k, batchGrad, (base + 1 + j) * k);
                }
            }
        }
    }
}
