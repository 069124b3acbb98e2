package org.flowbench.compute.ode;

import java.util.Arrays;

/**
 * The times t_0, ..., t_K at which a fixed-step solver lands: K steps, strictly increasing
 * (forward: noise to data) or strictly decreasing (reverse: data to noise). A grid over [0, 1]
 * with K steps takes exactly K steps. Immutable.
 */
public final class TimeGrid {

    /** Largest number of steps a grid may have. */
    public static final int MAX_STEPS = 1_000_000;

    private final double[] times;

    private TimeGrid(double[] times) {
        this.times = times;
    }

    /** K equal steps from {@code from} to {@code to} (either direction). */
    public static TimeGrid uniform(double from, double to, int steps) {
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("number of steps must be in [1, " + MAX_STEPS + "], got " + steps);
        }
        if (!Double.isFinite(from) || !Double.isFinite(to) || from == to) {
            throw new IllegalArgumentException("time grid needs finite, distinct end points, got " + from + " and " + to);
        }
        double[] t = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            t[i] = from + (to - from) * i / steps;
        }
        t[steps] = to;
        return new TimeGrid(t);
    }

    /** K equal steps from t = 0 (noise) to t = 1 (data). */
    public static TimeGrid forward(int steps) {
        return uniform(0.0, 1.0, steps);
    }

    /** K equal steps from t = 1 (data) back to t = 0 (noise). */
    public static TimeGrid reverse(int steps) {
        return uniform(1.0, 0.0, steps);
    }

    /** An explicit grid t_0..t_K (at least two times, strictly monotone, finite); copied. */
    public static TimeGrid of(double... times) {
        if (times == null || times.length < 2) {
            throw new IllegalArgumentException("a time grid needs at least two times, got "
                    + (times == null ? "null" : times.length));
        }
        if (times.length - 1 > MAX_STEPS) {
            throw new IllegalArgumentException("a time grid may have at most " + MAX_STEPS + " steps, got " + (times.length - 1));
        }
        double sign = Math.signum(times[1] - times[0]);
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i])) {
                throw new IllegalArgumentException("time grid entry " + i + " is not finite: " + times[i]);
            }
            if (i > 0 && (sign == 0 || Math.signum(times[i] - times[i - 1]) != sign)) {
                throw new IllegalArgumentException("time grid must be strictly increasing or strictly decreasing; entries "
                        + (i - 1) + " and " + i + " are " + times[i - 1] + " and " + times[i]);
            }
        }
        return new TimeGrid(times.clone());
    }

    /** Number of steps K. */
    public int steps() {
        return times.length - 1;
    }

    /** t_i, 0 <= i <= K. */
    public double time(int i) {
        return times[i];
    }

    public double start() {
        return times[0];
    }

    public double end() {
        return times[times.length - 1];
    }

    /** Whether time increases along the grid. */
    public boolean isForward() {
        return times[1] > times[0];
    }

    /** A copy of t_0..t_K. */
    public double[] times() {
        return times.clone();
    }

    /** The same times in the opposite order. */
    public TimeGrid reversed() {
        double[] r = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            r[i] = times[times.length - 1 - i];
        }
        return new TimeGrid(r);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeGrid g && Arrays.equals(g.times, times);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(times);
    }

    @Override
    public String toString() {
        return steps() + " steps from " + start() + " to " + end();
    }
}
