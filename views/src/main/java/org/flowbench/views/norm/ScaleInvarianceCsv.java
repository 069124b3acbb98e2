package org.flowbench.views.norm;

import org.flowbench.compute.norm.invariance.BatchNormOnlyTraining;
import org.flowbench.compute.norm.invariance.ScaleInvariantToy;

import java.util.Locale;

/** The tables behind the Scale invariance views, as CSV text (one header line, then rows). */
final class ScaleInvarianceCsv {

    private ScaleInvarianceCsv() {
    }

    /** The table behind the current view: per step and optimizer, or per step and training; null before a result. */
    static String table(ScaleInvarianceFigure f) {
        StringBuilder b = new StringBuilder();
        if (f.view() == ScaleInvarianceView.BN_ONLY) {
            if (f.training() == null) {
                return null;
            }
            b.append("step,trained,accuracy,loss\n");
            for (BatchNormOnlyTraining.Result r : f.training()) {
                for (int t = 0; t < r.accuracy().length; t++) {
                    b.append(t).append(',').append(r.trained().id()).append(',')
                            .append(NormLayersCsv.num(r.accuracy()[t])).append(',').append(NormLayersCsv.num(r.loss()[t]))
                            .append('\n');
                }
            }
            return b.toString();
        }
        if (f.runs() == null) {
            return null;
        }
        b.append("step,optimizer,w1,w2,norm,effective_step,loss,projected\n");
        for (ScaleInvariantToy.Run r : f.runs()) {
            for (int t = 0; t <= r.steps(); t++) {
                b.append(t).append(',').append(r.optimizer().id()).append(',')
                        .append(NormLayersCsv.num(r.path()[2 * t])).append(',').append(NormLayersCsv.num(r.path()[2 * t + 1]))
                        .append(',').append(NormLayersCsv.num(r.norm()[t])).append(',')
                        .append(NormLayersCsv.num(r.effectiveStep()[t])).append(',').append(NormLayersCsv.num(r.loss()[t]))
                        .append(',').append(t == 0 ? "" : Boolean.toString(r.projected()[t - 1]).toLowerCase(Locale.ROOT))
                        .append('\n');
            }
        }
        return b.toString();
    }
}
