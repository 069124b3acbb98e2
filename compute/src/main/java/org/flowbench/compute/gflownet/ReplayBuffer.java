package org.flowbench.compute.gflownet;

import org.flowbench.compute.data.SeededRandom;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recent {@code capacity} trajectories (first in, first out), drawn back uniformly with
 * replacement from a seeded stream. Off-policy replay suits the objectives that do not need the
 * sampling policy: all of Flowbench's. Not safe for concurrent use.
 */
public final class ReplayBuffer {

    public static final int MAX_CAPACITY = 1 << 20;

    private final Trajectory[] slots;
    private int size;
    private int next;

    public ReplayBuffer(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("replay capacity must be in [1, " + MAX_CAPACITY + "], got " + capacity);
        }
        slots = new Trajectory[capacity];
    }

    public int capacity() {
        return slots.length;
    }

    public int size() {
        return size;
    }

    public void add(List<Trajectory> trajectories) {
        for (Trajectory t : trajectories) {
            slots[next] = t;
            next = (next + 1) % slots.length;
            size = Math.min(size + 1, slots.length);
        }
    }

    /** {@code count} stored trajectories drawn uniformly with replacement; none when the buffer is empty. */
    public List<Trajectory> sample(int count, SeededRandom random) {
        List<Trajectory> drawn = new ArrayList<>(count);
        if (size == 0) {
            return drawn;
        }
        for (int i = 0; i < count; i++) {
            drawn.add(slots[random.nextInt(size)]);
        }
        return drawn;
    }
}
