package org.flowbench.views.gflownet;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.gflownet.GfnEnvironment;
import org.flowbench.compute.gflownet.Objective;
import org.flowbench.compute.gflownet.PolicyNetwork;
import org.flowbench.compute.gflownet.Trajectory;
import org.flowbench.compute.gflownet.TrajectorySampler;
import org.flowbench.compute.gflownet.TransitionCredit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One trajectory looked at under TB, DB, SubTB and FL-DB: each objective's residual and output
 * gradient at every transition ({@link TransitionCredit}), with the network trained by that
 * objective (or, when it was not trained, the shown objective's network, said in
 * {@code modelNote}). {@code cut} is the number of moves kept for an incomplete replay, or -1
 * for the whole trajectory. Immutable.
 */
record GfnInspection(Trajectory full, int cut, List<Credit> credits) {

    /** The objectives the inspector compares. */
    static final List<String> COMPARED = List.of("tb", "db", "subtb:0.9", "fldb");

    GfnInspection {
        credits = List.copyOf(credits);
    }

    /**
     * One objective's credit, or why it has none (TB and SubTB need a complete trajectory).
     *
     * @param modelNote empty when the objective's own network was used
     */
    record Credit(String loss, TransitionCredit credit, String problem, String modelNote) {
        String label() {
            return GfnSettings.label(loss);
        }
    }

    /** The trajectory the credits are computed on: the whole one, or its first {@code cut} moves. */
    Trajectory shown() {
        return cut < 0 || cut >= full.moves() ? full : full.truncate(cut);
    }

    /** Credits of {@code full} (cut after {@code cut} moves when {@code cut >= 0}) under each compared objective. */
    static GfnInspection inspect(ComputeDevice device, GfnRun run, String shownLoss, Trajectory full, int cut) {
        GfnEnvironment env = run.environment();
        Trajectory t = cut < 0 || cut >= full.moves() ? full : full.truncate(cut);
        List<Credit> credits = new ArrayList<>();
        for (String loss : COMPARED) {
            GfnRun.Series own = run.seriesOf(loss);
            GfnRun.Series used = own != null ? own : run.seriesOrFirst(shownLoss);
            String note = own != null ? "" : "no " + GfnSettings.label(loss) + " run: " + used.label() + "'s network";
            GfnRun.Policy policy = used.policy();
            try (PolicyNetwork network = PolicyNetwork.withParameters(device, policy.shape(), policy.parameters())) {
                credits.add(new Credit(loss, TransitionCredit.of(env, t, Objective.parse(loss), network, policy.logZ()), null, note));
            } catch (IllegalArgumentException e) {
                credits.add(new Credit(loss, null, e.getMessage(), note));
            }
        }
        return new GfnInspection(full, cut, credits);
    }

    /** One trajectory drawn from the network of {@code loss}'s series (no exploration). */
    static Trajectory sample(ComputeDevice device, GfnRun run, String loss, long seed) {
        GfnRun.Policy policy = run.seriesOrFirst(loss).policy();
        try (PolicyNetwork network = PolicyNetwork.withParameters(device, policy.shape(), policy.parameters())) {
            return new TrajectorySampler(run.environment(), network).sample(1, new SeededRandom(seed)).get(0);
        }
    }

    /** Trajectories drawn at once to find the first one the inspector opens on. */
    static final int OPENING_CANDIDATES = 64;
    /** Moves the trajectory the inspector opens on has at least, when the policy draws one that long. */
    static final int OPENING_MOVES = 3;

    /**
     * The trajectory the inspector opens on: of {@link #OPENING_CANDIDATES} drawn with {@code seed}
     * from the network of {@code loss}'s series, the first with at least {@link #OPENING_MOVES}
     * moves, else the longest (a trajectory that exits at once shows nothing of local credit).
     */
    static Trajectory sampleOpening(ComputeDevice device, GfnRun run, String loss, long seed) {
        GfnRun.Policy policy = run.seriesOrFirst(loss).policy();
        List<Trajectory> drawn;
        try (PolicyNetwork network = PolicyNetwork.withParameters(device, policy.shape(), policy.parameters())) {
            drawn = new TrajectorySampler(run.environment(), network).sample(OPENING_CANDIDATES, new SeededRandom(seed));
        }
        Trajectory longest = drawn.get(0);
        for (Trajectory t : drawn) {
            if (t.moves() >= OPENING_MOVES) {
                return t;
            }
            if (t.moves() > longest.moves()) {
                longest = t;
            }
        }
        return longest;
    }

    /**
     * A trajectory that ends at {@code x}: from x back to s0 with the uniform backward policy,
     * the exit appended (the path a click on the grid asks for).
     */
    static Trajectory pathTo(GfnEnvironment env, int[] x, long seed) {
        if (!env.canTerminate(x)) {
            throw new IllegalArgumentException("the exit is not allowed at " + Arrays.toString(x));
        }
        SeededRandom random = new SeededRandom(seed);
        int dim = env.dimension();
        List<int[]> back = new ArrayList<>();
        List<Integer> moves = new ArrayList<>();
        int[] s = x.clone();
        boolean[] mask = new boolean[env.backwardActionCount()];
        back.add(s.clone());
        while (env.parentCount(s) > 0) {
            env.backwardMask(s, mask);
            int pick = random.nextInt(env.parentCount(s));
            int b = -1;
            for (int j = 0; j < mask.length; j++) {
                if (mask[j] && pick-- == 0) {
                    b = j;
                    break;
                }
            }
            int[] parent = new int[dim];
            env.stepBack(s, b, parent);
            moves.add(b);
            back.add(parent.clone());
            s = parent;
        }
        int n = back.size();
        int[] states = new int[n * dim];
        int[] actions = new int[n];
        for (int k = 0; k < n; k++) {
            System.arraycopy(back.get(n - 1 - k), 0, states, k * dim, dim);
            actions[k] = k < n - 1 ? moves.get(n - 2 - k) : env.exitAction();
        }
        return new Trajectory(dim, states, actions);
    }
}
