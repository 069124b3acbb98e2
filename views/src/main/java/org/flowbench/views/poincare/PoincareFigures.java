package org.flowbench.views.poincare;

import org.flowbench.compute.embedding.EmbeddingConfig;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.embedding.Manifold;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.hierarchy.EdgeListFiles;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureSpec.Parameter;
import org.flowbench.views.figure.FigureTheme;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Poincaré lab's figures as {@code flowbench export} draws them without a window, with the
 * same paint routines and computations as the lab: the disc of an embedding, the training
 * charts of fresh runs, and the Poincaré ResNet demos (both panels, or either alone).
 */
public final class PoincareFigures {

    public static final String DISC = "poincare-disc";
    public static final String TRAINING = "poincare-training";
    public static final String RESNET = "poincare-resnet";
    public static final String DEPTH = "poincare-depth";
    public static final String BATCH_NORM = "poincare-batchnorm";

    private PoincareFigures() {
    }

    /** The figures this lab registers, with the keys {@code --set} accepts. */
    public static List<FigureSpec> specs() {
        List<Parameter> resnet = List.of(
                new Parameter("layers", "50", "hyperbolic FC layers in the depth demo, 1 to " + ResNetDemos.MAX_LAYERS),
                new Parameter("dim", "8", "dimension of the depth demo's points, 2 to " + ResNetDemos.MAX_DIM),
                new Parameter("points", "16", "points pushed through the layers, 1 to " + ResNetDemos.MAX_POINTS),
                new Parameter("curvature", "1", "curvature c of the ball (-c)"),
                new Parameter("batch", "24", "points in the batch-norm demo, 2 to " + ResNetDemos.MAX_BATCH),
                new Parameter("scale", "1", "batch-norm scale s (the target dispersion)"),
                new Parameter("bias", "0,0", "batch-norm bias b, a tangent vector at the origin: x,y"));
        return List.of(
                new FigureSpec(DISC, "an embedding of a hierarchy in the Poincar\u00e9 disc with geodesic edges and labels "
                        + "(default: the bundled 2-D mammal embedding)", PoincareDiscFigure.PREFERRED_WIDTH, PoincareDiscFigure.PREFERRED_HEIGHT,
                        List.of(new Parameter("edges", "", "edge list CSV or TSV (empty: samples/poincare/" + PoincareSamples.CLOSURE + ")"),
                                new Parameter("embedding", "", "embedding file, TSV, word2vec or safetensors (empty: samples/poincare/"
                                        + PoincareSamples.EMBEDDING_2D + "; '5d' for " + PoincareSamples.EMBEDDING_5D + ")"),
                                new Parameter("curvature", "1", "curvature c: the ball of curvature -c, distances from the centre kept"),
                                new Parameter("centre", "", "node moved to the centre by a M\u00f6bius translation (empty: none)"),
                                new Parameter("select", "", "node whose ancestors and descendants are highlighted (empty: none)"),
                                new Parameter("labels", "40", "at most this many labels, 0 to 300"),
                                new Parameter("geodesics", "true", "draw each node's edge to its parent as a geodesic"),
                                new Parameter("tiling", "false", "shade cells of equal hyperbolic area")),
                        PoincareFigures::disc),
                new FigureSpec(TRAINING, "loss, mean rank, MAP per epoch for each manifold, and norm against depth, from fresh runs "
                        + "on the mammal closure", TrainingChartsFigure.PREFERRED_WIDTH, TrainingChartsFigure.PREFERRED_HEIGHT,
                        List.of(new Parameter("edges", "", "edge list CSV or TSV (empty: samples/poincare/" + PoincareSamples.CLOSURE + ")"),
                                new Parameter("manifolds", "poincare,euclidean,lorentz", "manifolds trained, comma-separated"),
                                new Parameter("dim", "2", "dimension, 1 to 64"),
                                new Parameter("epochs", "20", "epochs per run, 1 to 2000"),
                                new Parameter("lr", "0.3", "learning rate"),
                                new Parameter("negatives", "50", "negatives per edge"),
                                new Parameter("burn-in", "10", "burn-in epochs at lr / 100"),
                                new Parameter("eval-every", "5", "epochs between evaluations")),
                        PoincareFigures::training),
                new FigureSpec(RESNET, "Poincar\u00e9 ResNet: norms through stacked hyperbolic layers (identity vs standard init) "
                        + "and midpoint batch norm before and after", ResNetFigure.PREFERRED_WIDTH, ResNetFigure.PREFERRED_HEIGHT, resnet,
                        (v, theme) -> resnet(v, theme, ResNetFigure.Panels.BOTH)),
                new FigureSpec(DEPTH, "norms through stacked hyperbolic FC layers, identity vs standard initialisation",
                        ResNetFigure.PREFERRED_WIDTH / 2 + 100, ResNetFigure.PREFERRED_HEIGHT, resnet,
                        (v, theme) -> resnet(v, theme, ResNetFigure.Panels.DEPTH)),
                new FigureSpec(BATCH_NORM, "midpoint batch normalisation of a 2-D batch: midpoint, dispersion, re-centred and rescaled",
                        ResNetFigure.PREFERRED_WIDTH / 2, ResNetFigure.PREFERRED_HEIGHT, resnet,
                        (v, theme) -> resnet(v, theme, ResNetFigure.Panels.BATCH_NORM)));
    }

