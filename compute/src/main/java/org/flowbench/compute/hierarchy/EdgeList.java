package org.flowbench.compute.hierarchy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Directed edges between named nodes, held as int ids: edge i goes from {@code child[i]} (the
 * hyponym, a CSV's id1) to {@code parent[i]} (the hypernym, id2) with a positive weight. Node
 * ids follow the order in which names first appear, reading id1 then id2 of each row (as
 * pandas.factorize does in the reference code). Immutable.
 */
public final class EdgeList {

    private final String[] names;      // [nodes]
    private final int[] child;         // [edges]
    private final int[] parent;        // [edges]
    private final double[] weight;     // [edges]
    private Map<String, Integer> index;

    private EdgeList(String[] names, int[] child, int[] parent, double[] weight) {
        this.names = names;
        this.child = child;
        this.parent = parent;
        this.weight = weight;
    }

    /** Collects rows by name, giving ids in order of first appearance. */
    public static final class Builder {
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        private int[] child = new int[16];
        private int[] parent = new int[16];
        private double[] weight = new double[16];
        private int size;

        public int id(String name) {
            Integer id = ids.get(name);
            if (id == null) {
                id = names.size();
                ids.put(name, id);
                names.add(name);
            }
            return id;
        }

        public Builder add(String hyponym, String hypernym, double w) {
            int a = id(hyponym);
            int b = id(hypernym);
            return add(a, b, w);
        }

        Builder add(int a, int b, double w) {
            if (!(w > 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("edge weight must be positive and finite, got " + w);
            }
            if (size == child.length) {
                int grown = Math.max(16, size + (size >> 1));
                child = Arrays.copyOf(child, grown);
                parent = Arrays.copyOf(parent, grown);
                weight = Arrays.copyOf(weight, grown);
            }
            child[size] = a;
            parent[size] = b;
            weight[size] = w;
            size++;
            return this;
        }

        public int edgeCount() {
            return size;
        }

        public int nodeCount() {
            return names.size();
        }

        public EdgeList build() {
            return new EdgeList(names.toArray(new String[0]), Arrays.copyOf(child, size), Arrays.copyOf(parent, size),
                    Arrays.copyOf(weight, size));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public int nodeCount() {
        return names.length;
    }

    public int edgeCount() {
        return child.length;
    }

    public String name(int node) {
        return names[node];
    }

    /** Node names by id; a copy. */
    public String[] names() {
        return names.clone();
    }

    public int child(int edge) {
        return child[edge];
    }

    public int parent(int edge) {
        return parent[edge];
    }

    public double weight(int edge) {
        return weight[edge];
    }

    /** The id of a name, or -1. */
    public synchronized int idOf(String name) {
        if (index == null) {
            Map<String, Integer> m = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                m.put(names[i], i);
            }
            index = m;
        }
        Integer id = index.get(Objects.requireNonNull(name));
        return id == null ? -1 : id;
    }

    /** Each node's parents (the id2 of its rows), sorted, with the largest weight of repeated rows. */
    public Adjacency parents() {
        return Adjacency.of(names.length, child, parent, weight);
    }

    /**
     * Checks that following edges from hyponym to hypernym never returns to a node (a
     * hierarchy, or its transitive closure, has no cycles).
     *
     * @return null when acyclic, else one line naming a node on a cycle and the edge that closes it
     */
    public String findCycle() {
        Adjacency up = parents();
        int n = names.length;
        byte[] state = new byte[n]; // 0 new, 1 on the stack, 2 done
        int[] stackNode = new int[n];
        int[] stackNext = new int[n];
        for (int start = 0; start < n; start++) {
            if (state[start] != 0) {
                continue;
            }
            int depth = 0;
            stackNode[0] = start;
            stackNext[0] = up.start(start);
            state[start] = 1;
            while (depth >= 0) {
                int node = stackNode[depth];
                if (stackNext[depth] < up.end(node)) {
                    int next = up.target(stackNext[depth]++);
                    if (state[next] == 1) {
                        return next == node
                                ? "the hierarchy has a cycle: '" + names[node] + "' is its own parent"
                                : "the hierarchy has a cycle: '" + names[node] + "' -> '" + names[next] + "' leads back to '" + names[node] + "'";
                    }
                    if (state[next] == 0) {
                        state[next] = 1;
                        depth++;
                        stackNode[depth] = next;
                        stackNext[depth] = up.start(next);
                    }
                } else {
                    state[node] = 2;
                    depth--;
                }
            }
        }
        return null;
    }
}
