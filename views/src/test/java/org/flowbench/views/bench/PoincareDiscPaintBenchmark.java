package org.flowbench.views.bench;

import org.flowbench.compute.embedding.EmbeddingFiles;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.embedding.PoincareManifold;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.hierarchy.EdgeListFiles;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.poincare.DiscLayout;
import org.flowbench.views.poincare.DiscScene;
import org.flowbench.views.poincare.DiscView;
import org.flowbench.views.poincare.Hierarchy;
import org.flowbench.views.poincare.PoincareDiscFigure;
import org.flowbench.views.poincare.PoincareSamples;
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

import java.util.concurrent.TimeUnit;

/**
 * Frame cost of the Poincaré disc: the full mammal closure (1,180 nodes, their 1,179 tree edges
 * as geodesic arcs, up to 40 decluttered labels, header and legend) of the bundled 2-D
 * embedding at 900 x 820, each frame through a slightly different re-centring, as during a
 * drag. SampleTime mode: JMH reports the median and the percentiles of single paints.
 *
 * <p>{@code target}: {@code image} paints into an ARGB BufferedImage (an export, a PNG);
 * {@code canvas} paints through FXGraphics2D into a JavaFX Canvas, as the lab's FigureCanvas
 * repaints on the JavaFX thread. {@code tiling}: with the equal-area tiling behind.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dtestfx.headless=true", "-Dglass.platform=Monocle",
        "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Dprism.text=t2k", "-Djava.awt.headless=true"})
public class PoincareDiscPaintBenchmark {

    static final int WIDTH = 900;
    static final int HEIGHT = 820;

    @Param({"image", "canvas"})
    String target;

    @Param({"false", "true"})
    boolean tiling;

    private DiscScene scene;
    private PaintTarget drawing;
    private int frame;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        EdgeList edges = EdgeListFiles.read(PoincareSamples.closure());
        Hierarchy h = Hierarchy.of(edges);
        HierarchyEmbedding e = EmbeddingFiles.alignTo(EmbeddingFiles.read(PoincareSamples.embedding(2), PoincareManifold.INSTANCE),
                edges, PoincareSamples.embedding(2), PoincareSamples.closure());
        scene = DiscScene.of(h, DiscLayout.of(e, h.root(), h.label(h.root()), 7), 1.0, "mammal closure");
        drawing = target.equals("image") ? PaintTarget.image(WIDTH, HEIGHT) : PaintTarget.canvas(WIDTH, HEIGHT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        drawing.close();
    }

    /** The figure a drag shows next: the view moved a little further each frame. */
    private PoincareDiscFigure nextFrame() {
        frame++;
        double t = 0.02 * (frame & 15);
        return new PoincareDiscFigure(scene, DiscView.centredOn(0.3 * t, -0.2 * t), new PoincareDiscFigure.Options(true, true, 40, tiling),
                -1, null, "Poincar\u00e9 disc", FigureTheme.LIGHT);
    }

    @Benchmark
    public Object paint() throws Exception {
        PoincareDiscFigure shown = nextFrame();
        // the canvas on the JavaFX thread, as a drag repaints it
        return target.equals("image") ? drawing.paint(shown) : PaintTarget.onFx(() -> drawing.paint(shown));
    }
}
