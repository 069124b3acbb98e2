package org.flowbench.compute.gflownet;

/**
 * The exact solution on an enumerable environment: the partition function Z = sum_x R(x), the
 * target distribution R(x)/Z and, with the uniform backward policy, the true state flows
 * {@code F(s) = R(s) [exit allowed] + sum_{s -> s'} F(s') / parents(s')} and edge flows
 * {@code F(s -> s') = F(s') / parents(s')}, {@code F(x -> exit) = R(x)}; F(s0) = Z. Also the
 * terminal distribution any forward policy induces, by dynamic programming over the DAG.
 * Immutable.
 */
public final class ExactFlows {

    private final StateGraph graph;
    private final double logZ;
    private final double[] target;     // [n], R(x)/Z, 0 where the exit is not allowed
    private final double[] stateFlows; // [n]
    private final int modes;

    private ExactFlows(StateGraph graph) {
        this.graph = graph;
        int n = graph.size();
        double lz = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            lz = LogSpace.add(lz, graph.logReward(i));
        }
        logZ = lz;
        target = new double[n];
        for (int i = 0; i < n; i++) {
            target[i] = graph.canTerminate(i) ? Math.exp(graph.logReward(i) - logZ) : 0;
        }
        stateFlows = new double[n];
        int moves = graph.actions() - 1;
        for (int i = n - 1; i >= 0; i--) {
            double f = graph.canTerminate(i) ? Math.exp(graph.logReward(i)) : 0;
            for (int a = 0; a < moves; a++) {
                int c = graph.child(i, a);
                if (c >= 0) {
                    f += stateFlows[c] / graph.parentCount(c);
                }
            }
            stateFlows[i] = f;
        }
        GfnEnvironment env = graph.environment();
        int m = 0;
        if (env.hasModes()) {
            int[] s = new int[env.dimension()];
            for (int i = 0; i < n; i++) {
                graph.state(i, s);
                if (graph.canTerminate(i) && env.isMode(s)) {
                    m++;
                }
            }
        }
        modes = m;
    }

    public static ExactFlows of(StateGraph graph) {
        return new ExactFlows(graph);
    }

    public static ExactFlows of(GfnEnvironment env) {
        return new ExactFlows(StateGraph.of(env));
    }

    public StateGraph graph() {
        return graph;
    }

    public double logZ() {
        return logZ;
    }

    public double z() {
        return Math.exp(logZ);
    }

    /** R(x)/Z per state index (0 where the exit is not allowed), a copy. */
    public double[] targetDistribution() {
        return target.clone();
    }

    /** F(s) per state index, a copy. */
    public double[] stateFlows() {
        return stateFlows.clone();
    }

    public double stateFlow(int i) {
        return stateFlows[i];
    }

    /** F(s -> child(s, a)) for a move, R(s) for the exit; 0 where the action is not allowed. */
    public double edgeFlow(int i, int a) {
        if (a == graph.actions() - 1) {
            return graph.canTerminate(i) ? Math.exp(graph.logReward(i)) : 0;
        }
        int c = graph.child(i, a);
        return c < 0 ? 0 : stateFlows[c] / graph.parentCount(c);
    }

    /** Number of terminal states that are modes of the reward. */
    public int modeCount() {
        return modes;
    }

    /**
     * The probability that a trajectory reaches each state under the forward policy
     * {@code logPolicy // [n*actions]} (log P_F(a | s) per state, -infinity where not allowed).
     */
    public static double[] reachProbabilities(StateGraph graph, double[] logPolicy) {
        int n = graph.size();
        int actions = graph.actions();
        if (logPolicy.length != n * actions) {
            throw new IllegalArgumentException("policy has " + logPolicy.length + " entries, the graph needs " + n * actions);
        }
        double[] reach = new double[n];
        reach[0] = 1;
        for (int i = 0; i < n; i++) {
            double r = reach[i];
            if (r == 0) {
                continue;
            }
            for (int a = 0; a < actions - 1; a++) {
                int c = graph.child(i, a);
                if (c >= 0) {
                    reach[c] += r * Math.exp(logPolicy[i * actions + a]);
                }
            }
        }
        return reach;
    }

    /** The terminal distribution the forward policy induces: P(reach x) P_F(exit | x), per state index. */
    public static double[] terminalDistribution(StateGraph graph, double[] logPolicy) {
        double[] reach = reachProbabilities(graph, logPolicy);
        int actions = graph.actions();
        double[] p = new double[reach.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = graph.canTerminate(i) ? reach[i] * Math.exp(logPolicy[i * actions + actions - 1]) : 0;
        }
        return p;
    }
}
