package org.flowbench.compute.gflownet;

/** Sums and softmaxes of numbers held as logarithms, without overflow. */
public final class LogSpace {

    private LogSpace() {
    }

    /** log(e^a + e^b). */
    public static double add(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /**
     * Masked log-softmax of {@code logits[offset..offset+n)} divided by {@code temperature}, into
     * {@code out[0..n)}: log p_j for allowed j, -infinity elsewhere. At least one entry must be allowed.
     */
    public static void logSoftmax(double[] logits, int offset, boolean[] mask, int maskOffset, int n, double temperature,
                                  double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (mask[maskOffset + j]) {
                max = Math.max(max, logits[offset + j] / temperature);
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("no allowed action");
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            if (mask[maskOffset + j]) {
                sum += Math.exp(logits[offset + j] / temperature - max);
            }
        }
        double logNorm = max + Math.log(sum);
        for (int j = 0; j < n; j++) {
            out[j] = mask[maskOffset + j] ? logits[offset + j] / temperature - logNorm : Double.NEGATIVE_INFINITY;
        }
    }
}
