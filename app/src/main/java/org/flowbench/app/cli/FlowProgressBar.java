package org.flowbench.app.cli;

import org.flowbench.compute.train.TrainingProgress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr for training: {@code train [######....]  60% step 600/1000 loss 0.4123}.
 * Redraws when the whole percentage changes, so a log file gets at most about a hundred updates.
 */
final class FlowProgressBar implements TrainingProgress {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private int lastPercent = -1;
    private double smoothedLoss = Double.NaN;

    FlowProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public void onStep(int step, int totalSteps, double loss) {
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.98 * smoothedLoss + 0.02 * loss;
        int percent = (int) (100L * step / totalSteps);
        if (percent == lastPercent && step != totalSteps) {
            return;
        }
        lastPercent = percent;
        int filled = WIDTH * percent / 100;
        err.printf(Locale.ROOT, "\r%s [%s%s] %3d%% step %d/%d loss %.4f", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                percent, step, totalSteps, smoothedLoss);
        if (step == totalSteps) {
            err.println();
        }
        err.flush();
    }
}
