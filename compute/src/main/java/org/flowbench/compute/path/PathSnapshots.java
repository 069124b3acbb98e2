package org.flowbench.compute.path;

import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.train.ConditionalPath;
import org.flowbench.compute.train.TrainingPaths;

import java.util.Arrays;

/**
 * Samples of the straight-line probability path at a few times: x_t = (1 - t) x0 + t x1 with
 * x0 drawn from a source distribution and x1 from a target, paired by a coupling: independent
 * (x0 and x1 drawn independently) or optimal transport (the draws re-paired to minimise the
 * total squared distance). Pairing and interpolation are the trainer's own
 * ({@link TrainingPaths#coupling}, {@link ConditionalPath#STRAIGHT}), so the picture shows
 * exactly the x_t that flow matching regresses on.
 *
 * <p>This is the data of the probability-path picture: particle i sits at {@link #positions}(k)
 * entries 2i and 2i+1 in every snapshot k, so a view can follow it across times. Immutable;
 * the accessors hand out copies. Same arguments give the same bytes: the source and target seeds
 * are derived from the one seed by {@link SeededRandom}.
 */
public final class PathSnapshots {

    /** The five times of the probability-path picture. */
    private static final double[] DEFAULT_TIMES = {0.0, 0.25, 0.5, 0.75, 1.0};

    /** Largest number of particles (each snapshot holds 2 floats per particle). */
    public static final int MAX_PARTICLES = 5_000_000;

    /** Largest number of particles for optimal-transport pairing, whose exact solver is cubic in n. */
    public static final int MAX_OT_PARTICLES = 1_000;

    private final String sourceName;
    private final String targetName;
    private final String coupling;
    private final long seed;
    private final int count;
    private final double[] times;
    private final float[] source;     // [n*2]
    private final float[] target;     // [n*2]
    private final float[][] positions; // [times][n*2]

    private PathSnapshots(String sourceName, String targetName, String coupling, long seed, double[] times,
                          float[] source, float[] target, float[][] positions) {
        this.sourceName = sourceName;
        this.targetName = targetName;
        this.coupling = coupling;
        this.seed = seed;
        this.count = source.length / 2;
        this.times = times;
        this.source = source;
        this.target = target;
        this.positions = positions;
    }

    /** The times 0, 0.25, 0.5, 0.75 and 1. */
    public static double[] defaultTimes() {
        return DEFAULT_TIMES.clone();
    }

    /**
     * Samples {@code n} particles from N(0, I) to two moons at times 0, 0.25, 0.5, 0.75, 1: the
     * probability-path picture's data.
     */
    public static PathSnapshots normalToMoons(int n, long seed) {
        return sample(Datasets.NORMAL, Datasets.MOONS, n, DEFAULT_TIMES, seed);
    }

    /**
     * Samples {@code n} independent pairs (x0 from {@code source}, x1 from {@code target}) and
     * interpolates them at each of {@code times}.
     *
     * @param times distinct times in [0, 1], in increasing order
     * @throws IllegalArgumentException for a bad count or bad times, in one line
     */
    public static PathSnapshots sample(Dataset source, Dataset target, int n, double[] times, long seed) {
        return sample(source, target, "independent", n, times, seed);
    }

    /**
     * Samples {@code n} pairs under the named coupling ("independent" or "ot") and interpolates
     * them at each of {@code times}.
     *
     * @param times distinct times in [0, 1], in increasing order
     * @throws IllegalArgumentException for a bad count, coupling or times, in one line
     */
    public static PathSnapshots sample(Dataset source, Dataset target, String coupling, int n, double[] times,
                                       long seed) {
        if (source == null || target == null) {
            throw new IllegalArgumentException("path snapshots need a source and a target distribution");
        }
        if (n < 1 || n > MAX_PARTICLES) {
            throw new IllegalArgumentException("number of particles must be in [1, " + MAX_PARTICLES + "], got " + n);
        }
        String pairing = TrainingPaths.canonicalCoupling(coupling == null ? "" : coupling);
        if (pairing.equals("ot") && n > MAX_OT_PARTICLES) {
            throw new IllegalArgumentException("optimal-transport pairing takes at most " + MAX_OT_PARTICLES
                    + " particles, got " + n);
        }
        checkTimes(times);
        float[] x0 = new float[2 * n];
        float[] x1 = new float[2 * n];
        SeededRandom random = new SeededRandom(seed);
        TrainingPaths.coupling(pairing, source, target).next(random, n, x0, x1);
        float[] t = new float[n];
        float[] velocity = new float[2 * n];
        float[][] positions = new float[times.length][];
        for (int k = 0; k < times.length; k++) {
            Arrays.fill(t, (float) times[k]);
            positions[k] = new float[2 * n];
            ConditionalPath.STRAIGHT.sample(x0, x1, t, n, random, positions[k], velocity);
        }
        return new PathSnapshots(source.name(), target.name(), pairing, seed, times.clone(), x0, x1, positions);
    }

    private static void checkTimes(double[] times) {
        if (times == null || times.length == 0) {
            throw new IllegalArgumentException("path snapshots need at least one time");
        }
        for (int k = 0; k < times.length; k++) {
            double t = times[k];
            if (!(t >= 0.0 && t <= 1.0)) {
                throw new IllegalArgumentException("path times must lie in [0, 1], got " + t);
            }
            if (k > 0 && !(t > times[k - 1])) {
                throw new IllegalArgumentException("path times must increase, got " + times[k - 1] + " then " + t);
            }
        }
    }

    /** Name of the source distribution ("normal"). */
    public String sourceName() {
        return sourceName;
    }

    /** Name of the target distribution ("moons"). */
    public String targetName() {
        return targetName;
    }

    /** How pairs were formed: "independent" or "ot". */
    public String coupling() {
        return coupling;
    }

    /** The seed the samples were drawn with. */
    public long seed() {
        return seed;
    }

    /** Number of particles n. */
    public int count() {
        return count;
    }

    /** Number of snapshots. */
    public int timeCount() {
        return times.length;
    }

    /** The time of snapshot {@code k}. */
    public double time(int k) {
        return times[k];
    }

    /** All snapshot times, in increasing order. */
    public double[] times() {
        return times.clone();
    }

    /** {@code float[] xt // [n*2]}: particle positions at snapshot {@code k}. */
    public float[] positions(int k) {
        return positions[k].clone();
    }

    /** {@code float[] x0 // [n*2]}: the source samples (the positions at t = 0). */
    public float[] source() {
        return source.clone();
    }

    /** {@code float[] x1 // [n*2]}: the target samples each particle travels to (the positions at t = 1). */
    public float[] target() {
        return target.clone();
    }

    /** x coordinate of particle {@code i} at snapshot {@code k}. */
    public float x(int k, int i) {
        return positions[k][2 * i];
    }

    /** y coordinate of particle {@code i} at snapshot {@code k}. */
    public float y(int k, int i) {
        return positions[k][2 * i + 1];
    }

    @Override
    public String toString() {
        return "PathSnapshots[" + sourceName + " -> " + targetName + ", " + coupling + " coupling, n = " + count + ", times = "
                + Arrays.toString(times) + ", seed = " + seed + "]";
    }
}
