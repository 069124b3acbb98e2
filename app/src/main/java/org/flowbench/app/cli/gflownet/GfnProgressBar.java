package org.flowbench.app.cli.gflownet;

import org.flowbench.app.cli.FlowProgressBar;
import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.compute.train.TrainingProgress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress on stderr: a bar redrawn at each whole percent, and one line per
 * measurement ({@code 4096 trajectories  L1 0.0312  log Z err 0.012  modes 4  loss 0.0123}).
 */
final class GfnProgressBar implements TrainingProgress, GfnTraining.Monitor {

    private final PrintWriter err;
    private final FlowProgressBar bar;

    GfnProgressBar(PrintWriter err) {
        this.err = err;
        this.bar = new FlowProgressBar(err, "train", "%.4g");
    }

    @Override
    public void onStep(int step, int totalSteps, double loss) {
        bar.onStep(step, totalSteps, loss);
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
        bar.redrawNext();
    }
}
