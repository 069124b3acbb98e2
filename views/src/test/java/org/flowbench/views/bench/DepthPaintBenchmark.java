package org.flowbench.views.bench;

import org.flowbench.compute.lm.LmActivations;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.Placement;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.norm.DepthFigure;
import org.flowbench.views.norm.DepthMetric;
import org.flowbench.views.norm.DepthRun;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Frame cost of the Depth figure while the timeline plays: 3 placements x 24 layers x 2000 probed
 * steps (4 heads, width 64, a 64 x 64 |x| panel), one new figure per frame at the next step (as
 * the view model builds it) painted into an ARGB image at 1200 x 760 with the export hints.
 * SampleTime mode: JMH reports the median and the 95th percentile of single frames.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.awt.headless=true"})
public class DepthPaintBenchmark {

    static final int WIDTH = 1200;
    static final int HEIGHT = 760;
    static final int LAYERS = 24;
    static final int STEPS = 2000;

    private List<DepthRun> runs;
    private DepthFigure.Activations activations;
    private final Rectangle2D area = new Rectangle2D.Double(0, 0, WIDTH, HEIGHT);
    private BufferedImage image;
    private Graphics2D graphics;
    private int frame;

    /** A run whose stream grows with depth and training like a Pre-LN run's, with some noise. */
    static DepthRun run(Placement placement, long seed) {
        LmConfig c = LmConfig.of(64, 64, 64, 4, LAYERS, placement);
        Random rnd = new Random(seed);
        List<String> groups = new ArrayList<>();
        for (int l = 1; l <= LAYERS; l++) {
            groups.add(l + ":attn");
            groups.add(l + ":mlp");
        }
        List<LmProbe> probes = new ArrayList<>();
        for (int s = 0; s <= STEPS; s++) {
            double[] stream = new double[LAYERS + 1];
            for (int l = 0; l <= LAYERS; l++) {
                stream[l] = (1 + l * (1 + s / 500.0)) * (1 + 0.05 * rnd.nextGaussian());
            }
            double[][] sub = new double[LAYERS][2];
            double[][] ffn = new double[LAYERS][2];
            double[][] ent = new double[LAYERS][4];
            for (int l = 0; l < LAYERS; l++) {
                sub[l][0] = sub[l][1] = 1 + rnd.nextDouble();
                ffn[l][0] = ffn[l][1] = rnd.nextDouble();
                for (int h = 0; h < 4; h++) {
                    ent[l][h] = 3 * rnd.nextDouble();
                }
            }
            double[] gn = new double[groups.size()];
            double[] ur = new double[groups.size()];
            for (int g = 0; g < gn.length; g++) {
                gn[g] = rnd.nextDouble();
                ur[g] = 1e-3 * rnd.nextDouble();
            }
            probes.add(new LmProbe(s, 2.3 * Math.exp(-s / 700.0), stream.clone(), stream.clone(), stream.clone(),
                    new double[LAYERS + 1], sub, ffn, gn, ur, ent, groups, 1));
        }
        return new DepthRun(DepthRun.placementName(c), c, probes, null, "", -1, -1, null, STEPS);
    }

    @Setup(Level.Trial)
    public void setUp() {
        runs = List.of(run(Placement.POST, 1), run(Placement.PRE, 2), run(Placement.PERI, 3));
        LmConfig c = runs.get(1).config();
        float[][] abs = new float[LAYERS + 1][64 * 64];
        Random rnd = new Random(4);
        for (float[] layer : abs) {
            for (int i = 0; i < layer.length; i++) {
                layer[i] = (float) Math.abs(rnd.nextGaussian()) * (i % 64 == 7 ? 40 : 1);
            }
        }
        activations = new DepthFigure.Activations("Pre-LN", STEPS, LAYERS,
                new LmActivations(c, new int[64], 64, abs));
        image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_ARGB);
        graphics = image.createGraphics();
        FigureExporter.applyQualityHints(graphics);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        graphics.dispose();
    }

    @Benchmark
    public Object frame() {
        frame = (frame + 7) % (STEPS + 1);
        DepthFigure figure = new DepthFigure(runs, DepthMetric.VARIANCE, frame, activations, FigureTheme.LIGHT);
        graphics.setTransform(new AffineTransform());
        graphics.setClip(null);
        figure.paint(graphics, area);
        return image;
    }
}
