package org.flowbench.compute.lm;

import java.util.List;

/**
 * What the probes measured at one step (step 0: initialisation, possibly averaged over seeds).
 * Layers of the residual stream are indexed 0..L (0 is the embedding sum); blocks 1..L are
 * stored at index {@code l - 1}.
 *
 * @param step         training steps taken before the measurement
 * @param loss         mean cross-entropy of the batch, nats
 * @param meanSquare   per layer 0..L: E ||x_l||^2 / d, the mean square of the stream's values
 * @param variance     per layer 0..L: variance of the stream's values (over tokens and features)
 * @param maxAbs       per layer 0..L: largest |x|
 * @param fp16Over     per layer 0..L: how many values exceed the fp16 limit 65504 in magnitude
 * @param sublayerNorm per block and sublayer (attention, MLP; MLP only when FFN-only): mean over
 *                     tokens of the L2 norm of what the sublayer adds to the stream
 * @param ffnGradNorm  per block: Frobenius norms of the gradients of the MLP's two weight
 *                     matrices {fc, proj}
 * @param groupGradNorm per parameter group ({@link #groups}): gradient norm
 * @param updateRatio  per parameter group: ||update|| / ||weights|| of the step that followed
 *                     (NaN when no step followed, as at initialisation)
 * @param attnEntropy  per block and head: mean over queries of the attention distribution's
 *                     entropy, nats (empty when FFN-only; NaN with flow attention, which
 *                     forms no attention distribution)
 * @param groups       the parameter groups, {@code layer:group}
 * @param seeds        how many seeds were averaged (1 during training)
 */
public record LmProbe(int step, double loss, double[] meanSquare, double[] variance, double[] maxAbs,
                      double[] fp16Over, double[][] sublayerNorm, double[][] ffnGradNorm, double[] groupGradNorm,
                      double[] updateRatio, double[][] attnEntropy, List<String> groups, int seeds) {

    /** The fp16 largest finite value. */
    public static final double FP16_MAX = 65504;

    /** Element-wise mean of probes of the same model shape (e.g. over seeds at initialisation). */
    public static LmProbe mean(List<LmProbe> probes) {
        LmProbe f = probes.get(0);
        int n = probes.size();
        return new LmProbe(f.step, probes.stream().mapToDouble(LmProbe::loss).sum() / n,
                mean1(probes.stream().map(LmProbe::meanSquare).toList()),
                mean1(probes.stream().map(LmProbe::variance).toList()),
                mean1(probes.stream().map(LmProbe::maxAbs).toList()),
                mean1(probes.stream().map(LmProbe::fp16Over).toList()),
                mean2(probes.stream().map(LmProbe::sublayerNorm).toList()),
                mean2(probes.stream().map(LmProbe::ffnGradNorm).toList()),
                mean1(probes.stream().map(LmProbe::groupGradNorm).toList()),
                mean1(probes.stream().map(LmProbe::updateRatio).toList()),
                mean2(probes.stream().map(LmProbe::attnEntropy).toList()), f.groups, n);
    }

    /** Standard error of the mean of {@code values[i][layer]} over i, per layer. */
    public static double[] standardError(List<double[]> values) {
        int n = values.size();
        double[] mean = mean1(values);
        double[] se = new double[mean.length];
        if (n < 2) {
            return se;
        }
        for (double[] v : values) {
            for (int i = 0; i < se.length; i++) {
                se[i] += (v[i] - mean[i]) * (v[i] - mean[i]);
            }
        }
        for (int i = 0; i < se.length; i++) {
            se[i] = Math.sqrt(se[i] / (n - 1) / n);
        }
        return se;
    }

    static double[] mean1(List<double[]> xs) {
        double[] out = new double[xs.get(0).length];
        for (double[] x : xs) {
            for (int i = 0; i < out.length; i++) {
                out[i] += x[i] / xs.size();
            }
        }
        return out;
    }

    private static double[][] mean2(List<double[][]> xs) {
        double[][] out = new double[xs.get(0).length][];
        for (int i = 0; i < out.length; i++) {
            int row = i;
            out[i] = mean1(xs.stream().map(x -> x[row]).toList());
        }
        return out;
    }
}
