package org.flowbench.app.cli;

import org.flowbench.compute.train.TrainingProgress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr for training: {@code train [######....]  60% step 600/1000 loss 0.4123}.
 * Redraws when the whole percentage changes, so a log file gets at most about a hundred updates.
 */
public final class FlowProgressBar implements TrainingProgress {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final String lossFormat;
    private int lastPercent = -1;
    private double smoothedLoss = Double.NaN;

    /** A bar that shows the smoothed loss with four decimals. */
    FlowProgressBar(PrintWriter err, String label) {
        this(err, label, "%.4f");
    }

    /** A bar that shows the smoothed loss with {@code lossFormat}, e.g. {@code %.4g} for losses that span decades. */
    public FlowProgressBar(PrintWriter err, String label, String lossFormat) {
        this.err = err;
        this.label = label;
        this.lossFormat = lossFormat;
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
        err.printf(Locale.ROOT, "\r%s [%s%s] %3d%% step %d/%d loss " + lossFormat, label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), percent, step, totalSteps, smoothedLoss);
        if (step == totalSteps) {
            err.println();
        }
        err.flush();
    }

    /** Draws the bar again at the next step, after another line has been printed over it. */
    public void redrawNext() {
        lastPercent = -1;
    }
}
