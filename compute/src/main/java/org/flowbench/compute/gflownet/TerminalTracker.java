package org.flowbench.compute.gflownet;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the sampled terminal states have covered so far: the distinct modes of the reward visited
 * and every distinct terminal state with its reward, for the mean reward of the top-k distinct
 * states (the set generation metric of Pan et al. 2023). Past a memory cap
 * ({@link #MAX_DISTINCT} states or {@link #MAX_ENTRIES} integers) new distinct states are no
 * longer remembered. Not safe for concurrent use.
 */
public final class TerminalTracker {

    /** Distinct terminal states remembered at most; beyond it only modes are counted. */
    public static final int MAX_DISTINCT = 1 << 20;
    /** Integers the remembered states may hold in all (256 MiB), which lowers the cap for wide states. */
    public static final long MAX_ENTRIES = 1L << 26;

    private final GfnEnvironment env;
    private final Set<StateKey> modes = new HashSet<>();
    private final Map<StateKey, Double> rewards = new HashMap<>();
    private final int capacity;

    public TerminalTracker(GfnEnvironment env) {
        this.env = env;
        capacity = (int) Math.max(1000, Math.min(MAX_DISTINCT, MAX_ENTRIES / env.dimension()));
    }

    private record StateKey(int[] s) {
        @Override
        public boolean equals(Object o) {
            return o instanceof StateKey k && Arrays.equals(k.s, s);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(s);
        }
    }

    public void add(Trajectory trajectory) {
        if (!trajectory.isComplete()) {
            return;
        }
        int[] x = trajectory.last();
        StateKey key = new StateKey(x);
        if (env.hasModes() && env.isMode(x)) {
            modes.add(key);
        }
        if (rewards.size() < capacity || rewards.containsKey(key)) {
            rewards.putIfAbsent(key, Math.exp(env.logReward(x)));
        }
    }

    public int modesFound() {
        return modes.size();
    }

    public int distinctTerminals() {
        return rewards.size();
    }

    /** Mean reward of the k distinct terminal states with the highest rewards seen (fewer if fewer were seen; NaN if none). */
    public double topMeanReward(int k) {
        if (rewards.isEmpty()) {
            return Double.NaN;
        }
        double[] r = rewards.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int take = Math.min(k, r.length);
        double sum = 0;
        for (int i = r.length - take; i < r.length; i++) {
            sum += r[i];
        }
        return sum / take;
    }
}
