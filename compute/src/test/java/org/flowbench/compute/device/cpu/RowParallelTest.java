package org.flowbench.compute.device.cpu;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowParallelTest {

    @Test
    void twoChunksRunAtTheSameTimeOnTheCallerAndAWorker() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        // Each chunk waits for the other: one thread running both would time out here.
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        try (RowParallel parallel = new RowParallel(2)) {
            parallel.forRange(2, 1, (from, to) -> {
                names.add(Thread.currentThread().getName());
                try {
                    bothRunning.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the other chunk never ran alongside", e);
                }
            });
        }
        assertEquals(Set.of(Thread.currentThread().getName(), "flowbench-cpu-0"), names);
    }

    @Test
    void aFailingChunkIsRethrownToTheCallerAfterTheOthersFinish() {
        int[] visits = new int[64];
        try (RowParallel parallel = new RowParallel(3)) {
            IllegalArgumentException thrown = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> parallel.forRange(visits.length, 4, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            visits[i]++;
                        }
                        if (from == 0) {
                            throw new IllegalArgumentException("bad row 0");
                        }
                    }));
            assertEquals("bad row 0", thrown.getMessage());
            // the pool still works afterwards
            int[] again = new int[64];
            parallel.forRange(again.length, 4, (from, to) -> {
                for (int i = from; i < to; i++) {
                    again[i]++;
                }
            });
            for (int v : again) {
                assertEquals(1, v);
            }
        }
        for (int v : visits) {
            assertEquals(1, v);
        }
    }

    @Test
    void aLoopInsideALoopRunsOnItsThreadWithoutDeadlock() {
        int[][] cells = new int[8][100];
        try (RowParallel parallel = new RowParallel(2)) {
            parallel.forRange(cells.length, 1, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int row = r;
                    parallel.forRange(cells[row].length, 1, (c0, c1) -> {
                        for (int c = c0; c < c1; c++) {
                            cells[row][c]++;
                        }
                    });
                }
            });
        }
        for (int[] row : cells) {
            for (int v : row) {
                assertEquals(1, v);
            }
        }
    }

    @Test
    void everyIndexIsVisitedOnce() {
        int[] visits = new int[1000];
        try (RowParallel parallel = new RowParallel(2)) {
            parallel.forRange(visits.length, 7, (from, to) -> {
                for (int i = from; i < to; i++) {
                    visits[i]++;
                }
            });
        }
        for (int v : visits) {
            assertTrue(v == 1);
        }
    }
}
