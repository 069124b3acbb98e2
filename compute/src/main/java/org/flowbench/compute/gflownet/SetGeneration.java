package org.flowbench.compute.gflownet;

import org.flowbench.compute.data.SeededRandom;

import java.util.Locale;

/**
 * The set generation task of Pan et al. (2023, FL-GFN): build a set S of exactly {@code size}
 * elements from a universe of {@code universe} elements, one element per move. Each element u has
 * a fixed energy E_u, drawn uniform in [0, 1) from {@code energySeed}; the reward is
 * {@code R(S) = exp(-sum_{u in S} E_u)}. Forward action u < |U| adds element u, action |U| exits
 * and is allowed exactly when the set is full; a state is the membership vector, which is also
 * what the policy sees. The intermediate energy of a partial set is the sum of its elements'
 * energies, so every transition carries the energy of the element it adds.
 */
public final class SetGeneration implements GfnEnvironment {

    public static final int MAX_UNIVERSE = 4096;

    private final int universe;
    private final int size;
    private final long energySeed;
    private final double[] energies;
    private final long stateCount;

    public SetGeneration(int universe, int size, long energySeed) {
        if (universe < 1 || universe > MAX_UNIVERSE) {
            throw new IllegalArgumentException("sets U must be in [1, " + MAX_UNIVERSE + "], got " + universe);
        }
        if (size < 1 || size > universe) {
            throw new IllegalArgumentException("sets S must be in [1, U] = [1, " + universe + "], got " + size);
        }
        this.universe = universe;
        this.size = size;
        this.energySeed = energySeed;
        SeededRandom random = new SeededRandom(energySeed);
        energies = new double[universe];
        for (int u = 0; u < universe; u++) {
            energies[u] = random.nextDouble();
        }
        long count = countStates(universe, size);
        stateCount = StateGraph.fits(count, universe, universe + 1) ? count : -1;
    }

    /** Sum over k <= S of C(U, k) when U fits a 62-bit key and the count fits {@link StateGraph#MAX_STATES}, else -1. */
    private static long countStates(int universe, int size) {
        if (universe > 62) {
            return -1;
        }
        long total = 0;
        long binomial = 1; // C(U, 0)
        for (int k = 0; k <= size; k++) {
            total += binomial;
            if (total > StateGraph.MAX_STATES) {
                return -1;
            }
            binomial = binomial * (universe - k) / (k + 1);
        }
        return total;
    }

    public int universe() {
        return universe;
    }

    public int size() {
        return size;
    }

    public long energySeed() {
        return energySeed;
    }

    /** E_u, a copy. */
    public double[] energies() {
        return energies.clone();
    }

    @Override
    public String spec() {
        return String.format(Locale.ROOT, "sets:U=%d,S=%d,energy_seed=%d", universe, size, energySeed);
    }

    @Override
    public String toString() {
        return spec();
    }

    @Override
    public int dimension() {
        return universe;
    }

    @Override
    public int actionCount() {
        return universe + 1;
    }

    @Override
    public int encodingWidth() {
        return universe;
    }

    @Override
    public int maxTrajectoryLength() {
        return size;
    }

    @Override
    public int[] initialState() {
        return new int[universe];
    }

    @Override
    public void forwardMask(int[] s, boolean[] mask) {
        boolean full = depth(s) == size;
        for (int u = 0; u < universe; u++) {
            mask[u] = !full && s[u] == 0;
        }
        mask[universe] = full;
    }

    @Override
    public void backwardMask(int[] s, boolean[] mask) {
        for (int u = 0; u < universe; u++) {
            mask[u] = s[u] != 0;
        }
    }

    @Override
    public void step(int[] s, int a, int[] out) {
        if (a < 0 || a >= universe || s[a] != 0 || depth(s) >= size) {
            throw new IllegalArgumentException("forward action " + a + " is not allowed at this set");
        }
        System.arraycopy(s, 0, out, 0, universe);
        out[a] = 1;
    }

    @Override
    public void stepBack(int[] s, int b, int[] out) {
        if (b < 0 || b >= universe || s[b] == 0) {
            throw new IllegalArgumentException("backward action " + b + " is not allowed at this set");
        }
        System.arraycopy(s, 0, out, 0, universe);
        out[b] = 0;
    }

    @Override
    public int parentCount(int[] s) {
        return depth(s);
    }

    @Override
    public boolean canTerminate(int[] s) {
        return depth(s) == size;
    }

    @Override
    public double logReward(int[] s) {
        return -energy(s);
    }

    @Override
    public double energy(int[] s) {
        double e = 0;
        for (int u = 0; u < universe; u++) {
            if (s[u] != 0) {
                e += energies[u];
            }
        }
        return e;
    }

    @Override
    public void encode(int[] s, float[] out, int offset) {
        for (int u = 0; u < universe; u++) {
            out[offset + u] = s[u] != 0 ? 1f : 0f;
        }
    }

    @Override
    public int depth(int[] s) {
        int n = 0;
        for (int u = 0; u < universe; u++) {
            n += s[u] != 0 ? 1 : 0;
        }
        return n;
    }

    @Override
    public boolean isMode(int[] x) {
        return false;
    }

    @Override
    public boolean hasModes() {
        return false;
    }

    @Override
    public long stateCount() {
        return stateCount;
    }

    @Override
    public long stateKey(int[] s) {
        long key = 0;
        for (int u = 0; u < Math.min(universe, 63); u++) {
            if (s[u] != 0) {
                key |= 1L << u;
            }
        }
        return key;
    }

    /** The largest log reward: minus the sum of the S smallest energies. */
    public double maxLogReward() {
        double[] sorted = energies.clone();
        java.util.Arrays.sort(sorted);
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += sorted[i];
        }
        return -sum;
    }

    /**
     * log Z = log e_S(w_1..w_U), the elementary symmetric polynomial of the weights
     * w_u = exp(-E_u), by the recurrence e_k <- e_k + w_u e_{k-1} over the elements, in log space.
     */
    @Override
    public double logPartitionClosedForm() {
        double[] le = new double[size + 1];
        java.util.Arrays.fill(le, Double.NEGATIVE_INFINITY);
        le[0] = 0;
        for (int u = 0; u < universe; u++) {
            double lw = -energies[u];
            for (int k = Math.min(size, u + 1); k >= 1; k--) {
                le[k] = LogSpace.add(le[k], le[k - 1] + lw);
            }
        }
        return le[size];
    }
}
