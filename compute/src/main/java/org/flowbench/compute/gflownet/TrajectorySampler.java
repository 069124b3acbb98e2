package org.flowbench.compute.gflownet;

import org.flowbench.compute.data.SeededRandom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Draws batches of complete trajectories from a network's forward policy, all trajectories of a
 * batch advancing together (one network call per step for the ones still running). Exploration:
 * at each step the action is drawn from {@code (1 - epsilon) softmax(logits / temperature) +
 * epsilon uniform(allowed actions)}. Seeded: the same network, seed and settings give the same
 * trajectories. Not safe for concurrent use.
 */
public final class TrajectorySampler {

    private final GfnEnvironment env;
    private final PolicyNetwork network;

    public TrajectorySampler(GfnEnvironment env, PolicyNetwork network) {
        if (network.shape().inputs() != env.encodingWidth() || network.shape().actions() != env.actionCount()) {
            throw new IllegalArgumentException("network " + network.shape().spec() + " does not fit environment " + env.spec());
        }
        this.env = env;
        this.network = network;
    }

    /** {@code count} trajectories from the policy itself (no exploration, temperature 1). */
    public List<Trajectory> sample(int count, SeededRandom random) {
        return sample(count, 0, 1, random);
    }

    public List<Trajectory> sample(int count, double epsilon, double temperature, SeededRandom random) {
        if (count < 1) {
            throw new IllegalArgumentException("trajectory count must be positive, got " + count);
        }
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("epsilon must be in [0, 1], got " + epsilon);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        int dim = env.dimension();
        int actions = env.actionCount();
        int width = env.encodingWidth();
        int maxLength = env.maxTrajectoryLength() + 1;
        int[][] states = new int[count][];
        int[][] taken = new int[count][];
        int[] lengths = new int[count];
        for (int k = 0; k < count; k++) {
            states[k] = new int[Math.min(maxLength, 16) * dim];
            taken[k] = new int[Math.min(maxLength, 16)];
            System.arraycopy(env.initialState(), 0, states[k], 0, dim);
            lengths[k] = 1;
        }
        int[] active = new int[count];
        for (int k = 0; k < count; k++) {
            active[k] = k;
        }
        int running = count;
        float[] x = new float[Math.min(count, PolicyNetwork.CHUNK) * width];
        float[] out = new float[Math.min(count, PolicyNetwork.CHUNK) * (actions + 1)];
        double[] logits = new double[actions];
        double[] logp = new double[actions];
        boolean[] mask = new boolean[actions];
        int[] s = new int[dim];
        while (running > 0) {
            int still = 0;
            for (int start = 0; start < running; start += PolicyNetwork.CHUNK) {
                int rows = Math.min(PolicyNetwork.CHUNK, running - start);
                for (int r = 0; r < rows; r++) {
                    int k = active[start + r];
                    System.arraycopy(states[k], (lengths[k] - 1) * dim, s, 0, dim);
                    env.encode(s, x, r * width);
                }
                network.evaluate(x, rows, out);
                for (int r = 0; r < rows; r++) {
                    int k = active[start + r];
                    int t = lengths[k] - 1;
                    System.arraycopy(states[k], t * dim, s, 0, dim);
                    env.forwardMask(s, mask);
                    for (int a = 0; a < actions; a++) {
                        logits[a] = out[r * (actions + 1) + a];
                    }
                    LogSpace.logSoftmax(logits, 0, mask, 0, actions, temperature, logp);
                    int a = draw(logp, mask, epsilon, random);
                    taken[k][t] = a;
                    if (a == env.exitAction()) {
                        continue;
                    }
                    if (lengths[k] == taken[k].length) {
                        int grown = Math.min(maxLength, taken[k].length * 2);
                        taken[k] = Arrays.copyOf(taken[k], grown);
                        states[k] = Arrays.copyOf(states[k], grown * dim);
                    }
                    int[] next = new int[dim];
                    env.step(s, a, next);
                    System.arraycopy(next, 0, states[k], lengths[k] * dim, dim);
                    lengths[k]++;
                    active[still++] = k;
                }
            }
            running = still;
        }
        List<Trajectory> result = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            result.add(new Trajectory(dim, Arrays.copyOf(states[k], lengths[k] * dim), Arrays.copyOf(taken[k], lengths[k])));
        }
        return result;
    }

    private static int draw(double[] logp, boolean[] mask, double epsilon, SeededRandom random) {
        int allowed = 0;
        int lastAllowed = -1;
        for (int a = 0; a < mask.length; a++) {
            if (mask[a]) {
                allowed++;
                lastAllowed = a;
            }
        }
        double u = random.nextDouble();
        double cumulative = 0;
        for (int a = 0; a < mask.length; a++) {
            if (!mask[a]) {
                continue;
            }
            cumulative += (1 - epsilon) * Math.exp(logp[a]) + epsilon / allowed;
            if (u < cumulative) {
                return a;
            }
        }
        return lastAllowed;
    }
}
