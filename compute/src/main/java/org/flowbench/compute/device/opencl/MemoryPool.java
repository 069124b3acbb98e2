package org.flowbench.compute.device.opencl;

import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocation of float ranges in a pool of {@link #capacity()} floats, with free blocks
 * merged with their neighbours on release. Blocks start on 16-float (64-byte) boundaries.
 */
final class MemoryPool {

    static final int ALIGN = 16;

    /** Free blocks: start to length. */
    private final TreeMap<Integer, Integer> free = new TreeMap<>();
    private int capacity;
    private long used;

    MemoryPool(int capacity) {
        this.capacity = capacity;
        if (capacity > 0) {
            free.put(0, capacity);
        }
    }

    int capacity() {
        return capacity;
    }

    long used() {
        return used;
    }

    static int aligned(int floats) {
        return (int) Math.min(Integer.MAX_VALUE, ((long) floats + ALIGN - 1) / ALIGN * ALIGN);
    }

    /** Start of a new block of {@code floats} floats, or -1 when no free block is large enough. */
    int allocate(int floats) {
        int size = aligned(Math.max(1, floats));
        for (Map.Entry<Integer, Integer> e : free.entrySet()) {
            if (e.getValue() >= size) {
                int start = e.getKey();
                int rest = e.getValue() - size;
                free.remove(start);
                if (rest > 0) {
                    free.put(start + size, rest);
                }
                used += size;
                return start;
            }
        }
        return -1;
    }

    /** Returns the block of {@code floats} floats at {@code start} to the free list. */
    void release(int start, int floats) {
        int size = aligned(Math.max(1, floats));
        used -= size;
        int s = start;
        int len = size;
        Map.Entry<Integer, Integer> before = free.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            s = before.getKey();
            len += before.getValue();
            free.remove(before.getKey());
        }
        Integer afterLen = free.get(start + size);
        if (afterLen != null) {
            free.remove(start + size);
            len += afterLen;
        }
        free.put(s, len);
    }

    /** The smallest capacity that would fit a block of {@code floats} floats at the end of the pool. */
    long capacityNeededFor(int floats) {
        int size = aligned(Math.max(1, floats));
        Map.Entry<Integer, Integer> last = free.lastEntry();
        boolean tailFree = last != null && last.getKey() + last.getValue() == capacity;
        long tailStart = tailFree ? last.getKey() : capacity;
        return tailStart + size;
    }

    /** Enlarges the pool; the new floats at the end are free. */
    void grow(int newCapacity) {
        if (newCapacity <= capacity) {
            return;
        }
        int added = newCapacity - capacity;
        int oldCapacity = capacity;
        capacity = newCapacity;
        Map.Entry<Integer, Integer> last = free.lastEntry();
        if (last != null && last.getKey() + last.getValue() == oldCapacity) {
            free.put(last.getKey(), last.getValue() + added);
        } else {
            free.put(oldCapacity, added);
        }
    }
}
