package org.flowbench.views.norm;

import org.flowbench.compute.lm.LmProbe;
import org.flowbench.views.figure.FigureAnimation;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.JobContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The Depth figure animated over training, as files: one frame per probe step of the runs shown
 * (the steps the timeline's step buttons visit), numbered PNGs and a looping GIF in a new folder.
 */
final class DepthAnimation {

    static final String FOLDER = "depth-animation";
    static final String GIF = "depth.gif";
    static final int WIDTH = 1200;
    static final int HEIGHT = 760;
    static final int DELAY_MS = 200;

    private DepthAnimation() {
    }

    /** Every step at which any of {@code runs} recorded a probe, in order, each once. */
    static int[] probeSteps(List<DepthRun> runs) {
        TreeSet<Integer> steps = new TreeSet<>();
        for (DepthRun r : runs) {
            for (LmProbe p : r.probes()) {
                steps.add(p.step());
            }
        }
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Draws {@code shown} (its runs, metric and |x| panel) at every probe step into a new folder
     * {@value #FOLDER} inside {@code parent}; returns that folder.
     */
    static Path export(DepthFigure shown, FigureTheme theme, Path parent, int width, int height, JobContext ctx) throws IOException {
        int[] steps = probeSteps(shown.runs());
        if (steps.length == 0) {
            throw new IllegalArgumentException("the runs shown have no probes to animate yet");
        }
        Path folder = FigureAnimation.freshFolder(parent, FOLDER);
        FigureAnimation.write(steps.length, k -> new DepthFigure(shown.runs(), shown.metric(), steps[k], shown.activations(), theme),
                folder, GIF, width, height, DELAY_MS, (k, n) -> {
                    ctx.checkCancelled();
                    ctx.progress(k, n);
                });
        return folder;
    }
}