    private static Path edgesFile(FigureSpec.Values v) {
        String given = v.text("edges");
        return given.isEmpty() ? PoincareSamples.closure() : Path.of(given);
    }

    private static PoincareDiscFigure disc(FigureSpec.Values v, FigureTheme theme) throws IOException {
        double c = v.real("curvature", DiscScene.MIN_CURVATURE, DiscScene.MAX_CURVATURE);
        int labels = v.integer("labels", 0, 300);
        boolean geodesics = v.bool("geodesics");
        boolean tiling = v.bool("tiling");
        Path edgesPath = edgesFile(v);
        EdgeList edges = EdgeListFiles.read(edgesPath);
        Hierarchy h = Hierarchy.of(edges);
        String given = v.text("embedding");
        Path file = given.isEmpty() ? PoincareSamples.embedding(2) : given.equals("5d") ? PoincareSamples.embedding(5) : Path.of(given);
        HierarchyEmbedding e = PoincareLab.readAligned(file, edges, edgesPath);
        DiscLayout layout = DiscLayout.of(e, h.root(), h.label(h.root()), v.seed());
        String name = file.getFileName().toString() + ", " + e.dim() + "-D " + SpaceNames.of(e.manifold().name());
        DiscScene scene = DiscScene.of(h, layout, c, name);
        DiscView view = DiscView.IDENTITY;
        String centre = v.text("centre");
        if (!centre.isEmpty()) {
            int node = node(h, centre, "centre");
            view = DiscView.centredOn(scene.xy()[2 * node], scene.xy()[2 * node + 1]);
        }
        String select = v.text("select");
        int selected = select.isEmpty() ? -1 : node(h, select, "select");
        return new PoincareDiscFigure(scene, view, new PoincareDiscFigure.Options(geodesics, labels > 0, labels, tiling), selected, null,
                "Poincar\u00e9 disc", theme);
    }

    private static int node(Hierarchy h, String name, String key) {
        int node = h.find(name);
        if (node < 0) {
            throw new IllegalArgumentException("figure '" + DISC + "': " + key + " names no node of the hierarchy (got '" + name + "')");
        }
        return node;
    }

    private static TrainingChartsFigure training(FigureSpec.Values v, FigureTheme theme) throws IOException {
        Path edgesPath = edgesFile(v);
        int dim = v.integer("dim", 1, 64);
        int epochs = v.integer("epochs", 1, 2000);
        double lr = v.real("lr", 1e-4, 100);
        int negatives = v.integer("negatives", 1, 1000);
        int burnIn = v.integer("burn-in", 0, 2000);
        int evalEvery = v.integer("eval-every", 1, 1000);
        List<String> manifolds = v.list("manifolds");
        if (manifolds.isEmpty()) {
            throw new IllegalArgumentException("figure '" + TRAINING + "': manifolds names none");
        }
        EdgeList edges = EdgeListFiles.read(edgesPath);
        Hierarchy h = Hierarchy.of(edges);
        List<TrainingCurve> curves = new ArrayList<>();
        TrainingFrame[] last = {null};
        for (String m : manifolds) {
            Manifold manifold;
            try {
                manifold = Manifold.byName(m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("figure '" + TRAINING + "': unknown manifold '" + m + "' (known: poincare, euclidean, lorentz)");
            }
            EmbeddingConfig config = new EmbeddingConfig(manifold, dim, epochs, lr, negatives, Math.min(burnIn, epochs), 0.01, 0.75, 10,
                    v.seed(), 1);
            EmbeddingRun.Result r = EmbeddingRun.run(edges, h, config, evalEvery, (curve, frame) -> {
                if (frame.epoch() == epochs) {
                    last[0] = frame;
                }
            }, () -> false);
            curves.add(r.curve());
        }
        return new TrainingChartsFigure(curves, last[0], h, theme);
    }

    private static ResNetFigure resnet(FigureSpec.Values v, FigureTheme theme, ResNetFigure.Panels panels) {
        double c = v.real("curvature", 0.05, 4);
        List<String> bias = v.list("bias");
        if (bias.size() != 2) {
            throw new IllegalArgumentException("figure '" + RESNET + "': bias needs two numbers x,y (got '" + v.text("bias") + "')");
        }
        double bx;
        double by;
        try {
            bx = Double.parseDouble(bias.get(0));
            by = Double.parseDouble(bias.get(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("figure '" + RESNET + "': bias needs two numbers x,y (got '" + v.text("bias") + "')");
        }
        if (!Double.isFinite(bx) || !Double.isFinite(by) || Math.abs(bx) > 3 || Math.abs(by) > 3) {
            throw new IllegalArgumentException("figure '" + RESNET + "': bias components must be between -3 and 3");
        }
        return new ResNetFigure(
                ResNetDemos.depth(v.integer("layers", 1, ResNetDemos.MAX_LAYERS), v.integer("dim", 2, ResNetDemos.MAX_DIM),
                        v.integer("points", 1, ResNetDemos.MAX_POINTS), c, v.seed()),
                ResNetDemos.batchNorm(v.integer("batch", 2, ResNetDemos.MAX_BATCH), c, v.real("scale", 0.01, 10), bx, by, v.seed()),
                panels, theme);
    }
}
