package org.flowbench.views.bench;

import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.HyperGrid;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.gflownet.GflowNetsFigures;
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

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Frame cost of the GFlowNets lab's grid view: one paint of R(x)/Z beside the learned
 * distribution (two heatmaps, modes outlined, colour bar, title) at 1000 x 560, drawn from a run
 * trained by {@code gfn-grid}'s own defaults on the 8 x 8 grid (H=8) or on a 64 x 64 grid
 * (H=64, 4,096 cells per panel, 256 trajectories so the setup stays short). SampleTime mode:
 * JMH reports the median and the 95th percentile of single paints. {@code target}: {@code image}
 * paints into an ARGB BufferedImage with the export hints; {@code canvas} through FXGraphics2D
 * into a JavaFX canvas, the way the lab's FigureCanvas repaints.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dtestfx.headless=true", "-Dglass.platform=Monocle",
        "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Dprism.text=t2k", "-Djava.awt.headless=true",
        "--add-modules", "jdk.incubator.vector"})
public class GflowNetsPaintBenchmark {

    static final int WIDTH = 1000;
    static final int HEIGHT = 560;

    @Param({"8", "64"})
    int height;

    @Param({"image", "canvas"})
    String target;

    private Figure figure;
    private PaintTarget drawing;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String env = "hypergrid:D=2,H=" + height;
        if (ExactFlows.of(new HyperGrid(2, height)).graph().size() != height * height) {
            throw new IllegalStateException("unexpected grid size");
        }
        figure = GflowNetsFigures.specs().get(0).create(Map.of("env", env, "trajectories", height == 8 ? "4096" : "256"),
                FigureTheme.LIGHT);
        drawing = switch (target) {
            case "image" -> PaintTarget.image(WIDTH, HEIGHT);
            case "canvas" -> PaintTarget.canvas(WIDTH, HEIGHT);
            default -> throw new IllegalArgumentException("unknown target " + target);
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        drawing.close();
    }

    @Benchmark
    public Object paint() {
        return drawing.paint(figure);
    }
}
