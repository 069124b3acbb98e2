package org.flowbench.views.bench;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.trajectories.FlowRun;
import org.flowbench.views.trajectories.FlowSampler;
import org.flowbench.views.trajectories.SamplingSettings;
import org.flowbench.views.trajectories.TrajectoriesFigure;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Frame cost of the Trajectories figure: one paint of 5,000 particles and 300 traced paths of
 * 100 steps (one panel, as the target asks; the two-panel figure is timed too) into a
 * 1400 x 640 ARGB image with the export quality hints. Prints the median and 95th percentile
 * over 200 paints after 50 warm-up paints. A main rather than JMH: views has no JMH annotation
 * processing. Run from the repository root after {@code mvn -pl views test-compile}:
 * <pre>
 * java -cp views/target/test-classes:views/target/classes:$(cat /tmp/views.cp) org.flowbench.views.bench.TrajectoriesPaintTiming
 * </pre>
 */
public final class TrajectoriesPaintTiming {

    private TrajectoriesPaintTiming() {
    }

    public static void main(String[] args) {
        int n = 5000;
        SamplingSettings settings = new SamplingSettings("euler", 100, 1e-5, "uniform", n, 300, 1);
        float[] noise = Datasets.NORMAL.sample(n, 1);
        FlowRun swirl = FlowSampler.run("swirl", (x, m, t, v) -> {
            for (int i = 0; i < m; i++) {
                v[2 * i] = -x[2 * i + 1] + 0.5f * t;
                v[2 * i + 1] = x[2 * i] * 0.8f;
            }
        }, noise, TimeGrid.forward(100), settings, false, () -> false);
        for (List<FlowRun> runs : List.of(List.of(swirl), List.of(swirl, swirl))) {
            TrajectoriesFigure figure = new TrajectoriesFigure(runs, Datasets.MOONS.sample(2000, 2), 0.5, null, -1,
                    TrajectoriesFigure.Options.defaults(), FigureTheme.LIGHT);
            BufferedImage image = new BufferedImage(1400, 640, BufferedImage.TYPE_INT_ARGB);
            long[] nanos = new long[200];
            for (int r = -50; r < nanos.length; r++) {
                Graphics2D g = image.createGraphics();
                FigureExporter.applyQualityHints(g);
                long start = System.nanoTime();
                figure.at(0.3 + 0.001 * (r & 7)).paint(g, new Rectangle2D.Double(0, 0, 1400, 640));
                long took = System.nanoTime() - start;
                g.dispose();
                if (r >= 0) {
                    nanos[r] = took;
                }
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "%d panel(s), 5000 particles + 300 paths x 100 steps each: median %.2f ms, p95 %.2f ms%n",
                    runs.size(), nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.95)] / 1e6);
        }
    }
}
