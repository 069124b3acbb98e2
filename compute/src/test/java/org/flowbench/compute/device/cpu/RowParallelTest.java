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
    void twoChunksRunAtTheSameTimeOnTwoDistinctlyNamedWorkers() {
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
        assertEquals(Set.of("flowbench-cpu-0", "flowbench-cpu-1"), names);
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
