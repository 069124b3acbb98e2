package org.flowbench.compute.gflownet;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Every state of an enumerable environment, in topological order (by depth, breadth first from
 * s0), with the child each forward action leads to, the parent counts and the log rewards.
 * Immutable once built.
 */
public final class StateGraph {

    /** Largest number of states enumerated (about two million). */
    public static final long MAX_STATES = 1L << 21;
    /** Largest number of integers the enumeration holds (states and children, 256 MiB). */
    public static final long MAX_ENTRIES = 1L << 26;

    /** Whether an environment of {@code states} states, {@code dimension} integers each and {@code actions} actions fits. */
    public static boolean fits(long states, int dimension, int actions) {
        return states >= 0 && states <= MAX_STATES && states * ((long) dimension + actions) <= MAX_ENTRIES;
    }

    private final GfnEnvironment env;
    private final int count;
    private final int dim;
    private final int actions;
    private final int[] states;       // [count*dim]
    private final int[] children;     // [count*(actions-1)], -1 where the move is not allowed
    private final int[] parentCounts; // [count]
    private final double[] logRewards; // [count], -infinity where the exit is not allowed
    private final int[] depths;       // [count]
    private final Map<Long, Integer> index;

    private StateGraph(GfnEnvironment env) {
        this.env = env;
        long n = env.stateCount();
        if (!fits(n, env.dimension(), env.actionCount())) {
            throw new IllegalArgumentException("environment " + env.spec() + " has too many states to enumerate (at most "
                    + MAX_STATES + " states and " + MAX_ENTRIES + " stored integers)");
        }
        count = (int) n;
        dim = env.dimension();
        actions = env.actionCount();
        int moves = actions - 1;
        states = new int[count * dim];
        children = new int[count * moves];
        parentCounts = new int[count];
        logRewards = new double[count];
        depths = new int[count];
        index = new HashMap<>(count * 2);
        int[] s = env.initialState();
        int[] next = new int[dim];
        boolean[] mask = new boolean[actions];
        System.arraycopy(s, 0, states, 0, dim);
        index.put(env.stateKey(s), 0);
        int filled = 1;
        // Every move adds one to the depth, so a breadth-first sweep lists the states level by level.
        for (int i = 0; i < filled; i++) {
            System.arraycopy(states, i * dim, s, 0, dim);
            env.forwardMask(s, mask);
            parentCounts[i] = env.parentCount(s);
            depths[i] = env.depth(s);
            logRewards[i] = env.canTerminate(s) ? env.logReward(s) : Double.NEGATIVE_INFINITY;
            for (int a = 0; a < moves; a++) {
                if (!mask[a]) {
                    children[i * moves + a] = -1;
                    continue;
                }
                env.step(s, a, next);
                long key = env.stateKey(next);
                Integer j = index.get(key);
                if (j == null) {
                    if (filled == count) {
                        throw new IllegalStateException("environment " + env.spec() + " has more states than it declares");
                    }
                    j = filled++;
                    index.put(key, j);
                    System.arraycopy(next, 0, states, j * dim, dim);
                }
                children[i * moves + a] = j;
            }
        }
        if (filled != count) {
            throw new IllegalStateException("environment " + env.spec() + " declares " + count + " states but reaches " + filled);
        }
    }

    /** Enumerates the environment's states; an environment with too many is an {@link IllegalArgumentException}. */
    public static StateGraph of(GfnEnvironment env) {
        return new StateGraph(env);
    }

    public GfnEnvironment environment() {
        return env;
    }

    public int size() {
        return count;
    }

    /** Forward actions, the exit included. */
    public int actions() {
        return actions;
    }

    /** A copy of state i. */
    public int[] state(int i) {
        return Arrays.copyOfRange(states, i * dim, (i + 1) * dim);
    }

    /** Writes state i into out. */
    public void state(int i, int[] out) {
        System.arraycopy(states, i * dim, out, 0, dim);
    }

    /** The state forward action a (not the exit) leads to from state i, or -1 where it is not allowed. */
    public int child(int i, int a) {
        return children[i * (actions - 1) + a];
    }

    public int parentCount(int i) {
        return parentCounts[i];
    }

    /** log R of state i, or -infinity where the exit is not allowed. */
    public double logReward(int i) {
        return logRewards[i];
    }

    public boolean canTerminate(int i) {
        return logRewards[i] != Double.NEGATIVE_INFINITY;
    }

    public int depth(int i) {
        return depths[i];
    }

    /** The index of a state, or -1 when it is not a state of this graph. */
    public int indexOf(int[] s) {
        Integer i = index.get(env.stateKey(s));
        return i == null ? -1 : i;
    }

    /** The number of edges, exit edges included. */
    public int edgeCount() {
        int edges = 0;
        for (int i = 0; i < count; i++) {
            for (int a = 0; a < actions - 1; a++) {
                if (children[i * (actions - 1) + a] >= 0) {
                    edges++;
                }
            }
            if (canTerminate(i)) {
                edges++;
            }
        }
        return edges;
    }

    /** The forward mask of state i ({@code mask // [actions()]}). */
    public void forwardMask(int i, boolean[] mask) {
        for (int a = 0; a < actions - 1; a++) {
            mask[a] = children[i * (actions - 1) + a] >= 0;
        }
        mask[actions - 1] = canTerminate(i);
    }
}
