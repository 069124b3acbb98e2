package org.flowbench.views.poincare;

import java.util.Arrays;

/**
 * One training run's curves: the loss of every epoch so far, and mean rank and MAP at the
 * epochs it was evaluated. Immutable; a run publishes a longer copy after each epoch.
 *
 * @param manifold   poincare, euclidean or lorentz
 * @param dim        the embedding's dimension
 * @param loss       mean batch loss per epoch // [epochs so far]
 * @param evalEpochs 1-based epochs that were evaluated // [m]
 * @param meanRank   mean rank at those epochs // [m]
 * @param map        MAP at those epochs // [m]
 * @param seconds    training time so far, evaluation excluded
 */
public record TrainingCurve(String manifold, int dim, double[] loss, int[] evalEpochs, double[] meanRank, double[] map,
                            double seconds) {

    public static TrainingCurve empty(String manifold, int dim) {
        return new TrainingCurve(manifold, dim, new double[0], new int[0], new double[0], new double[0], 0);
    }

    public int epochs() {
        return loss.length;
    }

    TrainingCurve withEpoch(double epochLoss, double epochSeconds) {
        double[] l = Arrays.copyOf(loss, loss.length + 1);
        l[loss.length] = epochLoss;
        return new TrainingCurve(manifold, dim, l, evalEpochs, meanRank, map, seconds + epochSeconds);
    }

    TrainingCurve withEvaluation(int epoch, double rank, double precision) {
        int m = evalEpochs.length;
        int[] e = Arrays.copyOf(evalEpochs, m + 1);
        double[] r = Arrays.copyOf(meanRank, m + 1);
        double[] p = Arrays.copyOf(map, m + 1);
        e[m] = epoch;
        r[m] = rank;
        p[m] = precision;
        return new TrainingCurve(manifold, dim, loss, e, r, p, seconds);
    }

    /** The last evaluation's mean rank, or NaN. */
    public double lastMeanRank() {
        return meanRank.length == 0 ? Double.NaN : meanRank[meanRank.length - 1];
    }

    public double lastMap() {
        return map.length == 0 ? Double.NaN : map[map.length - 1];
    }
}
