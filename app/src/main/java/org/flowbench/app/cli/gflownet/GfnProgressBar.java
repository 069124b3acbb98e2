package org.flowbench.app.cli.gflownet;

import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.compute.train.TrainingProgress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress on stderr: a bar redrawn at each whole percent, and one line per
 * measurement ({@code 4096 trajectories  L1 0.0312  log Z err 0.012  modes 4  loss 0.0123}).
 */
final class GfnProgressBar implements TrainingProgress, GfnTraining.Monitor {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private int lastPercent = -1;
    private double smoothedLoss = Double.NaN;

    GfnProgressBar(PrintWriter err) {
        this.err = err;
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
        err.printf(Locale.ROOT, "\rtrain [%s%s] %3d%% step %d/%d loss %.4g", "#".repeat(filled), ".".repeat(WIDTH - filled),
                percent, step, totalSteps, smoothedLoss);
        if (step == totalSteps) {
            err.println();
        }
        err.flush();
    }

    @Override
    public void onSnapshot(GfnTraining.Snapshot s) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "\r%d trajectories", s.trajectoriesSeen()));
        if (!Double.isNaN(s.l1())) {
            line.append(String.format(Locale.ROOT, "  L1 %.4g", s.l1()));
        }
        if (!Double.isNaN(s.logZError())) {
            line.append(String.format(Locale.ROOT, "  log Z err %.3g", s.logZError()));
        }
        if (s.modesFound() >= 0) {
            line.append("  modes ").append(s.modesFound());
        }
        if (!Double.isNaN(s.topMeanReward())) {
            line.append(String.format(Locale.ROOT, "  top-100 reward %.4g", s.topMeanReward()));
        }
        line.append(String.format(Locale.ROOT, "  loss %.4g", s.loss()));
        err.println(line);
        err.flush();
        lastPercent = -1;
    }
}
