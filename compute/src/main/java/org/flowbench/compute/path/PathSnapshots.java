package org.flowbench.compute.path;

import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.ot.LinearAssignment;

import java.util.Arrays;

/**
 * Samples of a probability path at a few times, by default the straight line
 * x_t = (1 - t) x0 + t x1, with x0 drawn from a source distribution and x1 from a target, paired
 * by a coupling: independent or exact optimal transport. Pairing and interpolation are this
 * package's {@link Coupling} and {@link ProbabilityPath}, the ones training uses, so the picture
 * shows exactly the x_t that flow matching regresses on.
 *
 * <p>This is the data of the probability-path picture: particle i sits at {@link #positions}(k)
 * entries 2i and 2i+1 in every snapshot k, so a view can follow it across times. Immutable;
 * the accessors hand out copies. Same arguments give the same bytes: the source, target, pairing
 * and noise draws all come from one {@link SeededRandom} seeded with the given seed.
 */
public final class PathSnapshots {

    /** The five times of the probability-path picture. */
    private static final double[] DEFAULT_TIMES = {0.0, 0.25, 0.5, 0.75, 1.0};

    /** Largest number of particles (each snapshot holds 2 floats per particle). */
    public static final int MAX_PARTICLES = 5_000_000;

    /** Largest number of particles for optimal-transport pairing, whose exact solver is cubic in n. */
    public static final int MAX_OT_PARTICLES = LinearAssignment.MAX_SIZE;

    private final String sourceName;
    private final String targetName;
    private final String pathName;
    private final String coupling;
    private final long seed;
    private final int count;
    private final double[] times;
    private final float[] source;     // [n*2]
    private final float[] target;     // [n*2]
    private final float[][] positions; // [times][n*2]

    private PathSnapshots(String sourceName, String targetName, String pathName, String coupling, long seed,
                          double[] times, float[] source, float[] target, float[][] positions) {
        this.sourceName = sourceName;
        this.targetName = targetName;
        this.pathName = pathName;
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
     * them along the straight line at each of {@code times}.
     *
     * @param times distinct times in [0, 1], in increasing order
     * @throws IllegalArgumentException for a bad count, coupling or times, in one line
     */
    public static PathSnapshots sample(Dataset source, Dataset target, String coupling, int n, double[] times,
                                       long seed) {
        return sample(source, target, ProbabilityPath.rectified(), Couplings.byName(coupling), n, times, seed);
    }

    /**
     * Samples {@code n} pairs under {@code coupling} and places them on {@code path} at each of
     * {@code times}; a noisy path draws its noise once per snapshot.
     *
     * @param times distinct times in [0, 1], in increasing order
     * @throws IllegalArgumentException for a bad count, a too large transport problem or bad times, in one line
     */
    public static PathSnapshots sample(Dataset source, Dataset target, ProbabilityPath path, Coupling coupling,
                                       int n, double[] times, long seed) {
        if (source == null || target == null || path == null || coupling == null) {
            throw new IllegalArgumentException("path snapshots need a source, a target, a path and a coupling");
        }
        if (n < 1 || n > MAX_PARTICLES) {
            throw new IllegalArgumentException("number of particles must be in [1, " + MAX_PARTICLES + "], got " + n);
        }
        if (coupling == Couplings.EXACT_OT && n > MAX_OT_PARTICLES) {
            throw new IllegalArgumentException("optimal-transport pairing takes at most " + MAX_OT_PARTICLES
                    + " particles, got " + n);
        }
        checkTimes(times);
        SeededRandom random = new SeededRandom(seed);
        float[] x0 = source.sample(n, random.nextLong());
        float[] x1 = target.sample(n, random.nextLong());
        coupling.pair(x0, x1, n, random);
        float[] t = new float[n];
        float[] noise = path.usesNoise() ? new float[2 * n] : null;
        float[][] positions = new float[times.length][];
        for (int k = 0; k < times.length; k++) {
            Arrays.fill(t, (float) times[k]);
            if (noise != null) {
                random.fillGaussian(noise);
            }
            positions[k] = new float[2 * n];
            path.interpolate(x0, x1, t, noise, positions[k]);
        }
        return new PathSnapshots(source.name(), target.name(), path.name(), coupling.name(), seed, times.clone(),
                x0, x1, positions);
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

    /** The path's name as {@link ProbabilityPath#name()} gives it ("rectified" for the straight line). */
    public String pathName() {
        return pathName;
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
        return "PathSnapshots[" + sourceName + " -> " + targetName + ", " + pathName + ", " + coupling + " coupling, n = " + count + ", times = "
                + Arrays.toString(times) + ", seed = " + seed + "]";
    }
}
