package org.flowbench.views.norm;

import org.flowbench.compute.norm.playground.NormPlayground;

import java.util.Locale;

/** The tables behind the Norm layers views, as CSV text (one header line, then rows). */
final class NormLayersCsv {

    private NormLayersCsv() {
    }

    /** The table of {@code figure}'s view; null for the axes diagram, which has none. */
    static String table(NormLayersFigure figure) {
        NormPlayground.Result r = figure.result();
        NormPlayground.Settings s = r.settings();
        int c = s.channels();
        StringBuilder b = new StringBuilder();
        switch (figure.view()) {
            case AXES -> {
                return null;
            }
            case HISTOGRAMS -> {
                b.append("channel,part,bin_low,bin_high,count\n");
                int[] channels = figure.histogramChannels();
                for (int i = 0; i < channels.length; i++) {
                    for (int part = 0; part < 2; part++) {
                        double[] range = figure.range(i, part);
                        int[] counts = figure.counts(i, part);
                        double w = (range[1] - range[0]) / counts.length;
                        for (int k = 0; k < counts.length; k++) {
                            b.append(channels[i]).append(',').append(part == 0 ? "input" : "output").append(',')
                                    .append(num(range[0] + k * w)).append(',').append(num(range[0] + (k + 1) * w))
                                    .append(',').append(counts[k]).append('\n');
                        }
                    }
                }
            }
            case FLUCTUATION -> {
                b.append("batch,channel,batch_statistic,divided_by,running_statistic\n");
                for (int t = 0; t < s.batches(); t++) {
                    for (int ch = 0; ch < c; ch++) {
                        int k = t * c + ch;
                        b.append(t).append(',').append(ch).append(',').append(num(r.batchStat()[k])).append(',')
                                .append(num(r.usedStat()[k])).append(',').append(num(r.runningStat()[k])).append('\n');
                    }
                }
            }
            case RUNNING -> {
                b.append("channel,last_batch_statistic,running_statistic,train_eval_mismatch\n");
                double[][] stats = figure.lastStatistics();
                double[] mismatch = r.trainEvalMismatch();
                for (int ch = 0; ch < c; ch++) {
                    b.append(ch).append(',').append(num(stats[0][ch])).append(',').append(num(stats[1][ch])).append(',')
                            .append(num(mismatch[ch])).append('\n');
                }
            }
            case FOLDING -> {
                b.append("layer,max_abs_difference,max_abs_output,unfolded_ms,folded_ms\n");
                NormPlayground.Folding f = r.folding();
                if (f != null) {
                    b.append(s.layer().id()).append(',').append(num(f.maxAbsDifference())).append(',')
                            .append(num(f.maxAbsOutput())).append(',').append(num(f.unfoldedMillis())).append(',')
                            .append(num(f.foldedMillis())).append('\n');
                }
            }
        }
        return b.toString();
    }

    /** A number as CSV text: empty for a missing value. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.9g", v) : "";
    }
}
