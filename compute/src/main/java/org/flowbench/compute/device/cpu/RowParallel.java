package org.flowbench.compute.device.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Splits index ranges into chunks and runs them on the calling thread and the cpu device's own
 * worker threads.
 *
 * <p>A training step is hundreds of loops of 20 to 200 microseconds each. A fork-join pool parks
 * its workers between them, and waking a parked thread costs tens of microseconds, so the first
 * worker often finished both halves of a loop before the second woke: two threads gave a step
 * only 1.3 times faster than one. Here the caller takes chunks too, and a worker that has just
 * finished keeps watching for the next loop for {@link #SPIN_NANOS} before it parks, so the
 * loops of a step find their workers awake.
 *
 * <p>The chunks depend only on the range, the grain and the number of threads, never on timing,
 * so a loop whose chunks write disjoint outputs gives the same bytes however they are shared out.
 * A loop started from inside another (or from a second thread while one runs) runs on its
 * calling thread alone.
 */
final class RowParallel implements AutoCloseable {

    /** The body of a loop over {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** How long a worker watches for the next loop before it parks. */
    static final long SPIN_NANOS = 200_000;

    private final int parallelism;
    private final Thread[] workers;
    private final ReentrantLock dispatch = new ReentrantLock();
    /** Bumped for every loop handed to the workers; a worker runs each generation's chunks once. */
    private volatile long generation;
    private volatile Loop current;
    private volatile boolean closed;

    RowParallel(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
        this.workers = new Thread[this.parallelism - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::work, "flowbench-cpu-" + i);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    int parallelism() {
        return parallelism;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} indices; small
     * ranges run on the calling thread. An exception thrown by a chunk is rethrown here once
     * every chunk has finished.
     */
    void forRange(int n, int grain, Range body) {
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min((n + (long) grain - 1) / Math.max(1, grain), parallelism * 4L);
        if (chunks <= 1 || parallelism == 1 || isWorker() || dispatch.isHeldByCurrentThread() || !dispatch.tryLock()) {
            body.run(0, n);
            return;
        }
        try {
            int per = (n + chunks - 1) / chunks;
            Loop loop = new Loop(body, n, per, (n + per - 1) / per);
            current = loop;
            generation++;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            loop.runChunks();
            loop.awaitAll();
            current = null;
            loop.rethrow();
        } finally {
            dispatch.unlock();
        }
    }

    private boolean isWorker() {
        Thread me = Thread.currentThread();
        for (Thread w : workers) {
            if (w == me) {
                return true;
            }
        }
        return false;
    }

    private void work() {
        long seen = 0;
        while (!closed) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (generation == seen && !closed) {
                if (System.nanoTime() > spinUntil) {
                    LockSupport.park(this);
                } else {
                    Thread.onSpinWait();
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            Loop loop = current;
            if (loop != null) {
                loop.runChunks();
            }
        }
    }

    /** A grain, in rows, that gives each chunk about {@code targetElements} elements of {@code cols} columns. */
    static int rowGrain(int cols, int targetElements) {
        return Math.max(1, targetElements / Math.max(1, cols));
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One loop's chunks, claimed one at a time by whoever is free. */
    private static final class Loop {
        private final Range body;
        private final int n;
        private final int per;
        private final int chunks;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread caller = Thread.currentThread();

        Loop(Range body, int n, int per, int chunks) {
            this.body = body;
            this.n = n;
            this.per = per;
            this.chunks = chunks;
        }

        void runChunks() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    body.run(c * per, Math.min(n, (c + 1) * per));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (done.incrementAndGet() == chunks) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        void awaitAll() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (done.get() < chunks) {
                if (System.nanoTime() > spinUntil) {
                    LockSupport.parkNanos(this, 50_000);
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
