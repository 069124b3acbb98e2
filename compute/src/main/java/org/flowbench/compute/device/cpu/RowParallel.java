package org.flowbench.compute.device.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/** Splits index ranges into chunks and runs them on a fork-join pool owned by the cpu device. */
final class RowParallel implements AutoCloseable {

    /** The body of a loop over {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    private final ForkJoinPool pool;
    private final int parallelism;

    RowParallel(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
        // Numbered here: a worker's pool index is not assigned until it runs, so every name would read 0.
        AtomicInteger workers = new AtomicInteger();
        this.pool = new ForkJoinPool(this.parallelism, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("flowbench-cpu-" + workers.getAndIncrement());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    int parallelism() {
        return parallelism;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} indices; small
     * ranges run on the calling thread.
     */
    void forRange(int n, int grain, Range body) {
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min((n + (long) grain - 1) / Math.max(1, grain), parallelism * 4L);
        if (chunks <= 1 || parallelism == 1) {
            body.run(0, n);
            return;
        }
        int per = (n + chunks - 1) / chunks;
        List<RecursiveAction> tasks = new ArrayList<>(chunks);
        for (int from = 0; from < n; from += per) {
            int lo = from;
            int hi = Math.min(n, from + per);
            tasks.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(lo, hi);
                }
            });
        }
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                ForkJoinTask.invokeAll(tasks);
            }
        });
    }

    /** A grain, in rows, that gives each chunk about {@code targetElements} elements of {@code cols} columns. */
    static int rowGrain(int cols, int targetElements) {
        return Math.max(1, targetElements / Math.max(1, cols));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
