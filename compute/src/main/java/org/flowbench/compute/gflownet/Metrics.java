package org.flowbench.compute.gflownet;

/** Distances between terminal distributions given as probability vectors over state indices. */
public final class Metrics {

    private Metrics() {
    }

    /** L1 distance {@code sum |p - q|}, in [0, 2] for two distributions. */
    public static double l1(double[] p, double[] q) {
        check(p, q);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += Math.abs(p[i] - q[i]);
        }
        return sum;
    }

    /**
     * Jensen-Shannon divergence in nats, {@code KL(p||m)/2 + KL(q||m)/2} with m = (p + q)/2; in
     * [0, log 2].
     */
    public static double jsd(double[] p, double[] q) {
        check(p, q);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double m = 0.5 * (p[i] + q[i]);
            if (p[i] > 0) {
                sum += 0.5 * p[i] * Math.log(p[i] / m);
            }
            if (q[i] > 0) {
                sum += 0.5 * q[i] * Math.log(q[i] / m);
            }
        }
        return Math.max(0, sum);
    }

    /** Counts normalised to a distribution. */
    public static double[] empirical(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] p = new double[counts.length];
        if (total == 0) {
            return p;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = (double) counts[i] / total;
        }
        return p;
    }

    private static void check(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("distributions have " + p.length + " and " + q.length + " entries");
        }
    }
}
