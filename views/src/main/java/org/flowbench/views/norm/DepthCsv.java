package org.flowbench.views.norm;

import org.flowbench.compute.lm.LmProbe;

import java.util.List;
import java.util.Locale;

/**
 * The probes of the runs shown, as CSV: one row per run, probe step and layer (0..L; per-block
 * quantities are empty at layer 0), every metric of {@link DepthMetric} in its own column.
 */
final class DepthCsv {

    static final String HEADER = "run,placement,step,loss,layer,variance,mean_square,max_abs,fp16_over,"
            + "sublayer_norm,gradient_norm,update_ratio_mlp";

    private DepthCsv() {
    }

    static String format(List<DepthRun> runs) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (DepthRun run : runs) {
            for (LmProbe p : run.probes()) {
                double[][] stream = {
                    DepthMetric.VARIANCE.values(p, run.config()), DepthMetric.MEAN_SQUARE.values(p, run.config()),
                    DepthMetric.MAX_ABS.values(p, run.config()), DepthMetric.FP16_OVERFLOW.values(p, run.config())};
                double[][] blocks = {
                    DepthMetric.SUBLAYER_NORM.values(p, run.config()), DepthMetric.GRADIENT_NORM.values(p, run.config()),
                    DepthMetric.UPDATE_RATIO.values(p, run.config())};
                for (int l = 0; l <= run.config().layers(); l++) {
                    b.append(quote(run.label())).append(',').append(run.config().placement().label()).append(',')
                            .append(p.step()).append(',').append(number(p.loss())).append(',').append(l);
                    for (double[] s : stream) {
                        b.append(',').append(number(s[l]));
                    }
                    for (double[] s : blocks) {
                        b.append(',').append(l == 0 ? "" : number(s[l - 1]));
                    }
                    b.append('\n');
                }
            }
        }
        return b.toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.9g", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
