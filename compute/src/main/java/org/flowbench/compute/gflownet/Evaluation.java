package org.flowbench.compute.gflownet;

import org.flowbench.compute.data.SeededRandom;

import java.util.List;

/**
 * A trained policy measured against the exact solution of an enumerable environment: the
 * terminal distribution it induces (exactly, by dynamic programming), its L1 and Jensen-Shannon
 * distance to R/Z, the log Z error and the per-edge flow error; and the same distances from N
 * fresh samples, as sampling-based evaluations (torchgfn's) measure them.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /**
     * Everything the network says about every state of the graph: {@code logPolicy // [n*actions]}
     * (masked log-softmax, -infinity where not allowed) and {@code logFlow // [n]}, the flow head.
     */
    public record PolicyTable(double[] logPolicy, double[] logFlow, double[] out0) {
    }

    public static PolicyTable policyTable(StateGraph graph, PolicyNetwork network) {
        GfnEnvironment env = graph.environment();
        int n = graph.size();
        int a = env.actionCount();
        int width = env.encodingWidth();
        // Encoded and evaluated a chunk at a time: the encodings of every state at once could be gigabytes.
        int chunk = Math.min(n, PolicyNetwork.CHUNK);
        float[] x = new float[chunk * width];
        float[] chunkOut = new float[chunk * (a + 1)];
        float[] out = new float[n * (a + 1)];
        int[] s = new int[env.dimension()];
        for (int start = 0; start < n; start += chunk) {
            int rows = Math.min(chunk, n - start);
            for (int r = 0; r < rows; r++) {
                graph.state(start + r, s);
                env.encode(s, x, r * width);
            }
            network.evaluate(x, rows, chunkOut);
            System.arraycopy(chunkOut, 0, out, start * (a + 1), rows * (a + 1));
        }
        double[] logPolicy = new double[n * a];
        double[] logFlow = new double[n];
        double[] row = new double[a + 1];
        double[] logp = new double[a];
        boolean[] mask = new boolean[a];
        double[] out0 = new double[a + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= a; j++) {
                row[j] = out[i * (a + 1) + j];
            }
            if (i == 0) {
                System.arraycopy(row, 0, out0, 0, a + 1);
            }
            graph.forwardMask(i, mask);
            LogSpace.logSoftmax(row, 0, mask, 0, a, 1.0, logp);
            System.arraycopy(logp, 0, logPolicy, i * a, a);
            logFlow[i] = row[a];
        }
        return new PolicyTable(logPolicy, logFlow, out0);
    }

    /**
     * The exact comparison.
     *
     * @param distribution  the induced terminal distribution per state index
     * @param logZEstimate  the model's log Z ({@link Objective#estimateLogZ})
     * @param edgeFlowError mean over edges (exit edges included) of |log F^(e) - log F(e)|, with the
     *                      learned edge flow F^(s -> s') = F^(s) P_F(s'|s): F^(s) from the flow head
     *                      for db and subtb (F~(s) e^{-E(s)} for fldb), and Z^ P(reach s) for tb and fm
     * @param logStateFlows the learned log F^(s) per state index
     * @param logEdgeFlows  the learned log F^(s -> .) per state index and forward action
     *                      {@code [n*actions]}, -infinity where the action is not allowed
     */
    public record Exact(double l1, double jsd, double logZEstimate, double logZError, double edgeFlowError,
                        double[] distribution, double[] logStateFlows, double[] logEdgeFlows) {
    }

    public static Exact exact(ExactFlows exact, PolicyNetwork network, Objective objective, double logZ) {
        StateGraph graph = exact.graph();
        GfnEnvironment env = graph.environment();
        PolicyTable table = policyTable(graph, network);
        double[] reach = ExactFlows.reachProbabilities(graph, table.logPolicy());
        int a = env.actionCount();
        double[] p = new double[graph.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = graph.canTerminate(i) ? reach[i] * Math.exp(table.logPolicy()[i * a + a - 1]) : 0;
        }
        double[] target = exact.targetDistribution();
        double logZEstimate = objective.estimateLogZ(env, table.out0(), logZ);
        boolean flowHead = objective.kind() == Objective.Kind.DB || objective.kind() == Objective.Kind.SUBTB
                || objective.kind() == Objective.Kind.FLDB;
        int[] s = new int[env.dimension()];
        double errorSum = 0;
        long edges = 0;
        double[] logStateFlows = new double[graph.size()];
        double[] logEdgeFlows = new double[graph.size() * a];
        for (int i = 0; i < graph.size(); i++) {
            double logState;
            if (flowHead) {
                logState = table.logFlow()[i];
                if (objective.kind() == Objective.Kind.FLDB) {
                    graph.state(i, s);
                    logState -= env.energy(s);
                }
            } else {
                logState = logZEstimate + Math.log(reach[i]);
            }
            logStateFlows[i] = logState;
            for (int j = 0; j < a; j++) {
                double learned = logState + table.logPolicy()[i * a + j];
                logEdgeFlows[i * a + j] = learned;
                double trueFlow = exact.edgeFlow(i, j);
                if (trueFlow <= 0) {
                    continue;
                }
                // An edge the policy never reaches has log flow -infinity; cap its error so the mean stays finite.
                double error = Math.abs(learned - Math.log(trueFlow));
                errorSum += Double.isFinite(error) ? error : 1e3;
                edges++;
            }
        }
        return new Exact(Metrics.l1(p, target), Metrics.jsd(p, target), logZEstimate,
                Math.abs(logZEstimate - exact.logZ()), errorSum / Math.max(1, edges), p, logStateFlows, logEdgeFlows);
    }

    /** L1 and JSD between the empirical distribution of {@code n} fresh samples and R/Z. */
    public record Sampled(int samples, double l1, double jsd) {
    }

    public static Sampled sampled(ExactFlows exact, PolicyNetwork network, int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("sample count must be positive, got " + n);
        }
        StateGraph graph = exact.graph();
        TrajectorySampler sampler = new TrajectorySampler(graph.environment(), network);
        SeededRandom random = new SeededRandom(seed);
        long[] counts = new long[graph.size()];
        int chunk = 4096;
        for (int done = 0; done < n; done += chunk) {
            List<Trajectory> batch = sampler.sample(Math.min(chunk, n - done), random);
            for (Trajectory t : batch) {
                counts[graph.indexOf(t.last())]++;
            }
        }
        double[] p = Metrics.empirical(counts);
        double[] target = exact.targetDistribution();
        return new Sampled(n, Metrics.l1(p, target), Metrics.jsd(p, target));
    }

    /** L1 of n samples drawn from R/Z itself: the floor a perfect sampler shows at that sample size. */
    public static double perfectSamplerL1(ExactFlows exact, int n, long seed) {
        double[] target = exact.targetDistribution();
        double[] cumulative = new double[target.length];
        double c = 0;
        for (int i = 0; i < target.length; i++) {
            c += target[i];
            cumulative[i] = c;
        }
        SeededRandom random = new SeededRandom(seed);
        long[] counts = new long[target.length];
        for (int k = 0; k < n; k++) {
            double u = random.nextDouble() * c;
            int i = java.util.Arrays.binarySearch(cumulative, u);
            i = i >= 0 ? i + 1 : -i - 1;
            counts[Math.min(i, target.length - 1)]++;
        }
        return Metrics.l1(Metrics.empirical(counts), target);
    }
}
