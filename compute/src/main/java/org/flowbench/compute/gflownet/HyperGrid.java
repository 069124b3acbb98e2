package org.flowbench.compute.gflownet;

import java.util.Locale;

/**
 * The HyperGrid of Bengio et al. (2021), as torchgfn builds it: states {0..H-1}^D, starting at
 * the origin; forward action i < D adds one to coordinate i, action D exits (allowed anywhere).
 * With {@code a_i = |x_i/(H-1) - 1/2|} the reward is
 * {@code R(x) = R0 + R1 prod_i 1[a_i > 1/4] + R2 prod_i 1[0.3 < a_i < 0.4]}; the modes are the
 * states with {@code R >= R0 + R1 + R2}. The policy sees each coordinate one-hot ({@code D*H}
 * inputs, torchgfn's K-hot encoding). For forward-looking training the intermediate energy of
 * every state is {@code -log R(s)}.
 */
public final class HyperGrid implements GfnEnvironment {

    public static final int MAX_DIMENSION = 32;
    public static final int MAX_HEIGHT = 4096;
    /** Largest encoding width: keeps an absurd D*H from allocating a huge network. */
    public static final int MAX_ENCODING = 1 << 16;

    public static final double DEFAULT_R0 = 0.1;
    public static final double DEFAULT_R1 = 0.5;
    public static final double DEFAULT_R2 = 2.0;

    private final int d;
    private final int h;
    private final double r0;
    private final double r1;
    private final double r2;
    private final long stateCount;

    public HyperGrid(int dimension, int height, double r0, double r1, double r2) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("hypergrid D must be in [1, " + MAX_DIMENSION + "], got " + dimension);
        }
        if (height < 2 || height > MAX_HEIGHT) {
            throw new IllegalArgumentException("hypergrid H must be in [2, " + MAX_HEIGHT + "], got " + height);
        }
        if ((long) dimension * height > MAX_ENCODING) {
            throw new IllegalArgumentException("hypergrid D*H must be at most " + MAX_ENCODING + ", got " + (long) dimension * height);
        }
        if (!(r0 > 0) || !Double.isFinite(r0)) {
            throw new IllegalArgumentException("hypergrid R0 must be positive and finite (every state needs a positive reward), got " + r0);
        }
        if (!(r1 >= 0) || !Double.isFinite(r1) || !(r2 >= 0) || !Double.isFinite(r2)) {
            throw new IllegalArgumentException("hypergrid R1 and R2 must be non-negative and finite, got " + r1 + " and " + r2);
        }
        this.d = dimension;
        this.h = height;
        this.r0 = r0;
        this.r1 = r1;
        this.r2 = r2;
        long count = 1;
        for (int i = 0; i < dimension && count > 0; i++) {
            count = count > StateGraph.MAX_STATES / height ? -1 : count * height;
        }
        this.stateCount = StateGraph.fits(count, dimension, dimension + 1) ? count : -1;
    }

    /** The default reward R0 = 0.1, R1 = 0.5, R2 = 2. */
    public HyperGrid(int dimension, int height) {
        this(dimension, height, DEFAULT_R0, DEFAULT_R1, DEFAULT_R2);
    }

    public int gridDimension() {
        return d;
    }

    public int height() {
        return h;
    }

    public double r0() {
        return r0;
    }

    public double r1() {
        return r1;
    }

    public double r2() {
        return r2;
    }

    @Override
    public String spec() {
        return String.format(Locale.ROOT, "hypergrid:D=%d,H=%d,R0=%s,R1=%s,R2=%s", d, h, Environments.number(r0),
                Environments.number(r1), Environments.number(r2));
    }

    @Override
    public String toString() {
        return spec();
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public int actionCount() {
        return d + 1;
    }

    @Override
    public int encodingWidth() {
        return d * h;
    }

    @Override
    public int maxTrajectoryLength() {
        return d * (h - 1);
    }

    @Override
    public int[] initialState() {
        return new int[d];
    }

    @Override
    public void forwardMask(int[] s, boolean[] mask) {
        for (int i = 0; i < d; i++) {
            mask[i] = s[i] < h - 1;
        }
        mask[d] = true;
    }

    @Override
    public void backwardMask(int[] s, boolean[] mask) {
        for (int i = 0; i < d; i++) {
            mask[i] = s[i] > 0;
        }
    }

    @Override
    public void step(int[] s, int a, int[] out) {
        if (a < 0 || a >= d || s[a] >= h - 1) {
            throw new IllegalArgumentException("forward action " + a + " is not allowed at " + java.util.Arrays.toString(s));
        }
        System.arraycopy(s, 0, out, 0, d);
        out[a]++;
    }

    @Override
    public void stepBack(int[] s, int b, int[] out) {
        if (b < 0 || b >= d || s[b] <= 0) {
            throw new IllegalArgumentException("backward action " + b + " is not allowed at " + java.util.Arrays.toString(s));
        }
        System.arraycopy(s, 0, out, 0, d);
        out[b]--;
    }

    @Override
    public int parentCount(int[] s) {
        int n = 0;
        for (int i = 0; i < d; i++) {
            if (s[i] > 0) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean canTerminate(int[] s) {
        return true;
    }

    /** R(x), the formula of the class comment. */
    public double reward(int[] s) {
        boolean outer = true;
        boolean ring = true;
        for (int i = 0; i < d; i++) {
            double a = Math.abs((double) s[i] / (h - 1) - 0.5);
            outer &= a > 0.25;
            ring &= a > 0.3 && a < 0.4;
        }
        return r0 + (outer ? r1 : 0) + (ring ? r2 : 0);
    }

    @Override
    public double logReward(int[] s) {
        return Math.log(reward(s));
    }

    @Override
    public double energy(int[] s) {
        return -logReward(s);
    }

    @Override
    public void encode(int[] s, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + d * h, 0f);
        for (int i = 0; i < d; i++) {
            out[offset + i * h + s[i]] = 1f;
        }
    }

    @Override
    public int depth(int[] s) {
        int sum = 0;
        for (int i = 0; i < d; i++) {
            sum += s[i];
        }
        return sum;
    }

    @Override
    public boolean isMode(int[] x) {
        return reward(x) >= (r0 + r1 + r2) * (1 - 1e-12);
    }

    @Override
    public boolean hasModes() {
        return true;
    }

    @Override
    public long stateCount() {
        return stateCount;
    }

    /** Mixed radix: coordinate i has weight H^i. */
    @Override
    public long stateKey(int[] s) {
        long key = 0;
        for (int i = d - 1; i >= 0; i--) {
            key = key * h + s[i];
        }
        return key;
    }
}
