package org.flowbench.views.poincare;

import org.flowbench.compute.hierarchy.Adjacency;
import org.flowbench.compute.hierarchy.EdgeList;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A hierarchy as the disc draws it: for every node its tree parent (of the ancestors a closure
 * row lists, the deepest one; a plain edge list's deepest parent), its depth along those parents,
 * how many nodes lie below it, and an order of importance for labels (most descendants first,
 * then shallowest). Built from an {@link EdgeList} whose rows run from hyponym to hypernym. Immutable.
 */
public final class Hierarchy {

    private final String[] names;     // [n]
    private final String[] labels;    // [n] names as shown: "sea_cow.n.01" -> "sea cow"
    private final int[] parent;       // [n] tree parent, -1 for a root
    private final int[] depth;        // [n]
    private final int[] descendants;  // [n] nodes below, along tree parents
    private final int[] byImportance; // [n] node ids
    private final int root;
    private final int maxDepth;
    private final Adjacency neighbours;
    private final Map<String, Integer> index = new HashMap<>();

    private Hierarchy(EdgeList edges) {
        int n = edges.nodeCount();
        names = edges.names();
        labels = new String[n];
        for (int i = 0; i < n; i++) {
            labels[i] = label(names[i]);
            index.put(names[i], i);
        }
        neighbours = edges.parents();
        parent = new int[n];
        depth = new int[n];
        Arrays.fill(depth, -1);
        // depth by an explicit stack: a node's depth waits for the depths of all its parents
        Deque<Integer> stack = new ArrayDeque<>();
        for (int start = 0; start < n; start++) {
            if (depth[start] >= 0) {
                continue;
            }
            stack.push(start);
            while (!stack.isEmpty()) {
                int u = stack.peek();
                boolean ready = true;
                for (int k = neighbours.start(u); k < neighbours.end(u); k++) {
                    int v = neighbours.target(k);
                    if (depth[v] < 0) {
                        ready = false;
                        stack.push(v);
                        break;
                    }
                }
                if (ready) {
                    stack.pop();
                    int best = -1;
                    for (int k = neighbours.start(u); k < neighbours.end(u); k++) {
                        int v = neighbours.target(k);
                        if (best < 0 || depth[v] > depth[best]) {
                            best = v;
                        }
                    }
                    parent[u] = best;
                    depth[u] = best < 0 ? 0 : depth[best] + 1;
                }
            }
        }
        descendants = new int[n];
        Integer[] deepestFirst = new Integer[n];
        for (int i = 0; i < n; i++) {
            deepestFirst[i] = i;
        }
        Arrays.sort(deepestFirst, (a, b) -> Integer.compare(depth[b], depth[a]));
        int deepest = 0;
        for (int u : deepestFirst) {
            deepest = Math.max(deepest, depth[u]);
            if (parent[u] >= 0) {
                descendants[parent[u]] += descendants[u] + 1;
            }
        }
        maxDepth = deepest;
        Integer[] order = deepestFirst.clone();
        Arrays.sort(order, (a, b) -> descendants[a] != descendants[b] ? Integer.compare(descendants[b], descendants[a])
                : depth[a] != depth[b] ? Integer.compare(depth[a], depth[b]) : Integer.compare(a, b));
        byImportance = new int[n];
        for (int i = 0; i < n; i++) {
            byImportance[i] = order[i];
        }
        int r = 0;
        for (int i = 1; i < n; i++) {
            if (depth[i] == 0 && (depth[r] != 0 || descendants[i] > descendants[r])) {
                r = i;
            }
        }
        root = r;
    }

    /**
     * The hierarchy of {@code edges}.
     *
     * @throws IllegalArgumentException when the edges form a cycle (named) or there are none
     */
    public static Hierarchy of(EdgeList edges) {
        if (edges.edgeCount() == 0) {
            throw new IllegalArgumentException("the hierarchy has no edges");
        }
        String cycle = edges.findCycle();
        if (cycle != null) {
            throw new IllegalArgumentException("not a hierarchy: " + cycle);
        }
        return new Hierarchy(edges);
    }

    /** "sea_cow.n.01" is shown as "sea cow"; names in other forms are shown as they are. */
    static String label(String name) {
        String s = name.replaceFirst("\\.[a-z]\\.\\d+$", "");
        return s.replace('_', ' ');
    }

    public int size() {
        return names.length;
    }

    public String name(int node) {
        return names[node];
    }

    public String label(int node) {
        return labels[node];
    }

    /** Node names by id (a copy). */
    public String[] names() {
        return names.clone();
    }

    /** The id of {@code name}, or -1. */
    public int indexOf(String name) {
        Integer i = name == null ? null : index.get(name.strip());
        return i == null ? -1 : i;
    }

    /** The id whose name or shown label is {@code text} (ignoring case), or -1. */
    public int find(String text) {
        int exact = indexOf(text);
        if (exact >= 0 || text == null) {
            return exact;
        }
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i].toLowerCase(Locale.ROOT).equals(wanted) || names[i].toLowerCase(Locale.ROOT).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    public int parent(int node) {
        return parent[node];
    }

    public int depth(int node) {
        return depth[node];
    }

    public int maxDepth() {
        return maxDepth;
    }

    public int descendants(int node) {
        return descendants[node];
    }

    /** The root with the most nodes below it. */
    public int root() {
        return root;
    }

    /** Node ids, most important label first. */
    int[] byImportance() {
        return byImportance;
    }

    /** Each node's neighbours in the edge list (its ancestors, for a closure); what the evaluation ranks. */
    public Adjacency neighbours() {
        return neighbours;
    }

    /** Whether {@code ancestor} lies on the tree path from {@code node} up to its root (a node is its own ancestor). */
    public boolean isAncestor(int ancestor, int node) {
        for (int u = node; u >= 0; u = parent[u]) {
            if (u == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** For every node, whether it is an ancestor or a descendant of {@code selected} (or the node itself). */
    public boolean[] lineage(int selected) {
        boolean[] on = new boolean[names.length];
        if (selected < 0 || selected >= names.length) {
            return on;
        }
        for (int u = 0; u < names.length; u++) {
            on[u] = isAncestor(selected, u) || isAncestor(u, selected);
        }
        return on;
    }
}
