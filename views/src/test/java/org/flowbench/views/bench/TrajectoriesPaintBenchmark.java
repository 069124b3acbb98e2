package org.flowbench.views.bench;

import javafx.scene.SnapshotParameters;
import javafx.scene.image.WritableImage;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.trajectories.FlowRun;
import org.flowbench.views.trajectories.FlowSampler;
import org.flowbench.views.trajectories.SamplingSettings;
import org.flowbench.views.trajectories.TrajectoriesFigure;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Frame cost of the Trajectories figure: one paint of 5,000 particles and 300 traced paths of
 * 100 Euler steps (plus 2,000 target samples, axes, header and time bar) at 1400 x 640, t = 0.3.
 * SampleTime mode, so JMH reports the median and the 95th percentile of single paints.
 *
 * <p>{@code target}: {@code image} paints into an ARGB BufferedImage with the export hints (a PNG
 * or an animation frame); {@code canvas} paints through FXGraphics2D into a JavaFX Canvas the way
 * the lab's FigureCanvas repaints, which is the JavaFX thread's share of a screen frame;
 * {@code screen} does that on the JavaFX thread and then snapshots the canvas, so Prism (software
 * pipeline, headless Monocle) also renders the frame: the whole cost of a frame on screen.
 * {@code panels}: 1 (the target of the issue) or 2 (the lab's side-by-side figure).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dtestfx.headless=true", "-Dglass.platform=Monocle",
        "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Dprism.text=t2k", "-Djava.awt.headless=true"})
public class TrajectoriesPaintBenchmark {

    static final int WIDTH = 1400;
    static final int HEIGHT = 640;
    static final int PARTICLES = 5000;
    static final int TRACED = 300;
    static final int STEPS = 100;

    @Param({"1", "2"})
    int panels;

    @Param({"image", "canvas", "screen"})
    String target;

    private TrajectoriesFigure figure;
    private PaintTarget drawing;
    private WritableImage snapshot;
    private int frame;

    /** A swirling field: curved paths that cover the panel, like a 1-RF flow. */
    static FlowRun swirl() {
        SamplingSettings settings = new SamplingSettings("euler", STEPS, 1e-5, SamplingSettings.UNIFORM, PARTICLES, TRACED, 1);
        float[] noise = Datasets.NORMAL.sample(PARTICLES, 1);
        return FlowSampler.run("swirl", (x, n, t, v) -> {
            for (int i = 0; i < n; i++) {
                v[2 * i] = -x[2 * i + 1] + 0.5f * t;
                v[2 * i + 1] = 0.8f * x[2 * i];
            }
        }, noise, TimeGrid.forward(STEPS), settings, false, () -> false);
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        FlowRun run = swirl();
        List<FlowRun> runs = panels == 1 ? List.of(run) : List.of(run, run);
        figure = new TrajectoriesFigure(runs, Datasets.MOONS.sample(2000, 2), 0.3, null, -1,
                TrajectoriesFigure.Options.defaults(), FigureTheme.LIGHT);
        switch (target) {
            case "image" -> drawing = PaintTarget.image(WIDTH, HEIGHT);
            case "canvas", "screen" -> {
                drawing = PaintTarget.canvas(WIDTH, HEIGHT);
                snapshot = PaintTarget.onFx(() -> new WritableImage(WIDTH, HEIGHT));
            }
            default -> throw new IllegalArgumentException("unknown target " + target);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        drawing.close();
    }

    /** A slightly different time each frame, as during playback. */
    private TrajectoriesFigure nextFrame() {
        frame++;
        return figure.at(0.3 + 0.001 * (frame & 7));
    }

    @Benchmark
    public Object paint() throws Exception {
        TrajectoriesFigure shown = nextFrame();
        if (!target.equals("screen")) {
            return drawing.paint(shown);
        }
        return PaintTarget.onFx(() -> {
            drawing.paint(shown);
            return drawing.canvas().snapshot(new SnapshotParameters(), snapshot);
        });
    }
}
